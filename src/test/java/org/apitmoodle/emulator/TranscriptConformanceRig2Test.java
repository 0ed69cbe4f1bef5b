package org.apitmoodle.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays, in order, exchanges 145-288, recorded against a second Moodle 4.1 site ("Rig2"), against one emulator
 * set up as that site stood, and checks that it answers alike (see {@link TranscriptConformanceTest} for what is
 * compared). Every exchange of 145-288 is either replayed or listed in {@link #NOT_REPLAYED} with its reason.
 */
class TranscriptConformanceRig2Test {

    private static final int FIRST = 145;
    private static final int LAST = 288;

    /** Exchanges not replayed, and why. Each is a gap of the emulator, to close (see the report of issue 10). */
    static final Map<Integer, String> NOT_REPLAYED = new TreeMap<>();

    static {
        NOT_REPLAYED.put(154, "with debugging on, Moodle 4.1 fails while building this error's report (a PHP"
                + " TypeError, HTTP 500 with an empty body); the emulator does not copy that bug");
        NOT_REPLAYED.put(231, "Moodle 4.1 fails with a PHP Error (no errorcode) for a missing id in field=ids;"
                + " the emulator does not copy that bug");
        IntStream.rangeClosed(255, 256).forEach(n -> NOT_REPLAYED.put(n, "core_enrol_get_enrolled_users'"
                + " withcapability option (moodle/role:review) is not emulated yet"));
        NOT_REPLAYED.put(257, "needs the 200 apit.bulk users Rig2 held, which the exchanges do not show being made");
        NOT_REPLAYED.put(265, "Rig2's service held 19 functions (unenrol, update users, groups ...), site info lists"
                + " them; the emulated service lists 17 (a function added with addToService is not listed)");
        IntStream.rangeClosed(280, 284).forEach(n -> NOT_REPLAYED.put(n, "needs Rig2's grade and completion set-up"
                + " (APIT-GRADES, suspended enrolments), not seeded yet"));
    }

    /** What the recording site's administrator changed outside the web service before the exchange. */
    private static final Map<Integer, Consumer<MoodleEmulator>> CHANGES_BEFORE = Map.ofEntries(
            Map.entry(260, m -> m.suspendIntegrationAccount(true)),
            Map.entry(262, m -> {
                m.suspendIntegrationAccount(false);
                m.maintenanceMode(true);
            }),
            Map.entry(264, m -> m.maintenanceMode(false)),
            Map.entry(266, m -> m.forcePasswordChange(true)),
            Map.entry(269, m -> m.forcePasswordChange(false)),
            Map.entry(271, m -> m.expireIntegrationPassword(true)),
            Map.entry(272, m -> {
                m.expireIntegrationPassword(false);
                m.postMaxSize(1024 * 1024);
            }),
            Map.entry(274, m -> m.maxInputVars(1000)),
            Map.entry(279, m -> m.clientMaxBodySize(1024 * 1024)),
            Map.entry(280, m -> {
                m.maxInputVars(FormParameters.MAX_INPUT_VARS);
                m.postMaxSize(Long.MAX_VALUE);
                m.clientMaxBodySize(Long.MAX_VALUE);
            }));

    private static MoodleEmulator emulator;

    /**
     * Rig2 as it stood before exchange 145: the integration user "accessplanit" (3), apitweak (4), alice to hank
     * (5-12), courses 2-6 in category 2 (5 without a manual enrolment instance), alice, bob, carol and dave enrolled
     * in course 2, carol (suspended) and frank in course 3.
     */
    @BeforeAll
    static void startRig2() {
        emulator = MoodleEmulator.start(0, TranscriptConformanceTest.FULL_TOKEN);
        emulator.addToken(TranscriptConformanceTest.WEAK_TOKEN, TokenProfile.WEAK);
        MoodleSite site = emulator.site();
        site.renameServiceUser("accessplanit");
        emulator.addToService("core_enrol_get_users_courses");
        emulator.addToService("enrol_manual_unenrol_users");
        emulator.addToService("core_user_update_users");
        for (String function : List.of("core_group_create_groups", "core_group_get_course_groups",
                "core_group_add_group_members", "core_group_delete_group_members", "core_group_get_group_members")) {
            emulator.addToService(function);
        }
        for (String name : List.of("alice", "bob", "carol", "dave", "eve", "frank", "gina", "hank")) {
            User u = site.addUser("apit." + name, name.substring(0, 1).toUpperCase() + name.substring(1), "Tester",
                    "apit." + name + "@example.com");
            site.locked(() -> {
                site.updateUser(new User(u.id(), u.username(), u.firstname(), u.lastname(), u.email(),
                        "APIT-U-" + name, u.auth(), u.city(), u.country()));
                return null;
            });
        }
        site.addCourse("APIT-CLASSROOM-EXISTING", "Classroom course (existing in Moodle)", "", 2);
        site.addCourse("APIT-ELEARN-EXISTING", "E-learning course (existing in Moodle)", "", 2);
        site.addCourse("APIT-COMPLETION-TEST", "Completion test course", "", 2);
        site.addCourse("APIT-NOMANUAL", "Course without manual enrolment", "", 2);
        site.addCourse("APIT-GRADES", "Grades course", "", 2);
        site.deleteManualEnrolmentInstance(5);
        for (String name : List.of("alice", "bob", "carol", "dave")) {
            site.enrol(site.userByUsername("apit." + name).orElseThrow().id(), 2, 5, false);
        }
        // APIT-ELEARN-EXISTING: carol's enrolment suspended, frank's active (252-254).
        site.enrol(site.userByUsername("apit.carol").orElseThrow().id(), 3, 5, true);
        site.enrol(site.userByUsername("apit.frank").orElseThrow().id(), 3, 5, false);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void everyExchangeOf145To288IsReplayedOrListedWithItsReason() {
        List<Integer> numbers = numbers();
        assertThat(numbers).containsExactlyElementsOf(IntStream.rangeClosed(FIRST, LAST).boxed().toList());
        assertThat(NOT_REPLAYED.keySet()).allMatch(n -> n >= FIRST && n <= LAST);
        assertThat(NOT_REPLAYED.values()).allMatch(reason -> !reason.isBlank());
    }

    @TestFactory
    Stream<DynamicTest> everyReplayedExchangeIsAnsweredAlike() {
        return TranscriptConformanceTest.transcriptFiles().stream()
                .filter(file -> number(file) >= FIRST && number(file) <= LAST && !NOT_REPLAYED.containsKey(number(file)))
                .map(file -> dynamicTest(file, () -> {
                    int number = number(file);
                    if (CHANGES_BEFORE.containsKey(number)) {
                        CHANGES_BEFORE.get(number).accept(emulator);
                    }
                    JsonNode transcript = TranscriptConformanceTest.readTranscript(file);
                    HttpResponse<String> response = TranscriptConformanceTest.replay(emulator, transcript);
                    List<String> mismatches = TranscriptConformanceTest.compare(transcript, response,
                            file.substring(4).startsWith("debug"));
                    assertThat(mismatches).as("%s: emulator answered %s", file, abbreviated(response.body()))
                            .isEmpty();
                }));
    }

    private static List<Integer> numbers() {
        return TranscriptConformanceTest.transcriptFiles().stream().map(TranscriptConformanceRig2Test::number)
                .filter(n -> n >= FIRST && n <= LAST).collect(Collectors.toList());
    }

    private static int number(String file) {
        return Integer.parseInt(file.substring(0, 3));
    }

    private static String abbreviated(String body) {
        return body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
    }
}
