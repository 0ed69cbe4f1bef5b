package org.apitmoodle.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The outer edges of a test that talks to the operators' server too (the dead-letter queue, the status page, the
 * removal and drift confirmations): on a free port of the class's own, given before the application starts.
 */
public abstract class OperatorServerTestSupport extends SyncTestSupport {

    /** The operators' server's port (dead-letters.http-port). */
    protected static int port;

    @BeforeAll
    static void operatorServerPort() {
        port = OperatorHttp.freePort();
        System.setProperty("dead-letters.http-port", Integer.toString(port));
    }

    @AfterAll
    static void clearOperatorServerPort() {
        System.clearProperty("dead-letters.http-port");
    }
}
