package org.apitmoodle.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays exchanges 318-326, recorded on the third Moodle 4.1.20 site after an administrator changed it by hand
 * (an enrolment removed, an account deleted, a course deleted), against one emulator brought to the same state with
 * the emulator's drift switches, and checks that it answers alike, value by value (but the recording site's own
 * picture URLs and times).
 */
class TranscriptConformanceDriftTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** When the recording site's administrator deleted apit.f1 (the suffix of its new username, 323). */
    private static final long DELETED_AT = 1796571467L;

    private static final Set<String> NOT_COMPARED = Set.of("profileimageurl", "profileimageurlsmall", "timecreated",
            "timemodified", "cacherev", "sortorder", "categoryname");

    private static MoodleEmulator emulator;

    /**
     * The third site as it stood before exchange 318: set up as for 289 (TranscriptConformanceRig3Test), with
     * PRESET-ELEARN named as 321 shows it, then 289-302 replayed (apit.f1 is user 4, apit.f2 user 5, APIT-C-CF1
     * course 4).
     */
    @BeforeAll
    static void startRig3AfterFields() throws Exception {
        emulator = MoodleEmulator.start(0, TranscriptConformanceTest.FULL_TOKEN);
        MoodleSite site = emulator.site();
        site.renameServiceUser("accessplanit");
        site.addCourse("PRESET-CLASS", "Preset classroom course", "", 2);
        site.addCourse("PRESET-ELEARN", "Preset e-learning", "", 2);
        site.addUserProfileField("employeeno", "Employee number", "text", List.of());
        site.addUserProfileField("region", "Region", "menu", List.of("North", "South", "East", "West"));
        site.addCourseCustomField("venue", "Venue");
        for (String file : TranscriptConformanceRig3Test.FILES) {
            TranscriptConformanceTest.replay(emulator, TranscriptConformanceTest.readTranscript(file));
        }
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** Each exchange, after what the administrator did by hand before it was recorded. */
    @TestFactory
    Stream<DynamicTest> everyExchangeOf318To326IsAnsweredAlike() {
        MoodleSite site = emulator.site();
        return Stream.of(
                replay("318-enrol-f1-in-preset-elearn.json", () -> { }),
                replay("319-get-enrolled-users-after-admin-unenrol.json", () -> site.unenrolByHand(4, 3)),
                replay("320-enrol-again-after-admin-unenrol.json", () -> { }),
                replay("321-get-enrolled-users-after-re-enrol.json", () -> { }),
                replay("322-get-users-by-username-after-delete-user.json", () -> site.deleteUser(4, DELETED_AT)),
                replay("323-get-users-by-id-after-delete-user.json", () -> { }),
                replay("324-enrol-deleted-user.json", () -> { }),
                replay("325-get-courses-by-idnumber-after-delete-course.json", () -> site.deleteCourse(4)),
                replay("326-enrol-into-deleted-course.json", () -> { }),
                dynamicTest("the deleted account keeps its id; the deleted course is gone", () -> {
                    assertThat(site.userById(4)).get().extracting(User::username, User::idnumber)
                            .containsExactly("apit.f1@example.com." + DELETED_AT, "");
                    assertThat(site.userByUsername("apit.f1")).isEmpty();
                    assertThat(site.isEnrolled(4, 3)).isFalse();
                    assertThat(site.courseById(4)).isEmpty();
                    assertThat(site.courseByIdnumber("APIT-C-CF1")).isEmpty();
                }));
    }

    private static DynamicTest replay(String file, Runnable byHand) {
        return dynamicTest(file, () -> {
            byHand.run();
            JsonNode transcript = TranscriptConformanceTest.readTranscript(file);
            HttpResponse<String> response = TranscriptConformanceTest.replay(emulator, transcript);
            List<String> mismatches = TranscriptConformanceTest.compare(transcript, response, false);
            if (mismatches.isEmpty()) {
                compareValues(JSON.readTree(transcript.get("response_body").asText()),
                        JSON.readTree(response.body()), "$", mismatches);
            }
            assertThat(mismatches).as("%s: emulator answered %s", file, response.body()).isEmpty();
        });
    }

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
