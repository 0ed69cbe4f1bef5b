package org.apitmoodle;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;
import java.util.concurrent.ThreadPoolExecutor;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.sql.SqlComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apitmoodle.deadletter.CrossSiteGuard;
import org.apitmoodle.deadletter.DeadLetterPage;
import org.apitmoodle.deadletter.DeadLetterQueue;
import org.apitmoodle.deadletter.OperatorCredentials;
import org.apitmoodle.deadletter.ReadableTimes;
import org.apitmoodle.deadletter.OperatorHeaderFilter;
import org.apitmoodle.moodle.CallsInFlight;
import org.apitmoodle.moodle.MoodleForm;
import org.apitmoodle.moodle.MoodleResponse;
import org.apitmoodle.sync.Batches;
import org.apitmoodle.sync.operations.CancellationMapper;
import org.apitmoodle.sync.Claims;
import org.apitmoodle.sync.Operation;
import java.util.EnumMap;
import java.util.Map;
import org.apitmoodle.sync.operations.CourseDatesMapper;
import org.apitmoodle.sync.operations.CourseDetailsMapper;
import org.apitmoodle.sync.operations.CourseMapper;
import org.apitmoodle.sync.DeadLetters;
import org.apitmoodle.sync.operations.EnrolmentMapper;
import org.apitmoodle.sync.grades.GradeMapper;
import org.apitmoodle.sync.MoodleCallShares;
import org.apitmoodle.sync.operations.GroupMapper;
import org.apitmoodle.sync.operations.GroupMembersMapper;
import org.apitmoodle.sync.Pipeline;
import org.apitmoodle.sync.operations.ReactivationMapper;
import org.apitmoodle.sync.SyncMapper;
import org.apitmoodle.sync.SyncPause;
import org.apitmoodle.ops.SyncHistory;
import org.apitmoodle.sync.operations.UserMapper;
import org.apitmoodle.sync.operations.UserUpdateMapper;

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

    /**
     * A pool for one share's batches, its size that share's limit (Camel stops it with the context). Its queue has no
     * bound: with Camel's usual 1,000, a grade page of more courses would have the poll's own thread read the rest,
     * beside the limit. It holds no more than the pages being sent, which are in memory anyway.
     */
    private ExecutorService threadsFor(CamelContext context, String name, CallsInFlight limit) {
        ExecutorService pool = context.getExecutorServiceManager().newThreadPool(this, name,
                new ThreadPoolProfileBuilder(name).poolSize(1).maxPoolSize(1).maxQueueSize(Integer.MAX_VALUE).build());
        if (!(pool instanceof ThreadPoolExecutor threads)) {
            throw new IllegalStateException("Camel's thread pool " + name + " cannot be resized: " + pool.getClass());
        }
        limit.limits(threads);
        return pool;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // Every setting, read and checked once: a wrong one stops start-up here, before any route starts.
        Settings settings = Settings.of(context);
        OperatorCredentials operators = OperatorCredentials.of(settings.operators());

        // The integration's own tables live in db.schema; the accessplanit tables are found on the user's search_path.
        HikariDataSource database = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(),
                settings.dbPoolSize(), settings.dbSchema(), settings.sync().dryRun());
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

        // Every column that feeds Moodle is one Moodle takes, checked before any route polls: a typo stops start-up
        // with a sentence.
        context.addStartupListener((camel, alreadyStarted) -> {
            if (!alreadyStarted) {
                FieldColumns.check(database, name -> sqlFile(camel, settings.db().sqlLocation(), name));
            }
        });

        Registry registry = context.getRegistry();
        // Every sql: endpoint and bean reads and writes through this one pool (in a dry run, never committing).
        DataSource forWrites = Database.forWrites(database, settings.sync().dryRun());
        registry.bind("accessplanitDb", forWrites);
        context.getComponent("sql", SqlComponent.class).setDataSource(forWrites);
        registry.bind("moodleForm", new MoodleForm(settings.moodleToken()));
        registry.bind("moodleResponse", new MoodleResponse());
        registry.bind("deadLetters", new DeadLetters());
        // The calls in flight Moodle keeps up with (adaptive, up to the maximum), one limit per share: the sync's, the
        // grade poll's (so it never holds back the sync) and the course copies' (fixed: a few slow calls teach an
        // adaptive limit nothing). Each limit is the size of the pool its batches go to Moodle on.
        MoodleCallShares shares = new MoodleCallShares(
                new CallsInFlight("sync", settings.sync().moodleCallsInFlight(), settings.sync().moodleCallsAdaptive(),
                        System::nanoTime),
                new CallsInFlight("grades", settings.grades().moodleCallsInFlight(),
                        settings.sync().moodleCallsAdaptive(), System::nanoTime),
                new CallsInFlight("copies", settings.courses().copyCallsInFlight(), false, System::nanoTime));
        registry.bind("moodleCallShares", shares);
        registry.bind(MoodleCallShares.SYNC_THREADS, threadsFor(context, "moodle-calls", shares.sync()));
        registry.bind(MoodleCallShares.GRADE_THREADS, threadsFor(context, "grade-calls", shares.grades()));
        registry.bind(MoodleCallShares.COPY_THREADS, threadsFor(context, "copy-calls", shares.copies()));
        // Each operation that runs, as its one descriptor says: its class and its Moodle function, made once.
        Map<Operation, SyncMapper> mappers = new EnumMap<>(Operation.class);
        Map<Operation, String> moodleFunctions = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            if (operation.sync() != null && operation.sync().enabled().test(settings)) {
                mappers.put(operation, operation.sync().mapper().apply(settings));
                moodleFunctions.put(operation, operation.sync().moodleFunction().apply(settings));
            }
        }
        registry.bind("batches", new Batches(mappers, moodleFunctions, settings.moodle().maxInputVars()));
        SyncPause pause = new SyncPause(settings.sync().maxPausesPerRecord());
        // Each pause is noted once, when it ends, for the status page's last 24 hours (nothing while it lasts).
        pause.onPauseEnded((since, until) -> {
            SyncHistory history = registry.lookupByNameAndType("syncHistory", SyncHistory.class);
            if (history != null) {
                history.paused(since, until);
            }
        });
        registry.bind("pipeline", new Pipeline(pause, settings.moodle().timeoutMs()));
        registry.bind("claims", new Claims(settings.sync().instanceId()));
        // Paused when Moodle refuses the integration itself; read by the health check "sync".
        registry.bind("syncPause", pause);
        registry.bind("operatorCredentials", operators);
        registry.bind("deadLetterQueue", new DeadLetterQueue());
        CrossSiteGuard crossSiteGuard = new CrossSiteGuard(settings.deadLetters().httpHost(),
                settings.deadLetters().httpPort());
        registry.bind("crossSiteGuard", crossSiteGuard);
        // Times on the page are read in the server's time zone, as its log lines are.
        registry.bind("deadLetterPage", new DeadLetterPage(crossSiteGuard,
                new ReadableTimes(java.time.Clock.systemDefaultZone())));
        if (settings.operators().httpEnabled()) {
            // Camel's own HTTP header filter drops Cache-Control from every answer, so no-store never left.
            context.getComponent("platform-http", PlatformHttpComponent.class)
                    .setHeaderFilterStrategy(new OperatorHeaderFilter());
        }
        registry.bind("gradeMapper", new GradeMapper());
        // Quartz (the grade poll's clustered job store) uses the same pool; see quartz.properties.
        QuartzDataSource.register("accessplanitDb", database);

        // Claims of this machine's instances that no longer run (this one before a kill -9) are free at once.
        // (In a dry run these writes, like every other, are rolled back.)
        String instance = settings.sync().instanceId();
        InstanceHeartbeats.forgetStopped(database, instance, Settings.hostName(),
                pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        // Stopped after the routes, so in-flight batches can still write their ids back.
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                try {
                    // Stopped while paused: the pause so far is kept in the history.
                    pause.stopping();
                    InstanceHeartbeats.stopped(database, instance);
                } finally {
                    database.close();
                }
            }
        }, true, true);
    }
}
