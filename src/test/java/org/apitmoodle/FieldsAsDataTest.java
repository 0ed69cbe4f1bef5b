package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apitmoodle.emulator.Course;
import org.apitmoodle.emulator.MoodleSite;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.emulator.User;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fields as data, as a customer adds them: their own SQL folder (sql.location=file:...) is the shipped one with
 * columns added to fields/user.sql and fields/course.sql, and no Java changed. The learner's department and an
 * employee number in a custom profile field, the course's venue in a course custom field, and new courses hidden
 * reach the emulator's Moodle; a changed department is then sent on its own.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200", "grades.enabled=false"})
class FieldsAsDataTest extends SyncTestSupport {

    private static Path customerSql;

    Accessplanit accessplanit;
    MoodleSite site;

    @BeforeAll
    static void customersOwnSqlFolderAndMoodleFields() throws IOException {
        // The customer's accessplanit holds these columns; their Moodle has these custom fields, set up by hand.
        db.update("ALTER TABLE users ADD COLUMN department text, ADD COLUMN employee_number text,"
                + " ADD COLUMN region text");
        db.update("ALTER TABLE courses ADD COLUMN venue text");
        moodle.site().addUserProfileField("employeeno", "Employee number", "text", List.of());
        moodle.site().addUserProfileField("region", "Region", "menu", List.of("North", "South", "East", "West"));
        moodle.site().addCourseCustomField("venue", "Venue");

        customerSql = copyOfShippedSql();
        addColumns(customerSql.resolve("fields/user.sql"), "u.email     AS email",
                "u.email     AS email,\n       u.department AS department,\n"
                        + "       u.employee_number AS profile_field_employeeno,\n"
                        + "       u.region AS profile_field_region");
        addColumns(customerSql.resolve("fields/course.sql"), "AS enddate",
                "AS enddate,\n       c.venue AS customfield_venue,\n       0 AS visible");
        System.setProperty("sql.location", "file:" + customerSql);
    }

    @AfterAll
    static void forgetTheFolder() {
        System.clearProperty("sql.location");
    }

    @BeforeEach
    void edges() {
        accessplanit = new Accessplanit(db);
        site = moodle.site();
    }

    @Test
    void addedColumnsReachMoodleAndAChangedDepartmentIsSentAlone() {
        accessplanit.classroomCourse(10, "Fire Safety");
        db.update("UPDATE courses SET venue = 'Leeds, Room 2' WHERE id = 10");
        accessplanit.user(1, "Fiona", "Field", "fiona@example.org");
        db.update("UPDATE users SET department = 'Facilities', employee_number = 'E-1042' WHERE id = 1");
        accessplanit.delegate(100, 1, 10, "BOOKED");

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 100)));
        long courseId = accessplanit.courseMoodleId(10);
        long userId = accessplanit.userMoodleId(1);

        Course course = site.courseById(courseId).orElseThrow();
        assertThat(course.customField("venue")).isEqualTo("Leeds, Room 2");
        assertThat(course.visible()).as("new courses hidden until a trainer opens them").isFalse();
        assertThat(course.fullname()).isEqualTo("Fire Safety");
        User user = site.userById(userId).orElseThrow();
        assertThat(user.department()).isEqualTo("Facilities");
        assertThat(user.profile("employeeno")).isEqualTo("E-1042");
        assertThat(site.isEnrolled(userId, courseId)).isTrue();

        db.update("UPDATE users SET department = 'Estates' WHERE id = 1");

        eventually().until(() -> site.userById(userId).orElseThrow().department().equals("Estates"));
        assertThat(updateCalls(userId)).singleElement().satisfies(call -> assertThat(call.params())
                .filteredOn(param -> param.getKey().startsWith("users"))
                .containsExactly(Map.entry("users[0][id]", Long.toString(userId)),
                        Map.entry("users[0][department]", "Estates")));
        eventually().until(() -> "DONE".equals(accessplanit.syncState("user-update", 1)));
        assertThat(db.value("SELECT fields->>'department' FROM user_sent WHERE user_id = 1")).isEqualTo("Estates");
        assertThat(site.userById(userId).orElseThrow().profile("employeeno")).isEqualTo("E-1042");
        assertNothingLostAndNothingTwice();
    }

    @Test
    void aValueMoodleDropsWithoutAWordIsFoundAndDeadLettered() {
        accessplanit.classroomCourse(20, "First Aid");
        accessplanit.user(2, "Nora", "North", "nora@example.org");
        db.update("UPDATE users SET region = 'North' WHERE id = 2");
        accessplanit.user(3, "Mo", "Middle", "mo@example.org");
        // Not one of the menu's options: Moodle stores the field's default and says nothing.
        db.update("UPDATE users SET region = 'Middle', department = 'Sales' WHERE id = 3");
        accessplanit.delegate(200, 2, 20, "BOOKED");
        accessplanit.delegate(300, 3, 20, "BOOKED");

        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 300))
                && "FAILED".equals(accessplanit.syncState("user-update", 3)));

        assertThat(site.userById(accessplanit.userMoodleId(2)).orElseThrow().profile("region")).isEqualTo("North");
        User mo = site.userById(accessplanit.userMoodleId(3)).orElseThrow();
        assertThat(mo.profile("region")).isEmpty();
        assertThat(mo.department()).as("the other fields are kept").isEqualTo("Sales");
        assertThat(db.rows("SELECT error_code, error_message FROM dead_letter WHERE entity_type = 'user-update'"
                + " AND entity_id = 3 AND state = 'OPEN'")).singleElement().satisfies(entry -> {
                    assertThat(entry.get("error_code")).isEqualTo("customfielddropped");
                    assertThat(entry.get("error_message").toString()).contains("profile_field_region 'Middle'")
                            .contains("menu options");
                });
        assertThat(accessplanit.syncState("user-update", 2)).as("a kept value waits for nothing").isNull();
        assertNothingLostAndNothingTwice();
    }

    private static List<RecordedCall> updateCalls(long moodleId) {
        return moodle.calls().stream().filter(call -> call.wsfunction().equals("core_user_update_users")
                && call.params().stream().anyMatch(p -> p.getKey().matches("users\\[\\d+]\\[id]")
                        && p.getValue().equals(Long.toString(moodleId))))
                .toList();
    }

    /** The shipped SQL folder, copied as a customer starts their own. */
    static Path copyOfShippedSql() throws IOException {
        Path shipped;
        try {
            shipped = Path.of(FieldsAsDataTest.class.getResource("/sql/claim-records.sql").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path copy = Files.createTempDirectory("customer-sql");
        try (Stream<Path> files = Files.walk(shipped)) {
            files.forEach(file -> {
                try {
                    Path target = copy.resolve(shipped.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return copy;
    }

    static void addColumns(Path file, String after, String with) throws IOException {
        String sql = Files.readString(file);
        assertThat(sql).contains(after);
        Files.writeString(file, sql.replace(after, with));
    }
}
