package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apitmoodle.support.Instance;
import org.apitmoodle.support.Observe;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Camel's management server (/observe/...) as shipped: on this machine only, and /observe/info naming neither the
 * operating-system user nor the working directory. Started as an operator starts it (not by Camel's test support,
 * which turns JMX off, and the info endpoint reads Camel's JMX beans), with application.properties' defaults.
 */
class ManagementServerTest extends SyncTestSupport {

    private static Instance instance;
    private static int port;

    @BeforeAll
    static void start() {
        // On the test's management port (SyncTestSupport's system property, which the instance reads).
        port = managementPort;
        instance = Instance.start("management", Map.of());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        instance.close();
    }

    @Test
    void itListensOnThisMachineOnlyAsShipped() throws Exception {
        ManagementHttpServer server = instance.context().hasService(ManagementHttpServer.class);
        assertThat(server.getHost()).as("the address it was told to listen on").isEqualTo("127.0.0.1");
        assertThat(new Observe(port).get("/observe/health/live").statusCode()).as("on 127.0.0.1").isEqualTo(200);

        Optional<InetAddress> outside = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(network -> isUp(network))
                .flatMap(network -> Collections.list(network.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).findFirst();
        if (outside.isEmpty()) {
            return;   // no network address besides the loopback: the bound address above is the whole check
        }
        assertThatThrownBy(() -> {
            try (Socket fromOutside = new Socket()) {
                fromOutside.connect(new InetSocketAddress(outside.get(), port), 2_000);
            }
        }).as("connecting to " + outside.get() + ":" + port).isInstanceOf(IOException.class)
                .hasMessageContaining("refused");
    }

    @Test
    void infoAnswersWithCamelsOwnInformationButNotWhoRunsItOrWhere() throws Exception {
        var info = new Observe(port).get("/observe/info");

        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(info.body()).contains("\"name\":\"accessplanit-moodle-sync\"", "\"version\":\"4.18.0\"",
                "\"status\":\"Running\"", "\"exchangesTotal\":");
        assertThat(info.body()).as("no operating-system user, no working directory")
                .doesNotContain("\"user\"").doesNotContain("\"dir\"").doesNotContain("\"home\"")
                .doesNotContain("\"" + System.getProperty("user.name") + "\"")
                .doesNotContain(System.getProperty("user.dir"))
                .doesNotContain(System.getProperty("user.dir").replace("/", "\\/"));   // as JSON may write it
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp();
        } catch (IOException e) {
            return false;
        }
    }
}
