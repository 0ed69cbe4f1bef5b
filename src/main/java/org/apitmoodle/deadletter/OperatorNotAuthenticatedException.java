package org.apitmoodle.deadletter;

/** A request to the dead-letter queue without the operator's name and password: answered 401. */
public final class OperatorNotAuthenticatedException extends RuntimeException {

    public OperatorNotAuthenticatedException() {
        super("Sign in with the dead-letter queue's operator name and password (dead-letters.username, dead-letters.password).");
    }
}
