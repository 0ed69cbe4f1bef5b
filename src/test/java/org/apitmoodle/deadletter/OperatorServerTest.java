package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.OperatorBrowser;
import org.apitmoodle.support.OperatorHttp;
import org.apitmoodle.support.OperatorServerTestSupport;
import org.apitmoodle.sync.Operation;
import org.apitmoodle.sync.SyncPause;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operators' server as an operator and an attacker meet it: the status page in a headless browser (HtmlUnit),
 * the headers that forbid framing, the token or same-origin Origin every change needs, the slowing down of
 * password guesses, and the address it listens on.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "ops.refresh-period-ms=200",
        "sync.pause-probe-period-ms=600000", "ops.status-page-refresh-seconds=3",
        "camel.server.enabled=true", "dead-letters.username=operator", "dead-letters.password=" + OperatorServerTest.PASSWORD,
        "dead-letters.login-failures-before-delay=3", "dead-letters.login-delay-ms=1500"})
class OperatorServerTest extends OperatorServerTestSupport {

    static final String PASSWORD = "status-password-7";
    static final String OPERATOR = OperatorHttp.basic("operator", PASSWORD);

    @BeanInject
    CamelContext context;

    OperatorHttp http;
    Accessplanit accessplanit;

    @BeforeEach
    void operator() {
        http = new OperatorHttp(port);
        accessplanit = new Accessplanit(db);
    }

    @Test
    void theStatusPageShowsEachOperationThePauseMoodleAndTheGradePollAndReloadsItself() throws Exception {
        accessplanit.classroomCourse(400, "Fire Safety");
        accessplanit.user(401, "Olga", "Owen", "olga@example.com");
        accessplanit.user(402, "Pete", "Price", "pete@example");   // dead-lettered
        accessplanit.delegate(401, 401, 400, "BOOKED");
        accessplanit.delegate(402, 402, 400, "BOOKED");
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 401)));
        eventually().until(() -> db.value("SELECT id FROM dead_letter WHERE entity_type = 'user' AND entity_id = 402") != null);

        try (OperatorBrowser browser = new OperatorBrowser(port, "operator", PASSWORD)) {
            eventually().until(() -> cell(browser.open("/status"), "user", "dead-lettered").equals("1"));
            HtmlPage page = browser.open("/status");

            assertThat(page.getTitleText()).isEqualTo("Sync status");
            assertThat(((DomElement) page.querySelector("meta[http-equiv=refresh]")).getAttribute("content")).isEqualTo("3");
            for (String operation : Operation.keys()) {
                assertThat(page.getElementById("operation-" + operation)).as(operation).isNotNull();
            }
            assertThat(cell(page, "user", "done")).isEqualTo("1");
            assertThat(cell(page, "course", "done")).isEqualTo("1");
            assertThat(cell(page, "enrolment", "done")).isEqualTo("1");
            assertThat(cell(page, "user", "backlog")).isEqualTo("0");
            assertThat(cell(page, "user", "last-poll")).matches("\\d\\d:\\d\\d \\((now|\\d+ s ago)\\)");
            assertThat(text(page, "sending")).isEqualTo("Sending is running.");
            assertThat(text(page, "in-flight")).matches("\\d+");
            assertThat(text(page, "latency")).matches("Latest \\d+ calls: \\d+ ms on average, at most \\d+ ms\\.");
            assertThat(text(page, "grade-poll")).isEqualTo("Grade poll: not run yet since start (grades.cron).");
            // Only the open dead letter needs attention, in amber, with the way to the dead-letter queue.
            assertThat(page.querySelectorAll("#attention .item")).extracting(node -> ((DomElement) node).getId())
                    .containsExactly("dead-letters");
            assertThat(text(page, "dead-letters")).isEqualTo("1 open dead-letter entry Open the dead-letter queue");
            // The Moodle site as the scheduled check last read it (not asked when the page is shown).
            assertThat(text(page, "site-name")).isEqualTo("Rig");
            assertThat(text(page, "site-release")).isEqualTo("4.1.10 (Build: 20240422)");
            assertThat(text(page, "site-version")).isEqualTo("2022112810");
            // The grade poll's next run, from its Quartz cron (with its date when it falls tomorrow, near midnight).
            assertThat(page.querySelector("#job-poll-grades .schedule").asNormalizedText()).isEqualTo("cron 0 0/15 * * * ?");
            assertThat(page.querySelector("#job-poll-grades .next-run").asNormalizedText())
                    .matches("(\\d{1,2} [A-Z][a-z]{2} )?\\d\\d:\\d\\d \\(in (\\d+ min )?\\d+ s\\)");
            // The last 24 hours, from the integration's own table: the records synced and dead-lettered so far.
            eventually().until(() -> !browser.open("/status").querySelectorAll("#history rect.dead-lettered").isEmpty());
            HtmlPage charted = browser.open("/status");
            assertThat(charted.querySelectorAll("#history rect.hour")).hasSize(24);
            assertThat(charted.querySelectorAll("#history rect.synced")).isNotEmpty();
            assertThat(charted.querySelectorAll("#history rect.hour")).extracting(DomNode::getTextContent)
                    .anyMatch(title -> title.matches("\\d\\d:00–\\d\\d:00: [1-9]\\d* synced, 1 dead-lettered, 0 min paused"));
            assertThat(page.getElementById("generated").asNormalizedText()).contains("reloads every 3 s");

            // Paused, records wait: the page says why, and how far each operation has got.
            SyncPause pause = context.getRegistry().lookupByNameAndType("syncPause", SyncPause.class);
            pause.pause("Moodle refuses the integration (invalidtoken)");
            try {
                accessplanit.user(403, "Quinn", "Quick", "quinn@example.com");
                accessplanit.user(404, "Rosa", "Reed", "rosa@example.com");
                accessplanit.delegate(403, 403, 400, "BOOKED");
                accessplanit.delegate(404, 404, 400, "BOOKED");
                eventually().until(() -> cell(browser.open("/status"), "user", "backlog").equals("2"));
                HtmlPage paused = browser.open("/status");
                assertThat(paused.querySelectorAll("#attention .item")).extracting(node -> ((DomElement) node).getId())
                        .as("the pause first").containsExactly("sending", "dead-letters");
                assertThat(paused.getElementById("sending").getAttribute("class")).isEqualTo("item failure");
                assertThat(text(paused, "sending")).startsWith("Sending is paused since ")
                        .endsWith(": Moodle refuses the integration (invalidtoken)");
                assertThat(cell(paused, "user", "progress")).startsWith("0 of 2 done, 0.0/s, time left not known yet");
                screenshotInChromium();
            } finally {
                pause.resume();
            }
            eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 404)));
            eventually().until(() -> cell(browser.open("/status"), "user", "backlog").equals("0"));
            // A run of the sync lasts until nothing waits in any operation (enrolments may still follow the users):
            // then the progress is gone.
            eventually().until(() -> cell(browser.open("/status"), "user", "progress").isEmpty());
            HtmlPage done = browser.open("/status");
            assertThat(cell(done, "user", "done")).isEqualTo("3");
            assertThat(cell(done, "user", "progress")).as("nothing waits").isEmpty();

            HtmlPage deadLetters = ((HtmlAnchor) done.getElementById("dead-letters-link")).click();
            assertThat(deadLetters.getTitleText()).isEqualTo("Dead-letter queue");
            assertThat(deadLetters.querySelectorAll("#entries tbody tr")).hasSize(1);
        }
        assertThat(moodle.site().userByUsername("apit.404")).isPresent();
        assertThat(moodle.site().userByUsername("apit.402")).isEmpty();
    }

    /**
     * A picture of the paused page as this test sees it (target/status-page.png), when the machine has Debian's
     * Chromium; the README's (docs/status-page.png) is taken of the demo under load by docs/status-page-screenshot.sh.
     * The page's checks above need no browser to be installed (HtmlUnit); Chromium is only the camera.
     */
    private void screenshotInChromium() throws Exception {
        java.nio.file.Path chromium = java.nio.file.Path.of("/usr/bin/chromium");
        if (!java.nio.file.Files.isExecutable(chromium)) {
            return;
        }
        java.nio.file.Path png = java.nio.file.Path.of("target", "status-page.png").toAbsolutePath();
        java.nio.file.Path profile = java.nio.file.Files.createTempDirectory("chromium");
        java.nio.file.Files.deleteIfExists(png);
        Process shot = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1000,1250", "--screenshot=" + png,
                "http://operator:" + PASSWORD + "@127.0.0.1:" + port + "/status").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(shot.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("Chromium took the screenshot").isTrue();
        assertThat(java.nio.file.Files.size(png)).as("target/status-page.png").isGreaterThan(10_000);
    }

    @Test
    void everyAnswerForbidsFramingAndCachingAsTheClientReceivesIt() {
        long id = deadLetter(413);
        HttpResponse<String> refusedChange = http.send(http.request("/dead-letters/" + id + "/replay", OPERATOR)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(refusedChange.statusCode()).isEqualTo(403);
        for (HttpResponse<String> response : List.of(http.get("/status", OPERATOR), http.get("/dead-letter-queue", OPERATOR),
                http.get("/dead-letters", OPERATOR), http.get("/dead-letters/" + id, OPERATOR),
                http.get("/dead-letters/999999", OPERATOR), refusedChange,
                http.get("/status", OperatorHttp.basic("operator", "not-the-password-but-one-try-only")))) {
            String what = response.request().method() + " " + response.uri() + " " + response.statusCode();
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(what).hasValue("frame-ancestors 'none'");
            assertThat(response.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
            assertThat(response.headers().allValues("Cache-Control")).as(what).containsExactly("no-store");
        }
        http.get("/status", OPERATOR);   // the good sign-in resets the failure count
    }

    @Test
    void aRefusedChangeNamesTheOriginOfThisServersRealAddress() {
        long id = deadLetter(414);

        HttpResponse<String> refused = http.send(http.request("/dead-letters/" + id + "/replay", OPERATOR)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).as("the test's server is on a free port, never 8080")
                .contains("curl -H 'Origin: http://127.0.0.1:" + port + "'").doesNotContain(":8080");
        assertThat(http.send(http.request("/dead-letters/" + id + "/replay", OPERATOR)
                .header("Origin", "http://127.0.0.1:" + port).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build()).statusCode()).as("the Origin it names is taken").isEqualTo(200);
    }

    @Test
    void aChangeTakesThePagesTokenOrASameOriginOriginAndNothingElse() throws Exception {
        long id = deadLetter(411);
        String discard = "/dead-letters/" + id + "/discard?reason=x";

        HttpResponse<String> bare = http.send(http.request(discard, OPERATOR)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> otherOrigin = http.send(http.request(discard, OPERATOR).header("Origin", "http://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> wrongToken = http.send(http.request(discard, OPERATOR).header("X-CSRF-Token", "guessed")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(List.of(bare.statusCode(), otherOrigin.statusCode(), wrongToken.statusCode())).containsOnly(403);
        assertThat(db.value("SELECT state FROM dead_letter WHERE id = ?", id)).isEqualTo("OPEN");

        String token;
        try (OperatorBrowser browser = new OperatorBrowser(port, "operator", PASSWORD)) {
            token = ((DomElement) browser.open("/dead-letter-queue").querySelector("meta[name=csrf-token]")).getAttribute("content");
        }
        HttpResponse<String> withToken = http.send(http.request(discard, OPERATOR).header("X-CSRF-Token", token)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(db.value("SELECT state FROM dead_letter WHERE id = ?", id)).isEqualTo("DISCARDED");

        long other = deadLetter(412);
        assertThat(http.post("/dead-letters/" + other + "/replay", OPERATOR).statusCode()).as("same-origin Origin")
                .isEqualTo(200);
        assertThat(db.value("SELECT state FROM dead_letter WHERE id = ?", other)).isEqualTo("REPLAYED");
    }

    @Test
    void repeatedFailedSignInsAreSlowedDown() throws Exception {
        String wrong = OperatorHttp.basic("operator", "guess");
        assertThat(http.get("/status", wrong).statusCode()).isEqualTo(401);
        assertThat(http.get("/status", wrong).statusCode()).isEqualTo(401);
        assertThat(http.get("/status", wrong).statusCode()).isEqualTo(401);

        HttpResponse<String> slowed = http.get("/status", OPERATOR);
        assertThat(slowed.statusCode()).as("even the right password waits").isEqualTo(429);
        assertThat(slowed.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(slowed.body()).doesNotContain(PASSWORD).contains("Too many failed sign-ins");

        eventually().until(() -> http.get("/status", OPERATOR).statusCode() == 200);
        assertThat(http.get("/status", wrong).statusCode()).as("a good sign-in started the count afresh").isEqualTo(401);
        assertThat(http.get("/status", OPERATOR).statusCode()).isEqualTo(200);
    }

    @Test
    void aGuesserAtAnotherAddressDoesNotSlowTheOperator() throws Exception {
        // Two clients on this machine: Linux answers the whole of 127.0.0.0/8, so a socket can come from 127.0.0.2.
        String guesser = "127.0.0.2";
        String wrong = OperatorHttp.basic("operator", "guess");
        for (int i = 0; i < 3; i++) {
            assertThat(statusFrom(guesser, wrong)).isEqualTo(401);
        }
        assertThat(statusFrom(guesser, OPERATOR)).as("the guesser waits, even with the right password").isEqualTo(429);

        assertThat(statusFrom("127.0.0.1", OPERATOR)).as("the operator at another address does not").isEqualTo(200);
        assertThat(http.get("/status", OPERATOR).statusCode()).isEqualTo(200);
    }

    /** The status of GET /status sent from a socket bound to this local address. */
    private static int statusFrom(String localAddress, String authorization) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /status HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: "
                    + authorization + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void itListensOnThisMachineOnlyAsShipped() throws Exception {
        try (Socket loopback = new Socket()) {
            loopback.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        }
        Optional<InetAddress> outside = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(network -> Collections.list(network.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).findFirst();
        // Every machine this runs on (developers', CI's) has a network address besides the loopback.
        assertThat(outside).as("a network address of this machine").isPresent();
        try (Socket fromOutside = new Socket()) {
            fromOutside.connect(new InetSocketAddress(outside.get(), port), 2_000);
            throw new AssertionError("The operators' server answers on " + outside.get());
        } catch (IOException refused) {
            assertThat(refused).hasMessageContaining("refused");
        }
    }

    private long deadLetter(long userId) {
        db.update("INSERT INTO sync_state (entity_type, entity_id, state, attempts) VALUES ('user', ?, 'FAILED', 1)", userId);
        return (Long) db.value("INSERT INTO dead_letter (entity_type, entity_id, moodle_function, moodle_params,"
                + " error_class, error_code, error_message) VALUES ('user', ?, 'core_user_create_users', CAST('{}' AS jsonb),"
                + " 'bad-data', 'invalidemail', 'Invalid email') RETURNING id", userId);
    }

    private static String cell(HtmlPage page, String operation, String column) {
        DomElement row = page.getElementById("operation-" + operation);
        return row.querySelector("." + column).asNormalizedText();
    }

    private static String text(HtmlPage page, String id) {
        return page.getElementById(id).asNormalizedText();
    }
}
