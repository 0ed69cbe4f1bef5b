package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.User;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.OperatorHttp;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * An operator works the dead-letter queue page in a real browser (Debian's headless Chromium): bad records go
 * through the real sync into the queue, the page lists them, Replay after fixing the email in accessplanit gets
 * the user into Moodle, and Discard with a reason closes an entry for good.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200",
        "camel.server.enabled=true", "dead-letters.username=operator", "dead-letters.password=" + DeadLetterQueuePageTest.PASSWORD})
class DeadLetterQueuePageTest extends SyncTestSupport {

    static final String PASSWORD = "page-password-42";
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    static int port;
    static WebDriver browser;

    Accessplanit accessplanit;
    MoodleSite site;

    @BeforeAll
    static void httpPortAndBrowser(@TempDir Path profile) {
        port = OperatorHttp.freePort();
        System.setProperty("dead-letters.http-port", Integer.toString(port));
        // The driver and the browser are the machine's own: Selenium Manager is never asked to find or fetch them.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.resolve("chromium"));
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void closeBrowser() {
        System.clearProperty("dead-letters.http-port");
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
    }

    @Test
    void replayOnThePageSendsTheRecordAsItIsNowInAccessplanit() {
        accessplanit.classroomCourse(300, "Fire Safety");
        accessplanit.user(301, "Judy", "Jones", "judy@example");   // no top-level domain: dead-lettered
        accessplanit.user(302, "Ken", "King", "ken@example.com");
        accessplanit.delegate(301, 301, 300, "BOOKED");
        accessplanit.delegate(302, 302, 300, "BOOKED");
        long judy = awaitOpenEntry("user", 301);
        eventually().until(() -> accessplanit.userMoodleId(302) != null);

        openPage();
        WebElement row = row(judy);
        assertThat(row.findElement(By.className("record")).getText()).isEqualTo("user 301");
        assertThat(row.findElement(By.className("message")).getText()).contains("judy@example");
        assertThat(row.findElement(By.className("attempts")).getText()).isEqualTo("1");

        db.update("UPDATE users SET email = 'judy.jones@example.com' WHERE id = 301");
        row.findElement(By.cssSelector("button.replay")).click();

        eventually().until(() -> accessplanit.userMoodleId(301) != null);
        User inMoodle = site.userByUsername("apit.301").orElseThrow();
        assertThat(inMoodle.id()).isEqualTo(accessplanit.userMoodleId(301));
        assertThat(inMoodle.email()).isEqualTo("judy.jones@example.com");
        assertThat(db.value("SELECT state FROM dead_letter WHERE id = ?", judy)).isEqualTo("REPLAYED");
        assertThat(accessplanit.syncState("user", 301)).isEqualTo("DONE");
        eventually().ignoreExceptions().until(() -> rows(judy).isEmpty() && browser.findElement(By.id("status")).getText().isEmpty());
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 301)));
        assertThat(site.users()).filteredOn(user -> user.username().equals("apit.301")).hasSize(1);
    }

    @Test
    void discardOnThePageWithAReasonClosesTheEntryAndShowsUserDataAsText() {
        String hostile = "<img src=x onerror=\"document.title='hacked'\">@example";
        accessplanit.classroomCourse(310, "First Aid");
        accessplanit.user(311, "Mallory", "Moss", hostile);
        accessplanit.user(312, "Nina", "North", "nina@example");
        accessplanit.delegate(311, 311, 310, "BOOKED");
        accessplanit.delegate(312, 312, 310, "BOOKED");
        long mallory = awaitOpenEntry("user", 311);
        long nina = awaitOpenEntry("user", 312);

        openPage();
        WebElement row = row(mallory);
        assertThat(row.findElement(By.className("message")).getText()).contains(hostile);
        assertThat(browser.findElements(By.cssSelector("#entries img"))).as("user data is text, not markup").isEmpty();
        assertThat(browser.getTitle()).isEqualTo("Dead-letter queue");

        row.findElement(By.name("reason")).sendKeys("Test booking, not a real person");
        row.findElement(By.cssSelector("button.discard")).click();

        eventually().until(() -> "DISCARDED".equals(db.value("SELECT state FROM dead_letter WHERE id = ?", mallory)));
        assertThat(db.value("SELECT discard_reason FROM dead_letter WHERE id = ?", mallory))
                .isEqualTo("Test booking, not a real person");
        assertThat(accessplanit.syncState("user", 311)).as("never sent again").isEqualTo("FAILED");
        eventually().ignoreExceptions().until(() -> rows(mallory).isEmpty() && !rows(nina).isEmpty());
        assertThat(db.value("SELECT state FROM dead_letter WHERE id = ?", nina)).isEqualTo("OPEN");
        assertThat(site.userByUsername("apit.311")).isEmpty();
    }

    private long awaitOpenEntry(String entityType, long entityId) {
        String sql = "SELECT id FROM dead_letter WHERE entity_type = ? AND entity_id = ? AND state = 'OPEN'";
        eventually().until(() -> db.value(sql, entityType, entityId) != null);
        return (Long) db.value(sql, entityType, entityId);
    }

    /** Opens the page as an operator: the browser answers the Basic challenge with the name and password in the URL. */
    private void openPage() {
        browser.get("http://operator:" + PASSWORD + "@127.0.0.1:" + port + "/dead-letter-queue");
        assertThat(browser.getTitle()).isEqualTo("Dead-letter queue");
    }

    private WebElement row(long entryId) {
        return browser.findElement(By.id("dead-letter-" + entryId));
    }

    private List<WebElement> rows(long entryId) {
        return browser.findElements(By.id("dead-letter-" + entryId));
    }
}
