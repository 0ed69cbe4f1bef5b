package org.apitmoodle;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apitmoodle.deadletter.CrossSiteGuard;
import org.apitmoodle.deadletter.DeadLetterPage;
import org.apitmoodle.deadletter.DeadLetterQueue;
import org.apitmoodle.deadletter.OperatorCredentials;
import org.apitmoodle.deadletter.OperatorHeaderFilter;
import org.apitmoodle.moodle.CallsInFlight;
import org.apitmoodle.moodle.MoodleForm;
import org.apitmoodle.moodle.MoodleResponse;
import org.apitmoodle.sync.Batches;
import org.apitmoodle.sync.CancellationMapper;
import org.apitmoodle.sync.Claims;
import org.apitmoodle.sync.CourseDatesMapper;
import org.apitmoodle.sync.CourseDetailsMapper;
import org.apitmoodle.sync.CourseMapper;
import org.apitmoodle.sync.DeadLetters;
import org.apitmoodle.sync.EnrolmentMapper;
import org.apitmoodle.sync.GradeMapper;
import org.apitmoodle.sync.MoodleCallShares;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.sync.GroupMapper;
import org.apitmoodle.sync.GroupMembersMapper;
import org.apitmoodle.sync.Pipeline;
import org.apitmoodle.sync.ReactivationMapper;
import org.apitmoodle.sync.SyncMapper;
import org.apitmoodle.sync.SyncPause;
import org.apitmoodle.sync.UserMapper;
import org.apitmoodle.sync.UserUpdateMapper;

/**
 * Start-up: checks the settings (all of them, see {@link Settings}), opens the database, migrates the integration's own schema, and registers the beans
 * the routes name.
 */
public class SyncConfiguration implements CamelConfiguration {

    /** The text of one SQL file under sql.location. */
    private static String sqlFile(CamelContext context, String location, String name) {
        String uri = location + "/" + name;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, uri)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + uri + " (sql.location): " + e.getMessage(), e);
        }
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // Every setting, read and checked once: a wrong one stops start-up here, before any route starts.
        Settings settings = Settings.of(context);
        OperatorCredentials operators = OperatorCredentials.of(settings.operators());

        // The integration's own tables live in db.schema; the accessplanit tables are found on the user's search_path.
        HikariDataSource database = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(),
                settings.dbPoolSize(), settings.dbSchema());
        Database.migrate(database, settings.dbSchema());
        // Each operation's waiting records, as views in that schema: its claim and the backlog read the same ones.
        // (A waiting definition may name a setting as {{...}}: waiting/cancellation.sql is empty under keep.)
        WaitingViews.create(database,
                name -> context.resolvePropertyPlaceholders(sqlFile(context, settings.db().sqlLocation(), name)),
                settings.sync().instanceTimeoutMs());
        // Bookings enrolled before the integration recorded its enrolments get their record (moodle_enrolment).
        WaitingViews.run(database, sqlFile(context, settings.db().sqlLocation(), "record-earlier-enrolments.sql"));
        // Users and courses made before the integration noted what it sent them get their note (user_sent ...).
        WaitingViews.run(database, sqlFile(context, settings.db().sqlLocation(), "record-earlier-sends.sql"));

        Registry registry = context.getRegistry();
        registry.bind("accessplanitDb", database);
        // Every sql: endpoint reads and writes through this one pool.
        context.getComponent("sql", SqlComponent.class).setDataSource(database);
        registry.bind("moodleForm", new MoodleForm(settings.moodleToken()));
        registry.bind("moodleResponse", new MoodleResponse());
        registry.bind("courseMapper", new CourseMapper(
                settings.categoryId(), settings.shortnamePrefix(), settings.idnumberPrefix()));
        registry.bind("userMapper", new UserMapper(settings.usernamePrefix(), settings.userAuth(),
                settings.usernameFrom(), settings.allowAccountsSameEmail()));
        registry.bind("enrolmentMapper", new EnrolmentMapper(settings.roleId()));
        registry.bind("deadLetters", new DeadLetters());
        // At most this many Moodle calls in flight: the sync routes send their batches on this pool, and call-moodle
        // takes a permit of the calls in flight Moodle keeps up with (adaptive, up to this maximum).
        registry.bind("moodleCalls", context.getExecutorServiceManager().newFixedThreadPool(
                this, "moodle-calls", settings.sync().moodleCallsInFlight()));
        // The grade poll's own share, so it never holds back the sync.
        registry.bind("gradeCalls", context.getExecutorServiceManager().newFixedThreadPool(
                this, "grade-calls", settings.grades().moodleCallsInFlight()));
        registry.bind("moodleCallShares", new MoodleCallShares(
                new CallsInFlight("sync", settings.sync().moodleCallsInFlight(), settings.sync().moodleCallsAdaptive(),
                        System::nanoTime),
                new CallsInFlight("grades", settings.grades().moodleCallsInFlight(),
                        settings.sync().moodleCallsAdaptive(), System::nanoTime)));
        registry.bind("batches", new Batches(name -> registry.lookupByNameAndType(name, SyncMapper.class),
                settings.moodle().maxInputVars()));
        SyncPause pause = new SyncPause(settings.sync().maxPausesPerRecord());
        registry.bind("pipeline", new Pipeline(pause, context.createProducerTemplate(), "direct:send-batch",
                "direct:call-moodle", MoodleCall.SITE_INFO));
        registry.bind("claims", new Claims());
        // Paused when Moodle refuses the integration itself; read by the health check "sync".
        registry.bind("syncPause", pause);
        registry.bind("operatorCredentials", operators);
        registry.bind("deadLetterQueue", new DeadLetterQueue());
        CrossSiteGuard crossSiteGuard = new CrossSiteGuard(settings.deadLetters().httpHost(),
                settings.deadLetters().httpPort());
        registry.bind("crossSiteGuard", crossSiteGuard);
        registry.bind("deadLetterPage", new DeadLetterPage(crossSiteGuard));
        if (settings.operators().httpEnabled()) {
            // Camel's own HTTP header filter drops Cache-Control from every answer, so no-store never left.
            context.getComponent("platform-http", PlatformHttpComponent.class)
                    .setHeaderFilterStrategy(new OperatorHeaderFilter());
        }
        registry.bind("gradeMapper", new GradeMapper());
        registry.bind("courseDatesMapper", new CourseDatesMapper());
        if (settings.changes().cancelledBooking() != CancellationMapper.Action.KEEP) {
            registry.bind("cancellationMapper", new CancellationMapper(settings.changes().cancelledBooking(),
                    settings.roleId()));
        }
        registry.bind("reactivationMapper", new ReactivationMapper(settings.roleId()));
        registry.bind("userUpdateMapper", new UserUpdateMapper("email".equals(settings.usernameFrom())));
        registry.bind("courseDetailsMapper", new CourseDetailsMapper());
        registry.bind("groupMapper", new GroupMapper(settings.idnumberPrefix()));
        registry.bind("groupMemberMapper", new GroupMembersMapper("moodle_group_id"));
        registry.bind("groupLeaveMapper", new GroupMembersMapper("left_group_id"));
        // Quartz (the grade poll's clustered job store) uses the same pool; see quartz.properties.
        QuartzDataSource.register("accessplanitDb", database);

        // Claims of this machine's instances that no longer run (this one before a kill -9) are free at once.
        String instance = settings.sync().instanceId();
        boolean writes = !settings.sync().dryRun();
        if (writes) {
            InstanceHeartbeats.forgetStopped(database, instance, Settings.hostName(),
                    pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
        // Stopped after the routes, so in-flight batches can still write their ids back.
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                try {
                    if (writes) {
                        InstanceHeartbeats.stopped(database, instance);
                    }
                } finally {
                    database.close();
                }
            }
        }, true, true);
    }
}
