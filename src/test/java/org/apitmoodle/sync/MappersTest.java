package org.apitmoodle.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.junit.jupiter.api.Test;

class MappersTest {

    private final CourseMapper courses = new CourseMapper(2, "APIT-", "APIT-C-");
    private final UserMapper users = new UserMapper("apit.");

    @Test
    void aCourseBecomesMoodlesCreateParameters() {
        Map<String, Object> request = courses.createCoursesRequest(List.of(course(101, "Fire Safety", 1795496149L, 1798174549L)));

        assertThat(request.get("courses")).asList().containsExactly(Map.of(
                "fullname", "Fire Safety", "shortname", "APIT-101", "categoryid", 2L, "idnumber", "APIT-C-101",
                "summary", "<p>Aims</p>", "summaryformat", 1, "startdate", 1795496149L, "enddate", 1798174549L));
    }

    @Test
    void coursesMoodleCannotTakeAreStoppedBeforeSending() {
        assertRejected(() -> courses.moodleCourse(course(1, "  ", 1L, null)), "nolabel");
        assertRejected(() -> courses.moodleCourse(course(1, "x".repeat(255), 1L, null)), "labeltoolong");
        assertRejected(() -> courses.moodleCourse(course(1, "Label", null, null)), "nostartdate");
        assertRejected(() -> courses.moodleCourse(course(1, "Label", 200L, 100L)), "endbeforestart");
    }

    @Test
    void moodlesAnswerIsPairedWithTheCoursesSentByShortname() throws Exception {
        var answer = new ObjectMapper().readTree("[{\"id\":9,\"shortname\":\"APIT-102\"},{\"id\":8,\"shortname\":\"APIT-101\"}]");

        var written = courses.createdCourses(List.of(course(101, "A", 1L, null), course(102, "B", 5L, 9L)), answer);

        // The dates it was created with go along, so the date sync sends only later changes.
        assertThat(written).hasSize(2);
        assertThat(written.get(0)).containsEntry("course_id", 101L).containsEntry("moodle_id", 8L)
                .containsEntry("start_date", 1L).containsEntry("end_date", null);
        assertThat(written.get(1)).containsEntry("course_id", 102L).containsEntry("moodle_id", 9L)
                .containsEntry("start_date", 5L).containsEntry("end_date", 9L);
    }

    @Test
    void aUserBecomesMoodlesCreateParametersWithAMoodleUsername() {
        Map<String, Object> moodle = users.moodleUser(user(42, "Anna Maria", "O'Neill", "Anna.ONeill@example.com"));

        assertThat(moodle).containsEntry("username", "apit.42").containsEntry("firstname", "Anna Maria")
                .containsEntry("lastname", "O'Neill").containsEntry("email", "Anna.ONeill@example.com")
                .containsEntry("auth", "manual").containsEntry("createpassword", 1).doesNotContainKey("password");
        assertThat(new UserMapper("APIT-").username(7)).isEqualTo("apit-7");
    }

    @Test
    void usersMoodleCannotTakeAreStoppedBeforeSending() {
        assertRejected(() -> users.moodleUser(user(1, "A", "B", null)), "noemail");
        assertRejected(() -> users.moodleUser(user(1, "A", "B", "not-an-email")), "invalidemail");
        assertRejected(() -> users.moodleUser(user(1, "A", "B", "bad@@example.com")), "invalidemail");
        assertRejected(() -> users.moodleUser(user(1, "A", " ", "a@example.com")), "nosurname");
        assertRejected(() -> users.moodleUser(user(1, null, "B", "a@example.com")), "noforenames");
        assertRejected(() -> users.moodleUser(user(1, "A", "B".repeat(101), "a@example.com")), "surnametoolong");
        assertThat(UserMapper.isValidPrefix("apit.")).isTrue();
        assertThat(UserMapper.isValidPrefix("ap it")).isFalse();
    }

    @Test
    void aBookingBecomesAnEnrolmentWithTheConfiguredRoleOnly() {
        Map<String, Object> request = new EnrolmentMapper(5).enrolUsersRequest(
                List.of(Map.of("delegate_id", 1L, "moodle_user_id", 7L, "moodle_course_id", 2L)));

        assertThat(request.get("enrolments")).asList().containsExactly(Map.of("roleid", 5L, "userid", 7L, "courseid", 2L));
    }

    private static void assertRejected(Runnable mapping, String code) {
        assertThatThrownBy(mapping::run).isInstanceOf(BadRecordException.class)
                .extracting(e -> ((BadRecordException) e).getErrorCode()).isEqualTo(code);
    }

    private static Map<String, Object> course(long id, String label, Long start, Long end) {
        Map<String, Object> row = new HashMap<>();
        row.put("course_id", id);
        row.put("label", label);
        row.put("aims", "<p>Aims</p>");
        row.put("start_date", start);
        row.put("end_date", end);
        return row;
    }

    private static Map<String, Object> user(long id, String forenames, String surname, String email) {
        Map<String, Object> row = new HashMap<>();
        row.put("user_id", id);
        row.put("forenames", forenames);
        row.put("surname", surname);
        row.put("email", email);
        return row;
    }
}
