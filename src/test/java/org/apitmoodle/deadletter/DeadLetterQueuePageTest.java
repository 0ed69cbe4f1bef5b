package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.User;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.OperatorBrowser;
import org.apitmoodle.support.OperatorServerTestSupport;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlSelect;
import org.htmlunit.util.WebConnectionWrapper;
import org.junit.jupiter.api.AfterEach;
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
class DeadLetterQueuePageTest extends OperatorServerTestSupport {

    static final String PASSWORD = "page-password-42";

    OperatorBrowser browser;
    Accessplanit accessplanit;
    MoodleSite site;

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
        assertThat(text(row, ".record")).isEqualTo("Judy Jones <judy@example> (user 301)");
        assertThat(group(row).querySelector(".explanation").asNormalizedText()).contains("is not one Moodle accepts");
        assertThat(text(row, ".attempts")).isEqualTo("1");
        assertThat(((DomElement) row.querySelector(".last-failed time")).getAttribute("title")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)");
        // Read at a glance: today's time (yesterday's, should midnight fall between the failure and the page).
        assertThat(text(row, ".last-failed")).matches("(today|yesterday) \\d\\d:\\d\\d");

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
        assertThat(group(row).asNormalizedText()).contains(hostile);
        assertThat(page.querySelectorAll("section.group img")).as("user data is text, not markup").isEmpty();
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

    @Test
    void eachEntryNamesItsRecordAsPeopleKnowIt() {
        accessplanit.template(500, null, null);
        // Not ticked "Sync to Moodle": the sync leaves these records alone, only the entries below name them.
        accessplanit.course(500, 500, "Manual Handling", "CLASSROOM", OffsetDateTime.parse("2027-05-04T09:30:00Z"),
                null, false, null);
        accessplanit.user(501, "Olga", "Owens", "olga@example.org");
        accessplanit.user(502, "Piet", "Park", "piet@example.org");
        accessplanit.delegate(502, 502, 500, "BOOKED");
        // Unenrolled: no sync waits on it, so only its entry below reads it.
        long enrolment = (Long) db.value("INSERT INTO moodle_enrolment (delegate_id, course_id, moodle_user_id,"
                + " moodle_course_id, state) VALUES (502, 500, 9502, 9500, 'UNENROLLED') RETURNING id");
        long user = deadLetter("user", 501, "namespage", "Refused");
        long course = deadLetter("course", 500, "namespage", "Refused");
        long booking = deadLetter("enrolment", 502, "namespage", "Refused");
        long cancellation = deadLetter("cancellation", enrolment, "namespage", "Refused");
        long gone = deadLetter("user", 599, "namespage", "Refused");

        HtmlPage page = openPage("/dead-letter-queue?errorCode=namespage");

        assertThat(text(page.getElementById("dead-letter-" + user), ".record"))
                .isEqualTo("Olga Owens <olga@example.org> (user 501)");
        assertThat(text(page.getElementById("dead-letter-" + course), ".record"))
                .matches("Manual Handling, 4 May 2027 \\d\\d:\\d\\d \\(course 500\\)");
        assertThat(text(page.getElementById("dead-letter-" + booking), ".record"))
                .matches("Piet Park <piet@example.org> on Manual Handling, 4 May 2027 \\d\\d:\\d\\d \\(enrolment 502\\)");
        assertThat(text(page.getElementById("dead-letter-" + cancellation), ".record"))
                .matches("Piet Park <piet@example.org> on Manual Handling, 4 May 2027 \\d\\d:\\d\\d \\(cancellation "
                        + enrolment + "\\)");
        assertThat(text(page.getElementById("dead-letter-" + gone), ".record"))
                .isEqualTo("(user 599, no longer in accessplanit)");
    }

    @Test
    void replayTheseNReplaysTheWholeGroupWithOneRequest() throws Exception {
        long first = deadLetter("user", 521, "replaygrouppage", "The user's email address 'a' is not one Moodle accepts.");
        long second = deadLetter("user", 522, "replaygrouppage", "The user's email address 'b' is not one Moodle accepts.");
        long third = deadLetter("user", 523, "replaygrouppage", "The user's email address 'c' is not one Moodle accepts.");
        long otherOperation = deadLetter("user-update", 521, "replaygrouppage", "The user's email address 'a' is not ...");
        List<String> posts = recordPosts();

        HtmlPage page = openPage();
        HtmlElement section = section(page, "user", "replaygrouppage");
        assertThat(section.querySelector(".explanation").asNormalizedText())
                .isEqualTo("The user's email address '…' is not one Moodle accepts.");
        assertThat(section.querySelectorAll(".explanation")).hasSize(1);
        assertThat(text(section, ".count")).isEqualTo("3");
        assertThat(text(page.getElementById("dead-letter-" + second), ".detail")).isEqualTo("b");
        HtmlElement replay = section.querySelector("button.replay-group");
        assertThat(replay.asNormalizedText()).isEqualTo("Replay these 3");

        replay.click();

        eventually().until(() -> "REPLAYED".equals(state(third)));
        assertThat(List.of(state(first), state(second), state(third))).containsOnly("REPLAYED");
        assertThat(state(otherOperation)).as("another operation's cause").isEqualTo("OPEN");
        assertThat(posts).as("one request for the group").containsExactly("/dead-letters/replay-group");
        eventually().until(() -> section(browser.current(), "user", "replaygrouppage") == null
                && section(browser.current(), "user-update", "replaygrouppage") != null);
    }

    @Test
    void discardTheseNDiscardsTheWholeGroupWithTheReason() throws Exception {
        long first = deadLetter("course", 531, "discardgrouppage", "The course has no start date.");
        long second = deadLetter("course", 532, "discardgrouppage", "The course has no start date.");
        List<String> posts = recordPosts();

        HtmlPage page = openPage();
        HtmlElement section = section(page, "course", "discardgrouppage");
        assertThat(section.querySelector(".explanation").asNormalizedText()).isEqualTo("The course has no start date.");
        assertThat(section.querySelectorAll("td.detail")).allSatisfy(cell -> assertThat(cell.getTextContent()).isEmpty());
        ((HtmlInput) section.querySelector("form.discard-group input[name=reason]")).type("Courses of the old catalogue");
        HtmlElement discard = section.querySelector("button.discard-group");
        assertThat(discard.asNormalizedText()).isEqualTo("Discard these 2");

        discard.click();

        eventually().until(() -> "DISCARDED".equals(state(second)));
        assertThat(db.rows("SELECT state, discard_reason FROM dead_letter WHERE id IN (?, ?)", first, second))
                .hasSize(2).allSatisfy(row -> assertThat(row).containsEntry("state", "DISCARDED")
                        .containsEntry("discard_reason", "Courses of the old catalogue"));
        assertThat(accessplanit.syncState("course", 531)).as("never sent again").isEqualTo("FAILED");
        assertThat(posts).as("one request for the group").containsExactly("/dead-letters/discard-group");
        eventually().until(() -> section(browser.current(), "course", "discardgrouppage") == null);
    }

    @Test
    void theFiltersNarrowThePageByOperationAndByCause() throws Exception {
        deadLetter("user", 541, "filterpage-a", "Refused");
        deadLetter("course", 541, "filterpage-b", "Refused");
        deadLetter("enrolment", 541, "filterpage-a", "Refused");

        HtmlPage page = openPage();
        HtmlSelect operation = (HtmlSelect) page.getElementById("filter-operation");
        operation.setSelectedAttribute("course", true);
        HtmlPage courses = ((HtmlElement) page.getElementById("filter-show")).click();

        assertThat(courses.getUrl().getQuery()).contains("entityType=course");
        assertThat(causesShown(courses)).contains("course filterpage-b").noneMatch(cause -> !cause.startsWith("course "));
        assertThat(((HtmlSelect) courses.getElementById("filter-operation")).getSelectedOptions())
                .singleElement().satisfies(option -> assertThat(option.getValueAttribute()).isEqualTo("course"));

        HtmlSelect everyOperation = (HtmlSelect) courses.getElementById("filter-operation");
        everyOperation.setSelectedAttribute("", true);
        ((HtmlSelect) courses.getElementById("filter-cause")).setSelectedAttribute("filterpage-a", true);
        HtmlPage causeA = ((HtmlElement) courses.getElementById("filter-show")).click();

        assertThat(causesShown(causeA)).containsExactlyInAnyOrder("user filterpage-a", "enrolment filterpage-a");

        HtmlPage onlyUsers = ((HtmlElement) section(causeA, "user", "filterpage-a").querySelector("a.only")).click();
        assertThat(causesShown(onlyUsers)).containsExactly("user filterpage-a");

        HtmlPage all = ((HtmlElement) onlyUsers.getElementById("filter-clear")).click();
        assertThat(causesShown(all)).contains("user filterpage-a", "course filterpage-b", "enrolment filterpage-a");
    }

    private static List<String> causesShown(HtmlPage page) {
        return page.querySelectorAll("section.group").stream().map(node -> (DomElement) node)
                .map(section -> section.getAttribute("data-entity-type") + " " + section.getAttribute("data-error-code"))
                .toList();
    }

    private static HtmlElement section(HtmlPage page, String entityType, String errorCode) {
        return page.querySelectorAll("section.group").stream().map(node -> (HtmlElement) node)
                .filter(section -> entityType.equals(section.getAttribute("data-entity-type"))
                        && errorCode.equals(section.getAttribute("data-error-code")))
                .findFirst().orElse(null);
    }

    private static DomElement group(DomElement row) {
        DomNode node = row;
        while (!(node instanceof DomElement element && "section".equals(element.getTagName()))) {
            node = node.getParentNode();
        }
        return (DomElement) node;
    }

    /** The paths of the POST requests the browser sends from now on. */
    private List<String> recordPosts() {
        List<String> posts = new CopyOnWriteArrayList<>();
        new WebConnectionWrapper(browser.client()) {
            @Override
            public WebResponse getResponse(WebRequest request) throws IOException {
                if (request.getHttpMethod() == HttpMethod.POST) {
                    posts.add(request.getUrl().getPath());
                }
                return super.getResponse(request);
            }
        };
        return posts;
    }

    /** An open entry put straight into dead_letter, its record's claim FAILED, as dead-letter-record.sql leaves it. */
    private long deadLetter(String entityType, long entityId, String errorCode, String message) {
        db.update("INSERT INTO sync_state (entity_type, entity_id, state, attempts) VALUES (?, ?, 'FAILED', 1)",
                entityType, entityId);
        return (Long) db.value("INSERT INTO dead_letter (entity_type, entity_id, error_class, error_code, error_message)"
                + " VALUES (?, ?, 'bad-data', ?, ?) RETURNING id", entityType, entityId, errorCode, message);
    }

    private String state(long id) {
        return (String) db.value("SELECT state FROM dead_letter WHERE id = ?", id);
    }

    private long awaitOpenEntry(String entityType, long entityId) {
        String sql = "SELECT id FROM dead_letter WHERE entity_type = ? AND entity_id = ? AND state = 'OPEN'";
        eventually().until(() -> db.value(sql, entityType, entityId) != null);
        return (Long) db.value(sql, entityType, entityId);
    }

    /** Opens the page as an operator: the browser answers the Basic challenge with the name and password. */
    private HtmlPage openPage() {
        return openPage("/dead-letter-queue");
    }

    private HtmlPage openPage(String path) {
        HtmlPage page = browser.open(path);
        assertThat(page.getTitleText()).isEqualTo("Dead-letter queue");
        return page;
    }

    private static String text(DomElement row, String selector) {
        return row.querySelector(selector).asNormalizedText();
    }
}
