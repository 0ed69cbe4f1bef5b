package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.RemovalGuard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mappers of cancellations and re-activations, and the removal guard's sentence: plain logic, no Camel. */
class ChangesMappersTest {

    private static final List<Map<String, Object>> ENROLMENTS = List.of(
            Map.of("enrolment_id", 7L, "delegate_id", 70L, "moodle_user_id", 11L, "moodle_course_id", 21L),
            Map.of("enrolment_id", 8L, "delegate_id", 80L, "moodle_user_id", 12L, "moodle_course_id", 22L));

    @Test
    void suspendingSendsSuspendOneAndNoDates() {
        CancellationMapper suspend = new CancellationMapper(CancellationMapper.Action.SUSPEND, 5);

        assertThat(suspend.request(ENROLMENTS)).isEqualTo(Map.of("enrolments", List.of(
                Map.of("roleid", 5L, "userid", 11L, "courseid", 21L, "suspend", 1),
                Map.of("roleid", 5L, "userid", 12L, "courseid", 22L, "suspend", 1))));
        assertThat(suspend.written(ENROLMENTS, NullNode.getInstance())).extracting(row -> row.get("new_state"))
                .containsExactly("SUSPENDED", "SUSPENDED");
        assertThat(CancellationMapper.Action.SUSPEND.moodleFunction()).isEqualTo("enrol_manual_enrol_users");
    }

    @Test
    void unenrollingSendsUserAndCourseOnly() {
        CancellationMapper unenrol = new CancellationMapper(CancellationMapper.Action.UNENROL, 5);

        assertThat(unenrol.request(ENROLMENTS.subList(0, 1))).isEqualTo(Map.of("enrolments", List.of(
                Map.of("userid", 11L, "courseid", 21L))));
        assertThat(unenrol.written(ENROLMENTS, NullNode.getInstance())).extracting(row -> row.get("new_state"))
                .containsExactly("UNENROLLED", "UNENROLLED");
        assertThat(CancellationMapper.Action.UNENROL.moodleFunction()).isEqualTo("enrol_manual_unenrol_users");
    }

    @Test
    void keepHasNoMapperAndNoFunction() {
        assertThat(CancellationMapper.Action.KEEP.moodleFunction()).isNull();
        assertThat(CancellationMapper.Action.of("keep")).isEqualTo(CancellationMapper.Action.KEEP);
        assertThat(CancellationMapper.Action.of("delete")).isNull();
        assertThatThrownBy(() -> new CancellationMapper(CancellationMapper.Action.KEEP, 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reactivatingSendsSuspendZero() {
        ReactivationMapper reactivate = new ReactivationMapper(5);

        assertThat(reactivate.request(ENROLMENTS.subList(1, 2))).isEqualTo(Map.of("enrolments", List.of(
                Map.of("roleid", 5L, "userid", 12L, "courseid", 22L, "suspend", 0))));
        assertThat(reactivate.written(ENROLMENTS, NullNode.getInstance())).isEqualTo(ENROLMENTS);
    }

    @Test
    void theRemovalGuardHoldsOnlyOverItsLimit() {
        RemovalGuard guard = new RemovalGuard(50);
        guard.held(List.of(Map.of("held", 50L)));
        assertThat(guard.isHolding()).isFalse();

        guard.held(List.of(Map.of("held", 51L)));

        assertThat(guard.isHolding()).isTrue();
        assertThat(guard.reason()).startsWith("51 enrolments wait to be suspended or unenrolled,"
                + " more than changes.max-removals-per-poll (50)").contains("POST /removals/confirm");
    }

    @Test
    void aUserUpdateSendsOnlyTheChangedFieldsAndAWarningRefusesThatUserAlone() throws Exception {
        UserUpdateMapper mapper = new UserUpdateMapper();
        Map<String, Object> renamed = new java.util.HashMap<>(Map.of("user_id", 1L, "moodle_id", 11L,
                "firstname", "Al", "lastname", "Smith", "email", "al@example.org",
                "sent_fields", "{\"firstname\":\"Al\",\"lastname\":\"Jones\",\"email\":\"al@example.org\"}"));
        Map<String, Object> moved = new java.util.HashMap<>(Map.of("user_id", 2L, "moodle_id", 12L,
                "firstname", "Bo", "lastname", "Lee", "email", "taken@example.org",
                "sent_fields", "{\"firstname\":\"Bo\",\"lastname\":\"Lee\",\"email\":\"bo@example.org\"}"));

        assertThat(mapper.request(List.of(renamed, moved))).isEqualTo(Map.of("users", List.of(
                Map.of("id", 11L, "lastname", "Smith"), Map.of("id", 12L, "email", "taken@example.org"))));

        var answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"warnings\":[{\"item\":\"user\","
                + "\"itemid\":12,\"warningcode\":\"useremailduplicate\",\"message\":\"Duplicate address\"}]}");
        // Written back: the user and every field as now sent, noted as what Moodle holds.
        assertThat(mapper.written(List.of(renamed, moved), answer)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("user_id", 1L);
            assertThat(MoodleFields.sent(row)).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"firstname\":\"Al\",\"lastname\":\"Smith\",\"email\":\"al@example.org\"}"));
        });
        assertThat(mapper.refused(List.of(renamed, moved), answer)).singleElement().satisfies(refusal -> {
            assertThat(refusal.record()).isEqualTo(moved);
            assertThat(refusal.failure().getMessage()).contains("another Moodle account already uses the email address"
                    + " 'taken@example.org'");
        });

        moved.put("email", "not-an-email");
        assertThatThrownBy(() -> mapper.request(List.of(moved))).hasMessageContaining("'not-an-email' is not one Moodle accepts");
    }

    @Test
    void aGroupIsNamedFromTheLabelAndDatesAndAdoptedByItsIdnumber() throws Exception {
        GroupMapper mapper = new GroupMapper("APIT-C-");
        Map<String, Object> course = new java.util.HashMap<>(Map.of("course_id", 40L, "moodle_course_id", 2L,
                "label", "Data Protection", "start_day", "2027-03-01", "end_day", "2027-03-02"));
        Map<String, Object> other = new java.util.HashMap<>(Map.of("course_id", 41L, "moodle_course_id", 2L,
                "label", "Data Protection", "start_day", "2027-04-01", "end_day", "2027-04-01"));

        assertThat(mapper.request(List.of(course))).isEqualTo(Map.of("groups", List.of(Map.of("courseid", 2L,
                "name", "Data Protection (2027-03-01 to 2027-03-02)", "description", "", "descriptionformat", 1,
                "idnumber", "APIT-C-40"))));
        assertThat(GroupMapper.name(other)).isEqualTo("Data Protection (2027-04-01)");
        assertThat(mapper.lookUps(List.of(course, other))).as("one look-up per Moodle course").hasSize(1);
        var found = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "[{\"id\":9,\"courseid\":2,\"name\":\"Made by hand\",\"idnumber\":\"APIT-C-41\"}]");
        assertThat(mapper.adopted(List.of(course, other), List.of(found)))
                .containsExactly(Map.of("course_id", 41L, "moodle_course_id", 2L, "moodle_group_id", 9L));
        course.put("label", "x".repeat(300));
        assertThat(GroupMapper.name(course)).hasSize(GroupMapper.NAME_MAX).endsWith("(2027-03-01 to 2027-03-02)");
    }
}
