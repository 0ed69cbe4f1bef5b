package org.apitmoodle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.emulator.LatencyModel;
import org.apitmoodle.emulator.RecordedCall;
import org.apitmoodle.support.FaultTestSupport;
import org.apitmoodle.sync.MoodleCallShares;
import org.junit.jupiter.api.Test;

/**
 * A pause that begins while a grade poll is under way holds the poll back too: the pause's one gate (route
 * call-moodle) refuses the poll's remaining calls, so Moodle hears only the probe, nothing the poll had not read is
 * written, nothing is dead-lettered, and the next poll after the pause reads the rest. The test runs the grade poll
 * itself (its Quartz schedule is replaced by direct:poll-grades), one course at a time, so the poll is still under
 * way when the pause begins. And a refusal of the integration itself that only the grade poll meets pauses sending
 * as the sync's would: the rest of the poll asks Moodle nothing, and the probe resumes sending.
 */
@CamelMainTest(mainClass = Application.class, properties = {
        "sync.poll-period-ms=200",
        "sync.pause-probe-period-ms=500",
        "course-dates.enabled=false",
        "grades.moodle-calls-in-flight=1",
        // A page of delegates is one course: a poll reads page after page, and stops once sending paused.
        "grades.page-size=2",
        "ops.moodle-check-period-ms=600000",
        "moodle.timeout-ms=30000"},
        replaceRouteFromWith = {"poll-grades=direct:poll-grades"})
class GradePollPauseTest extends FaultTestSupport {

    private static final String GRADES = "gradereport_user_get_grade_items";
    private static final String COMPLETION = "core_completion_get_course_completion_status";
    private static final String PROBE = "core_webservice_get_site_info";
    private static final long FIRST_COURSE = 10;
    private static final long LAST_COURSE = 25;

    @BeanInject
    CamelContext context;

    @Test
    void aPauseThatBeginsDuringAGradePollHoldsBackItsRemainingCallsAndTheNextPollReadsThem() throws Exception {
        // 16 classroom courses (with completion criteria: a grade call, then one completion call per delegate), two
        // delegates each: delegate = user = course * 100 + 0 or 1.
        for (long course = FIRST_COURSE; course <= LAST_COURSE; course++) {
            accessplanit.classroomCourse(course, "Course " + course);
            for (long id = course * 100; id < course * 100 + 2; id++) {
                accessplanit.user(id, "User", "Number " + id, "user" + id + "@example.com");
                accessplanit.delegate(id, id, course, "BOOKED");
            }
        }
        eventually().until(() -> db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                + " AND state = 'DONE' AND entity_id BETWEEN ? AND ?", FIRST_COURSE * 100, LAST_COURSE * 100 + 1)
                == 2 * (LAST_COURSE - FIRST_COURSE + 1));
        for (long id : delegates()) {
            moodle.site().setGrade(accessplanit.courseMoodleId(id / 100), accessplanit.userMoodleId(id), expected(id));
        }
        // Moodle slow, so the pause falls in the middle of the poll however fast this machine is: every call,
        // answered or refused, takes 500 ms, and the poll's calls go one at a time (16 courses, at least 8 s), while
        // the sync meets the fault within one poll period and one call.
        moodle.setLatencyModel(new LatencyModel(Duration.ofMillis(500), Duration.ZERO, Duration.ZERO, Duration.ZERO));
        ProducerTemplate poll = context.createProducerTemplate();
        int beforePoll = moodle.calls().size();
        Future<Object> underWay = poll.asyncSendBody("direct:poll-grades", null);
        // Under way: a course read and written.
        eventually().until(() -> db.count("SELECT count(*) FROM delegates WHERE score IS NOT NULL"
                + " AND id BETWEEN ? AND ?", FIRST_COURSE * 100, LAST_COURSE * 100 + 1) > 0);

        // The integration account suspended: Moodle refuses every call from here on. The poll's next call meets it,
        // and so does a booking made now in the sync: whichever comes first pauses sending.
        int atFault = moodle.calls().size();
        moodle.refuseEveryCall("wsaccessusersuspended",
                "Refused web service access for suspended username: accessplanit");
        accessplanit.user(9900, "Booked", "During the fault", "user9900@example.com");
        accessplanit.delegate(9900, 9900, FIRST_COURSE, "BOOKED");
        eventually().until(() -> syncPause.isPaused());
        assertThat(syncPause.reason()).contains("wsaccessusersuspended");
        // A grade call already on its way when the pause began is not the pause's: wait until it is answered.
        MoodleCallShares shares = context.getRegistry().lookupByNameAndType("moodleCallShares",
                MoodleCallShares.class);
        eventually().until(() -> shares.grades().inFlight() == 0 && shares.sync().inFlight() == 0);
        int pausedFrom = moodle.calls().size();

        // The poll under way goes through its remaining courses without a word to Moodle, and a poll started while
        // paused asks nothing either; meanwhile the probe asks Moodle, twice at least (a probe period passes).
        underWay.get(60, TimeUnit.SECONDS);
        poll.asyncSendBody("direct:poll-grades", null).get(60, TimeUnit.SECONDS);
        eventually().until(() -> functions(callsSince(pausedFrom)).stream().filter(PROBE::equals).count() >= 2);
        assertThat(syncPause.isPaused()).as("still paused: Moodle still refuses").isTrue();
        List<String> whilePaused = functions(callsSince(pausedFrom));
        assertThat(whilePaused).as("Moodle calls while paused").isNotEmpty().allMatch(PROBE::equals);

        // The pause came in the middle of the poll: some courses were never asked (and some were read, below).
        List<RecordedCall> beforePause = moodle.calls().subList(beforePoll, pausedFrom);
        Set<String> asked = courses(beforePause, GRADES);
        Set<String> all = LongStream.rangeClosed(FIRST_COURSE, LAST_COURSE)
                .mapToObj(course -> Long.toString(accessplanit.courseMoodleId(course))).collect(Collectors.toSet());
        assertThat(all.stream().filter(course -> !asked.contains(course)).toList())
                .as("courses the poll had not asked when the pause began").isNotEmpty();

        // PostgreSQL: a delegate holds a score (and completion) only if Moodle answered, before the fault, its
        // course's grade call and every completion call of its course; a course it never answered is left as it
        // was, to the next poll.
        List<RecordedCall> beforeFault = moodle.calls().subList(beforePoll, atFault);
        int written = 0;
        for (long id : delegates()) {
            String course = Long.toString(accessplanit.courseMoodleId(id / 100));
            BigDecimal score = score(id);
            if (score == null) {
                assertThat(db.value("SELECT completion_status FROM delegates WHERE id = ?", id))
                        .as("completion of delegate %d, not read", id).isNull();
                continue;
            }
            written++;
            assertThat(score).as("score of delegate %d", id).isEqualByComparingTo(BigDecimal.valueOf(expected(id)));
            assertThat(courses(beforeFault, GRADES)).as("delegate %d's course read before the fault", id)
                    .contains(course);
            assertThat(completionsAsked(beforeFault, course)).as("completion asked before the fault, course %s", course)
                    .containsExactlyInAnyOrder(Long.toString(accessplanit.userMoodleId(id / 100 * 100)),
                            Long.toString(accessplanit.userMoodleId(id / 100 * 100 + 1)));
        }
        assertThat(written).as("delegates written before the pause").isPositive()
                .isLessThan(delegates().size());
        // Nothing of the poll is taken for a record's fault.
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_type = 'grades'")).isZero();
        assertThat(db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'grades'")).isZero();

        // The fault ends: the probe resumes sending by itself, the booking made during the fault is enrolled, and
        // the next poll reads the rest.
        moodle.setLatencyModel(LatencyModel.NONE);
        int atLift = moodle.calls().size();
        long liftedAt = System.nanoTime();
        moodle.clearRefusals();
        eventually().pollInterval(Duration.ofMillis(10)).until(() -> syncPause.isRunning());
        long resumeMs = (System.nanoTime() - liftedAt) / 1_000_000;
        assertThat(functions(callsSince(atLift)).stream().filter(PROBE::equals).count())
                .as("probes from the fault's end until sending ran again").isBetween(1L, 2L);
        eventually().until(() -> "DONE".equals(accessplanit.syncState("enrolment", 9900)));

        int beforeNext = moodle.calls().size();
        poll.asyncSendBody("direct:poll-grades", null).get(60, TimeUnit.SECONDS);

        for (long id : delegates()) {
            assertThat(score(id)).as("score of delegate %d", id).isEqualByComparingTo(BigDecimal.valueOf(expected(id)));
            assertThat(db.value("SELECT completion_status FROM delegates WHERE id = ?", id)).isEqualTo("INCOMPLETE");
        }
        assertThat(courses(callsSince(beforeNext), GRADES)).as("every course read by the poll after the pause")
                .containsAll(all);
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_type = 'grades'")).isZero();
        System.out.printf("FAULT %-48s synced=%d dead-lettered=0 duplicates=0 calls-while-paused=%d"
                + " time-to-resume=%dms (read before the pause: %d)%n", "grade poll: account suspended mid-poll",
                delegates().size(), whilePaused.size(), resumeMs, written);
    }

    @Test
    void aRefusalOfTheIntegrationThatOnlyTheGradePollMeetsPausesSendingUntilTheProbeResumesIt() throws Exception {
        // Four courses of two delegates, synced; nothing else waits, so only the grade poll will meet the fault.
        List<Long> ours = LongStream.rangeClosed(40, 43).flatMap(course -> LongStream.of(course * 100,
                course * 100 + 1)).boxed().toList();
        for (long course = 40; course <= 43; course++) {
            accessplanit.classroomCourse(course, "Course " + course);
        }
        for (long id : ours) {
            accessplanit.user(id, "User", "Number " + id, "user" + id + "@example.com");
            accessplanit.delegate(id, id, id / 100, "BOOKED");
        }
        eventually().until(() -> db.count("SELECT count(*) FROM sync_state WHERE entity_type = 'enrolment'"
                + " AND state = 'DONE' AND entity_id BETWEEN 4000 AND 4301") == ours.size());
        for (long id : ours) {
            moodle.site().setGrade(accessplanit.courseMoodleId(id / 100), accessplanit.userMoodleId(id), expected(id));
        }

        int atFault = moodle.calls().size();
        moodle.refuseEveryCall("wsaccessusersuspended",
                "Refused web service access for suspended username: accessplanit");
        AtomicInteger pagesRead = new AtomicInteger();
        EventNotifierSupport pages = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSentEvent sent
                        && sent.getEndpoint().getEndpointUri().contains("select-delegates-for-grades")) {
                    pagesRead.incrementAndGet();
                }
            }
        };
        context.getManagementStrategy().addEventNotifier(pages);
        ProducerTemplate poll = context.createProducerTemplate();
        try {
            poll.asyncSendBody("direct:poll-grades", null).get(60, TimeUnit.SECONDS);
        } finally {
            context.getManagementStrategy().removeEventNotifier(pages);
        }

        // The first course's grade call met the refusal and paused sending; the courses after it were not asked.
        assertThat(syncPause.isPaused()).as("sending paused by the grade poll's refusal").isTrue();
        assertThat(syncPause.reason()).contains("wsaccessusersuspended");
        assertThat(functions(callsSince(atFault)).stream().filter(function -> !function.equals(PROBE)).toList())
                .as("Moodle calls of the poll after the refusal").containsExactly(GRADES);
        // Paused on its first page, the poll read no further page: the rest is the next poll's.
        assertThat(pagesRead.get()).as("pages of delegates read by the refused poll").isEqualTo(1);
        assertThat(ours.stream().filter(id -> score(id) != null).toList()).as("scores written").isEmpty();
        assertThat(db.count("SELECT count(*) FROM dead_letter WHERE entity_type = 'grades'")).isZero();

        // The account restored: the probe resumes sending by itself, and the next poll reads every score.
        moodle.clearRefusals();
        eventually().until(() -> syncPause.isRunning());
        poll.asyncSendBody("direct:poll-grades", null).get(60, TimeUnit.SECONDS);
        for (long id : ours) {
            assertThat(score(id)).as("score of delegate %d", id).isEqualByComparingTo(BigDecimal.valueOf(expected(id)));
        }
    }

    private static List<Long> delegates() {
        return LongStream.rangeClosed(FIRST_COURSE, LAST_COURSE)
                .flatMap(course -> LongStream.of(course * 100, course * 100 + 1)).boxed().toList();
    }

    /** The score each delegate has in Moodle: one of its own (delegate 1001: 10.01). */
    private static double expected(long delegateId) {
        return delegateId / 100.0;
    }

    private static BigDecimal score(long delegateId) {
        return (BigDecimal) db.value("SELECT score FROM delegates WHERE id = ?", delegateId);
    }

    private static List<RecordedCall> callsSince(int from) {
        List<RecordedCall> calls = moodle.calls();
        return calls.subList(Math.min(from, calls.size()), calls.size());
    }

    private static List<String> functions(List<RecordedCall> calls) {
        return calls.stream().map(RecordedCall::wsfunction).toList();
    }

    /** The Moodle courses that calls of the function asked about. */
    private static Set<String> courses(List<RecordedCall> calls, String function) {
        return calls.stream().filter(call -> call.wsfunction().equals(function)).map(call -> call.param("courseid"))
                .collect(Collectors.toSet());
    }

    /** The Moodle users whose completion in the course was asked. */
    private static List<String> completionsAsked(List<RecordedCall> calls, String moodleCourse) {
        return calls.stream().filter(call -> call.wsfunction().equals(COMPLETION)
                && moodleCourse.equals(call.param("courseid"))).map(call -> call.param("userid")).toList();
    }
}
