package org.apitmoodle;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apitmoodle.deadletter.DeadLetterPage;
import org.apitmoodle.deadletter.DeadLetterQueue;
import org.apitmoodle.deadletter.OperatorCredentials;
import org.apitmoodle.demo.Demo;
import org.apitmoodle.moodle.MoodleForm;
import org.apitmoodle.moodle.MoodleResponse;
import org.apitmoodle.sync.Batches;
import org.apitmoodle.sync.Claims;
import org.apitmoodle.sync.CourseDatesMapper;
import org.apitmoodle.sync.CourseMapper;
import org.apitmoodle.sync.DeadLetters;
import org.apitmoodle.sync.EnrolmentMapper;
import org.apitmoodle.sync.GradeMapper;
import org.apitmoodle.sync.SyncPause;
import org.apitmoodle.sync.UserMapper;

/**
 * Start-up: checks the settings (all of them, see {@link Settings}), opens and migrates the database, and registers
 * the beans the routes name. With no Moodle configured, starts the demo (emulator and demo data) instead of talking
 * to a real Moodle.
 */
public class SyncConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        // Every setting, read and checked once: a wrong one stops start-up here, before any route starts.
        Settings settings = Settings.of(context);
        OperatorCredentials operators = OperatorCredentials.of(settings.operators());
        Demo demo = null;
        if (settings.isDemo()) {
            try {
                demo = Demo.start(context, settings);
            } catch (SQLException e) {
                throw DatabaseConnectionFailure.of(settings.dbUrl(), settings.dbUser(), e);
            }
            settings = demo.settings();
            context.getRegistry().bind(Settings.BEAN, settings);
        }

        HikariDataSource database = Database.open(
                settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize());
        Database.migrate(database, demo != null || settings.db().createAccessplanitTables());

        Registry registry = context.getRegistry();
        registry.bind("accessplanitDb", database);
        registry.bind("moodleForm", new MoodleForm(settings.moodleToken()));
        registry.bind("moodleResponse", new MoodleResponse());
        registry.bind("courseMapper", new CourseMapper(
                settings.categoryId(), settings.shortnamePrefix(), settings.idnumberPrefix()));
        registry.bind("userMapper", new UserMapper(settings.usernamePrefix()));
        registry.bind("enrolmentMapper", new EnrolmentMapper(settings.roleId()));
        registry.bind("deadLetters", new DeadLetters());
        // At most this many Moodle calls in flight: the sync routes send their batches on this pool.
        registry.bind("moodleCalls", context.getExecutorServiceManager().newFixedThreadPool(
                this, "moodle-calls", settings.sync().moodleCallsInFlight()));
        registry.bind("batches", new Batches());
        registry.bind("claims", new Claims());
        // Paused when Moodle refuses the integration itself; read by the health check "sync".
        registry.bind("syncPause", new SyncPause());
        registry.bind("operatorCredentials", operators);
        registry.bind("deadLetterQueue", new DeadLetterQueue());
        registry.bind("deadLetterPage", new DeadLetterPage());
        registry.bind("gradeMapper", new GradeMapper());
        registry.bind("courseDatesMapper", new CourseDatesMapper());
        // Quartz (the grade poll's clustered job store) uses the same pool; see quartz.properties.
        QuartzDataSource.register("accessplanitDb", database);

        if (demo != null) {
            demo.loadDemoData(database);
        }
        // Stopped after the routes, so in-flight batches can still write their ids back.
        Demo running = demo;
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                if (running != null) {
                    running.close();
                }
                database.close();
            }
        }, true, true);
    }
}
