package org.apitmoodle.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays, in order, exchanges 289-317 (more user fields, custom profile fields, countries, course fields and a
 * course custom field, then copies of a course), recorded against a third Moodle 4.1.20 site, against one emulator set up as that site
 * stood, and checks that it answers alike: as {@link TranscriptConformanceTest} compares (same keys at every level,
 * same types, same array lengths), and further every value but those of the recording site's own making (picture
 * URLs, times, the course's place in the listing, the category's name).
 */
class TranscriptConformanceRig3Test {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The exchanges replayed, in recording order (src/test/resources/moodle-transcripts). */
    static final List<String> FILES = List.of(
            "289-create-users-department-institution.json",
            "290-create-users-profile-customfields.json",
            "291-get-users-after-profile-customfields.json",
            "292-create-users-customfield-unknown-type.json",
            "293-get-users-after-customfield-unknown-type.json",
            "294-create-users-menu-customfield-invalid-option.json",
            "295-get-users-after-menu-invalid-option.json",
            "296-create-users-country-invalid-xx.json",
            "297-create-users-country-lowercase-gb.json",
            "298-get-users-after-country-xx-gb.json",
            "299-create-courses-customfield-venue.json",
            "300-get-courses-after-customfield-venue.json",
            "301-create-courses-customfield-unknown-shortname.json",
            "302-get-courses-after-customfield-unknown-shortname.json",
            "303-duplicate-course-options-users-0.json",
            "304-duplicate-course-no-options.json",
            "305-get-contents-after-duplicate.json",
            "306-get-courses-by-id-after-duplicate.json",
            "307-update-courses-idnumber-dates-on-copy.json",
            "308-get-courses-by-idnumber-after-update-copy.json",
            "309-duplicate-course-shortname-taken.json",
            "310-duplicate-course-nonexistent-courseid.json",
            "311-duplicate-course-without-backupcourse-cap.json",
            "312-enrol-two-users-in-preset-class.json",
            "313-get-enrolled-users-preset-class-before-duplicate.json",
            "314-duplicate-course-with-enrolments-options-users-0.json",
            "315-duplicate-course-with-enrolments-no-options.json",
            "316-get-enrolled-users-on-copy.json",
            "317-duplicate-course-timing-t1.json");

    /**
     * Exchanges compared as {@link TranscriptConformanceTest} does (keys, types, lengths) but not value by value:
     * the copy's content carries the recording site's own ids (sections, course modules, module instances,
     * contexts) and its URLs.
     */
    private static final Set<String> KEYS_ONLY = Set.of("305-get-contents-after-duplicate.json");

    /** What the recording site's administrator changed outside the web service before an exchange. */
    private static final Map<String, Runnable> CHANGES_BEFORE = Map.of(
            "311-duplicate-course-without-backupcourse-cap.json",
            () -> TranscriptConformanceRig3Test.emulator.site().withdrawCapability("moodle/backup:backupcourse"),
            "312-enrol-two-users-in-preset-class.json",
            () -> TranscriptConformanceRig3Test.emulator.site().restoreCapability("moodle/backup:backupcourse"));

    /** Values of the recording site's own making, not compared. */
    private static final Set<String> NOT_COMPARED = Set.of("profileimageurl", "profileimageurlsmall", "timecreated",
            "timemodified", "cacherev", "sortorder", "categoryname");

    private static MoodleEmulator emulator;

    /**
     * The third site as it stood before exchange 289: the integration user "accessplanit" (3), so the first user
     * created is 4; courses PRESET-CLASS (2) and PRESET-ELEARN (3) in category 2; the profile fields employeeno
     * (text "Employee number") and region (menu "Region": North, South, East, West); the course custom field venue
     * (text "Venue"). PRESET-CLASS ("Preset classroom") starts on 2026-12-05, shows 1 news item, and holds, in its first two sections, the Announcements
     * forum, the page Welcome and a label (as its copy shows them).
     */
    @BeforeAll
    static void startRig3() {
        emulator = MoodleEmulator.start(0, TranscriptConformanceTest.FULL_TOKEN);
        MoodleSite site = emulator.site();
        site.renameServiceUser("accessplanit");
        long presetClass = site.addCourse("PRESET-CLASS", "Preset classroom", "", 2).id();
        site.setNewsItems(presetClass, 1);
        site.setCourseDates(presetClass, 1796515200L, null);
        site.setLastSection(presetClass, 1);
        site.addActivity(presetClass, 0, "forum", "Announcements", "");
        site.addActivity(presetClass, 0, "page", "Welcome", "");
        site.addActivity(presetClass, 1, "label", "Bring safety boots and photo ID on day one.",
                "<p>Bring safety boots and photo ID on day one.</p>");
        site.addCourse("PRESET-ELEARN", "Preset e-learning course", "", 2);
        site.addUserProfileField("employeeno", "Employee number", "text", List.of());
        site.addUserProfileField("region", "Region", "menu", List.of("North", "South", "East", "West"));
        site.addCourseCustomField("venue", "Venue");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** The exchanges, then what they left in the emulator's tables (one factory: its tests run in this order). */
    @TestFactory
    Stream<DynamicTest> everyExchangeOf289To317IsAnsweredAlikeAndStored() {
        return Stream.concat(replays(), theSiteHoldsWhatWasSent());
    }

    private static Stream<DynamicTest> replays() {
        return FILES.stream().map(file -> dynamicTest(file, () -> {
            JsonNode transcript = TranscriptConformanceTest.readTranscript(file);
            CHANGES_BEFORE.getOrDefault(file, () -> { }).run();
            HttpResponse<String> response = TranscriptConformanceTest.replay(emulator, transcript);
            List<String> mismatches = TranscriptConformanceTest.compare(transcript, response, false);
            if (mismatches.isEmpty() && !KEYS_ONLY.contains(file)) {
                compareValues(JSON.readTree(transcript.get("response_body").asText()),
                        JSON.readTree(response.body()), "$", mismatches);
            }
            assertThat(mismatches).as("%s: emulator answered %s", file, response.body()).isEmpty();
        }));
    }

    /** What the exchanges leave in the emulator's tables, read through its Java API. */
    private static Stream<DynamicTest> theSiteHoldsWhatWasSent() {
        MoodleSite site = emulator.site();
        return Stream.of(
                dynamicTest("289: every field of apit.f1 is stored, phone1 too", () -> {
                    User f1 = site.userByUsername("apit.f1").orElseThrow();
                    assertThat(List.of(f1.department(), f1.institution(), f1.city(), f1.country(), f1.phone1(),
                            f1.idnumber(), f1.lang(), f1.timezone()))
                            .containsExactly("Facilities", "Acme Ltd", "Leeds", "GB", "0113 496 0000", "APIT-F1",
                                    "en", "99");
                    assertThat(f1.profile()).isEmpty();
                }),
                dynamicTest("290: both profile fields of apit.f2", () -> assertThat(
                        site.userByUsername("apit.f2").orElseThrow().profile())
                        .isEqualTo(Map.of("employeeno", "E-1042", "region", "North"))),
                dynamicTest("292: the unknown profile field is not stored", () -> assertThat(
                        site.userByUsername("apit.f3").orElseThrow().profile())
                        .isEqualTo(Map.of("employeeno", "E-1043"))),
                dynamicTest("294: a menu value outside the options is stored as the default, empty", () -> {
                    User f4 = site.userByUsername("apit.f4").orElseThrow();
                    assertThat(f4.profile("region")).isEmpty();
                    assertThat(f4.profile()).containsEntry("region", "").containsEntry("employeeno", "E-1044");
                }),
                dynamicTest("296-297: XX and gb are stored as '0'", () -> {
                    assertThat(site.userByUsername("apit.f5").orElseThrow().country()).isEqualTo("0");
                    assertThat(site.userByUsername("apit.f6").orElseThrow().country()).isEqualTo("0");
                }),
                dynamicTest("299: the course's fields and its venue", () -> {
                    Course c = site.courseByIdnumber("APIT-C-CF1").orElseThrow();
                    assertThat(c.visible()).isFalse();
                    assertThat(c.format()).isEqualTo("topics");
                    assertThat(c.numsections()).isEqualTo(3);
                    assertThat(c.enablecompletion()).isTrue();
                    assertThat(c.startdate()).isEqualTo(1803859200L);
                    assertThat(c.enddate()).isEqualTo(1806451200L);
                    assertThat(c.customField("venue")).isEqualTo("Leeds, Room 2");
                }),
                dynamicTest("304-305: the copy holds the template's sections and activities", () -> {
                    Course copy = site.courseByShortname("APIT-COPY-A").orElseThrow();
                    assertThat(copy.id()).isEqualTo(6);
                    assertThat(site.sections(copy.id())).extracting(MoodleSite.Section::name)
                            .containsExactly("General", "Topic 1");
                    assertThat(site.activities(copy.id())).extracting(MoodleSite.Activity::modname,
                            MoodleSite.Activity::name).containsExactly(
                                    org.assertj.core.groups.Tuple.tuple("forum", "Announcements"),
                                    org.assertj.core.groups.Tuple.tuple("page", "Welcome"),
                                    org.assertj.core.groups.Tuple.tuple("label",
                                            "Bring safety boots and photo ID on day one."));
                    assertThat(site.activities(copy.id())).extracting(MoodleSite.Activity::cmid)
                            .doesNotContainAnyElementsOf(site.activities(2).stream().map(MoodleSite.Activity::cmid)
                                    .toList());
                }),
                dynamicTest("307: the copy carries its ID number and dates", () -> {
                    Course copy = site.courseByIdnumber("APIT-C-COPY-A").orElseThrow();
                    assertThat(copy.startdate()).isEqualTo(1806537600L);
                    assertThat(copy.enddate()).isEqualTo(1809129600L);
                }),
                dynamicTest("303, 309-311, 314: no course made by a refused copy", () -> assertThat(site.courses())
                        .extracting(Course::shortname).doesNotContain("APIT-COPY-B", "APIT-COPY-X")
                        .filteredOn(shortname -> shortname.equals("APIT-COPY-A")).hasSize(1)),
                dynamicTest("315-316: the learners of the template are not copied", () -> {
                    Course copy = site.courseByShortname("APIT-COPY-C").orElseThrow();
                    assertThat(site.enrolments()).noneMatch(e -> e.courseId() == copy.id());
                    assertThat(site.enrolments()).filteredOn(e -> e.courseId() == 2).hasSize(2);
                }),
                dynamicTest("301: nothing of the unknown course custom field is stored", () -> {
                    Course c = site.courseByIdnumber("APIT-C-CF2").orElseThrow();
                    assertThat(c.customfields()).isEmpty();
                    assertThat(c.customField("venue")).isEmpty();
                }));
    }

    /** Every value of the recorded answer, but {@link #NOT_COMPARED}, equals the emulator's. */
    private static void compareValues(JsonNode recorded, JsonNode actual, String path, List<String> mismatches) {
        if (recorded.isObject()) {
            for (Iterator<String> names = recorded.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                if (!NOT_COMPARED.contains(key) && actual.has(key)) {
                    compareValues(recorded.get(key), actual.get(key), path + "." + key, mismatches);
                }
            }
        } else if (recorded.isArray()) {
            for (int i = 0; i < Math.min(recorded.size(), actual.size()); i++) {
                compareValues(recorded.get(i), actual.get(i), path + "[" + i + "]", mismatches);
            }
        } else if (!recorded.equals(actual)) {
            mismatches.add(path + " is " + actual + ", recorded " + recorded);
        }
    }
}
