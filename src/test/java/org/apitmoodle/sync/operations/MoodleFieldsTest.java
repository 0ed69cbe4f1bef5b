package org.apitmoodle.sync.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.junit.jupiter.api.Test;

/** Fields as data: columns to Moodle's parameters and custom fields, each value checked by Moodle's own rule. */
class MoodleFieldsTest {

    @Test
    void aColumnIsAMoodleParameterACustomFieldOrThePipelines() {
        assertThat(MoodleFields.USERS.problem("department")).isNull();
        assertThat(MoodleFields.USERS.problem("profile_field_employeeno")).isNull();
        assertThat(MoodleFields.USERS.problem("user_id")).isNull();
        assertThat(MoodleFields.USERS.problem("sent_fields")).isNull();
        assertThat(MoodleFields.COURSES.problem("customfield_venue")).isNull();
        assertThat(MoodleFields.COURSES.problem("visible")).isNull();

        assertThat(MoodleFields.USERS.problem("departmnet")).contains("neither a parameter of core_user_create_users")
                .contains("profile_field_<shortname>");
        assertThat(MoodleFields.USERS.problem("username")).contains("the integration sets itself");
        assertThat(MoodleFields.COURSES.problem("shortname")).contains("the integration sets itself");
        assertThat(MoodleFields.COURSES.problem("profile_field_x")).as("a user's custom field on a course")
                .contains("customfield_<shortname>");
        assertThat(MoodleFields.COURSES.problem("customfield_a b")).contains("short name");
    }

    @Test
    void fieldsBecomeParametersAndCustomFields() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", 7L);
        row.put("firstname", " Ann ");
        row.put("department", "Facilities");
        row.put("country", "GB");
        row.put("city", null);
        row.put("profile_field_employeeno", "E-1042");
        row.put("sent_fields", "{}");
        Map<String, Object> moodle = new LinkedHashMap<>();

        MoodleFields.USERS.put(MoodleFields.USERS.of(row), moodle);

        assertThat(moodle).containsExactly(Map.entry("firstname", "Ann"), Map.entry("department", "Facilities"),
                Map.entry("country", "GB"),
                Map.entry("customfields", List.of(Map.of("type", "employeeno", "value", "E-1042"))));

        Map<String, Object> course = new LinkedHashMap<>();
        MoodleFields.COURSES.put(Map.of("visible", false, "customfield_venue", "Leeds, Room 2"), course);
        assertThat(course).containsEntry("visible", 0)
                .containsEntry("customfields", List.of(Map.of("shortname", "venue", "value", "Leeds, Room 2")));
    }

    @Test
    void aValueMoodleWouldRefuseOrDropIsRefusedNamingTheColumn() {
        assertRefused(MoodleFields.USERS, "country", "gb", "invalidcountry", "ISO 3166 codes in capitals");
        assertRefused(MoodleFields.USERS, "country", "XX", "invalidcountry", "not a country code Moodle knows");
        assertRefused(MoodleFields.USERS, "phone1", "0".repeat(21), "invalidphone1", "at most 20");
        assertRefused(MoodleFields.USERS, "department", "<b>Sales</b>", "invaliddepartment", "markup");
        assertRefused(MoodleFields.USERS, "timezone", "Mars/Olympus", "invalidtimezone", "time zone");
        assertRefused(MoodleFields.USERS, "lang", "en us", "invalidlang", "language code");
        assertRefused(MoodleFields.COURSES, "visible", "yes", "invalidvisible", "whole number");
        assertRefused(MoodleFields.COURSES, "format", "Topics!", "invalidformat", "plugin");
        assertRefused(MoodleFields.COURSES, "fullname", "x".repeat(255), "invalidfullname", "at most 254");

        assertThat(MoodleFields.USERS.checked("timezone", "Europe/London")).isEqualTo("Europe/London");
        assertThat(MoodleFields.COURSES.checked("visible", "0")).isEqualTo(0L);
        assertThat(MoodleFields.COURSES.checked("summary", "<p>Raw HTML is kept</p>")).isEqualTo("<p>Raw HTML is kept</p>");
    }

    @Test
    void onlyTheFieldsThatChangedSinceLastSentAreSentAndAClearedOneIsSentEmpty() throws Exception {
        var sent = new ObjectMapper().readTree("{\"firstname\":\"Ann\",\"department\":\"Sales\","
                + "\"profile_field_employeeno\":\"E-1\",\"maildisplay\":2}");
        Map<String, Object> now = new LinkedHashMap<>();
        now.put("firstname", "Ann");
        now.put("department", "Facilities");
        now.put("city", "Leeds");

        assertThat(MoodleFields.USERS.changed(now, sent)).containsExactly(Map.entry("department", "Facilities"),
                Map.entry("city", "Leeds"), Map.entry("profile_field_employeeno", ""));
        assertThat(MoodleFields.USERS.changed(now, null)).as("nothing noted: everything is sent").isEqualTo(now);
        assertThat(MoodleFields.COURSES.changed(Map.of("visible", 1L), new ObjectMapper().readTree("{\"visible\":1}")))
                .isEmpty();
    }

    private static void assertRefused(MoodleFields fields, String column, Object value, String code, String why) {
        assertThatThrownBy(() -> fields.checked(column, value)).isInstanceOf(BadRecordException.class)
                .hasMessageContaining(column).hasMessageContaining(why)
                .extracting(e -> ((BadRecordException) e).getErrorCode()).isEqualTo(code);
    }
}
