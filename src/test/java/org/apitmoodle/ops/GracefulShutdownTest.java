package org.apitmoodle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.Main;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apitmoodle.Application;
import org.apitmoodle.support.Accessplanit;
import org.apitmoodle.support.SyncTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Stopping (what SIGTERM does through camel-main) while a Moodle call is in flight: the call finishes, the Moodle
 * id is written back, and after a restart on the same database nothing is sent twice.
 */
@CamelMainTest(mainClass = Application.class, properties = {"sync.poll-period-ms=200"})
class GracefulShutdownTest extends SyncTestSupport {

    @BeanInject
    CamelContext context;

    @Test
    void anInFlightCallFinishesAndItsIdIsWrittenBackBeforeTheStop() throws Exception {
        Accessplanit accessplanit = new Accessplanit(db);
        // Long enough that the call is still in flight when the test looks, even on a busy machine.
        moodle.setResponseDelay(Duration.ofSeconds(4));
        try {
            accessplanit.classroomCourse(10, "Fire Safety");
            eventually().until(() -> moodle.callCount("core_course_create_courses") == 1);
            assertThat(accessplanit.courseMoodleId(10)).as("the call is still in flight").isNull();

            context.stop();

            long moodleId = moodle.site().courseByIdnumber("APIT-C-10").orElseThrow().id();
            assertThat(accessplanit.courseMoodleId(10)).isEqualTo(moodleId);
            assertThat(accessplanit.syncState("course", 10)).isEqualTo("DONE");
        } finally {
            moodle.setResponseDelay(Duration.ZERO);
        }

        Main restarted = new Main(Application.class);
        restarted.addOverrideProperty("sync.poll-period-ms", "200");
        restarted.addOverrideProperty("management.port", Integer.toString(freePort()));
        restarted.start();
        try {
            NotifyBuilder polls = new NotifyBuilder(restarted.getCamelContext())
                    .fromRoute("poll-course").whenCompleted(5).create();
            // Generous: five polls take a second on a quiet machine; a match returns at once.
            assertThat(polls.matches(90, TimeUnit.SECONDS)).isTrue();
            assertThat(moodle.callCount("core_course_create_courses")).as("not sent twice").isEqualTo(1);
            assertThat(moodle.site().courses()).filteredOn(course -> course.idnumber().equals("APIT-C-10")).hasSize(1);
        } finally {
            restarted.stop();
        }
    }
}
