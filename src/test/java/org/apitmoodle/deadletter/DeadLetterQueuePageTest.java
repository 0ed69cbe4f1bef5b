package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.User;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.OperatorBrowser;
import org.apitmoodle.support.OperatorHttp;
import org.apitmoodle.support.SyncTestSupport;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator works the dead-letter queue page in a headless browser that runs its JavaScript (HtmlUnit): bad
 * records go through the real sync into the queue, the page lists them, Replay after fixing the email in
 * accessplanit gets the user into Moodle, and Discard with a reason closes an entry for good. The buttons' requests
 * carry the page's token, as the server asks of every change.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200",
        "camel.server.enabled=true", "dead-letters.username=operator", "dead-letters.password=" + DeadLetterQueuePageTest.PASSWORD})
class DeadLetterQueuePageTest extends SyncTestSupport {

    static final String PASSWORD = "page-password-42";

    static int port;

    OperatorBrowser browser;
    Accessplanit accessplanit;
    MoodleSite site;

    @BeforeAll
    static void httpPort() {
        port = OperatorHttp.freePort();
        System.setProperty("dead-letters.http-port", Integer.toString(port));
    }

    @AfterAll
    static void clearHttpPort() {
        System.clearProperty("dead-letters.http-port");
    }

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
        browser = new OperatorBrowser(port, "operator", PASSWORD);
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void replayOnThePageSendsTheRecordAsItIsNowInAccessplanit() throws Exception {
        accessplanit.classroomCourse(300, "Fire Safety");
        accessplanit.user(301, "Judy", "Jones", "judy@example");   // no top-level domain: dead-lettered
        accessplanit.user(302, "Ken", "King", "ken@example.com");
        accessplanit.delegate(301, 301, 300, "BOOKED");
        accessplanit.delegate(302, 302, 300, "BOOKED");
        long judy = awaitOpenEntry("user", 301);
        eventually().until(() -> accessplanit.userMoodleId(302) != null);

        HtmlPage page = openPage();
        DomElement row = page.getElementById("dead-letter-" + judy);
        assertThat(text(row, ".record")).isEqualTo("user 301");
        assertThat(text(row, ".message")).contains("judy@example");
        assertThat(text(row, ".attempts")).isEqualTo("1");

        db.update("UPDATE users SET email = 'judy.jones@example.com' WHERE id = 301");
        ((HtmlElement) row.querySelector("button.replay")).click();

        eventually().until(() -> accessplanit.userMoodleId(301) != null);
        User inMoodle = site.userByUsername("apit.301").orElseThrow();
        assertThat(inMoodle.id()).isEqualTo(accessplanit.userMoodleId(301));
        assertThat(inMoodle.email()).isEqualTo("judy.jones@example.com");
        assertThat(db.value("SELECT state FROM dead_letter WHERE id = ?", judy)).isEqualTo("REPLAYED");
        assertThat(accessplanit.syncState("user", 301)).isEqualTo("DONE");
        eventually().until(() -> browser.current().getElementById("dead-letter-" + judy) == null
                && browser.current().getElementById("status").getTextContent().isEmpty());
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 301)));
        assertThat(site.users()).filteredOn(user -> user.username().equals("apit.301")).hasSize(1);
    }

    @Test
    void discardOnThePageWithAReasonClosesTheEntryAndShowsUserDataAsText() throws Exception {
        String hostile = "<img src=x onerror=\"document.title='hacked'\">@example";
        accessplanit.classroomCourse(310, "First Aid");
        accessplanit.user(311, "Mallory", "Moss", hostile);
        accessplanit.user(312, "Nina", "North", "nina@example");
        accessplanit.delegate(311, 311, 310, "BOOKED");
        accessplanit.delegate(312, 312, 310, "BOOKED");
        long mallory = awaitOpenEntry("user", 311);
        long nina = awaitOpenEntry("user", 312);

        HtmlPage page = openPage();
        DomElement row = page.getElementById("dead-letter-" + mallory);
        assertThat(text(row, ".message")).contains(hostile);
        assertThat(page.querySelectorAll("#entries img")).as("user data is text, not markup").isEmpty();
        assertThat(page.getTitleText()).isEqualTo("Dead-letter queue");

        ((HtmlInput) row.querySelector("input[name=reason]")).type("Test booking, not a real person");
        ((HtmlElement) row.querySelector("button.discard")).click();

        eventually().until(() -> "DISCARDED".equals(db.value("SELECT state FROM dead_letter WHERE id = ?", mallory)));
        assertThat(db.value("SELECT discard_reason FROM dead_letter WHERE id = ?", mallory))
                .isEqualTo("Test booking, not a real person");
        assertThat(accessplanit.syncState("user", 311)).as("never sent again").isEqualTo("FAILED");
        eventually().until(() -> browser.current().getElementById("dead-letter-" + mallory) == null
                && browser.current().getElementById("dead-letter-" + nina) != null);
        assertThat(db.value("SELECT state FROM dead_letter WHERE id = ?", nina)).isEqualTo("OPEN");
        assertThat(site.userByUsername("apit.311")).isEmpty();
    }

    private long awaitOpenEntry(String entityType, long entityId) {
        String sql = "SELECT id FROM dead_letter WHERE entity_type = ? AND entity_id = ? AND state = 'OPEN'";
        eventually().until(() -> db.value(sql, entityType, entityId) != null);
        return (Long) db.value(sql, entityType, entityId);
    }

    /** Opens the page as an operator: the browser answers the Basic challenge with the name and password. */
    private HtmlPage openPage() {
        HtmlPage page = browser.open("/dead-letter-queue");
        assertThat(page.getTitleText()).isEqualTo("Dead-letter queue");
        return page;
    }

    private static String text(DomElement row, String selector) {
        return row.querySelector(selector).asNormalizedText();
    }
}
