package org.apitmoodle;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apitmoodle.moodle.MoodleForm;
import org.apitmoodle.sync.Batches;
import org.apitmoodle.sync.operations.CancellationMapper;
import org.apitmoodle.sync.operations.UserMapper;
import org.quartz.CronExpression;

/**
 * Every setting of the integration, read and checked once at start-up, before any route starts: a missing or
 * malformed one stops start-up with one sentence that names the setting and its environment variable. The routes
 * may still read the checked values as {{placeholders}}; the beans get theirs from here. Secrets (the Moodle token,
 * the passwords) are never part of a message.
 */
public record Settings(
        Moodle moodle,
        Db db,
        Sync sync,
        Grades grades,
        CourseDates courseDates,
        Changes changes,
        Retry retry,
        Operators operators,
        DeadLetters deadLetters,
        Operations operations) {

    /** The schema of the integration's own tables when db.schema is not set. */
    public static final String DEFAULT_DB_SCHEMA = "apit_sync";

    /** How to run the demo from a checkout of this project (README, "The two commands"). */
    public static final String DEMO_COMMAND = "mvn -q test-compile exec:java";

    /** The name the checked settings are bound under in Camel's registry. */
    public static final String BEAN = "settings";

    /** Thrown when a setting is missing or malformed; its message is one sentence naming the setting. */
    public static final class InvalidSettingException extends StartupException {
        public InvalidSettingException(String message) {
            super(message);
        }
    }

    /** moodle.*: the Moodle site and how accessplanit records become Moodle ones. */
    public record Moodle(String url, String token, long categoryId, long roleId, String shortnamePrefix,
            String idnumberPrefix, String usernamePrefix, String userAuth, String usernameFrom, long timeoutMs,
            int maxInputVars, boolean allowAccountsSameEmail, boolean extendedUsernameChars) {

        static Moodle read(Reader settings) {
            String url = settings.optional("moodle.url");
            if (url.isEmpty()) {
                throw new InvalidSettingException("moodle.url is missing: set it to your Moodle site's address, like"
                        + " https://moodle.example.org (" + env("moodle.url") + "), or run the demo to try the integration"
                        + " without a Moodle (" + DEMO_COMMAND + ").");
            }
            url = checkUrl(settings, url);
            boolean insecureAllowed = settings.bool("moodle.allow-insecure-http");
            if (url.startsWith("http:") && !insecureAllowed) {
                throw new InvalidSettingException("moodle.url is '" + url + "', plain HTTP would send the Moodle token in"
                        + " clear: use https://, or set moodle.allow-insecure-http=true ("
                        + env("moodle.allow-insecure-http") + ") for a Moodle on a trusted network.");
            }
            String token = settings.optional("moodle.token");
            if (token.isEmpty()) {
                throw new InvalidSettingException("moodle.token is missing (" + env("moodle.token") + "): set it to the"
                        + " web-service token Moodle made for the integration user (see README, \"Setting up Moodle\").");
            }
            String usernamePrefix = settings.optional("moodle.user.username-prefix");
            if (!UserMapper.isValidPrefix(usernamePrefix)) {
                throw settings.invalid("moodle.user.username-prefix", "may hold only letters, digits and _ . @ -"
                        + " (Moodle's rule for usernames), but is '" + usernamePrefix + "'");
            }
            // Empty takes the defaults, as accessplanit's own module makes its accounts.
            String userAuth = settings.optional("moodle.user.auth");
            userAuth = userAuth.isEmpty() ? "manual" : userAuth;
            String authProblem = UserMapper.authProblem(userAuth);
            if (authProblem != null) {
                throw settings.invalid("moodle.user.auth", authProblem + ", but is '" + userAuth + "'");
            }
            String usernameFrom = settings.optional("moodle.user.username-from");
            usernameFrom = usernameFrom.isEmpty() ? "id" : usernameFrom;
            if (!UserMapper.USERNAME_FROM.contains(usernameFrom)) {
                throw settings.invalid("moodle.user.username-from", "must be id (the prefix plus the accessplanit user"
                        + " ID) or email (the email in lower case), but is '" + usernameFrom + "'");
            }
            return new Moodle(url, token,
                    settings.positiveNumber("moodle.category-id", "the id in the category's edit URL in Moodle"),
                    settings.positiveNumber("moodle.role-id", "the id in the role's edit URL in Moodle; 5 is student"),
                    settings.optional("moodle.course.shortname-prefix"),
                    settings.optional("moodle.course.idnumber-prefix"),
                    usernamePrefix.toLowerCase(Locale.ROOT), userAuth, usernameFrom,
                    settings.positiveNumber("moodle.timeout-ms", "milliseconds one Moodle call may take"),
                    maxInputVars(settings), settings.bool("moodle.allow-accounts-same-email"),
                    settings.bool("moodle.extended-username-chars"));
        }

        /** moodle.max-input-vars: PHP drops the form fields past it without a word, so every call must fit. */
        private static int maxInputVars(Reader settings) {
            int max = settings.positiveInt("moodle.max-input-vars", "PHP's max_input_vars on the Moodle server");
            int least = MoodleForm.CALL_FIELDS + Batches.LARGEST_RECORD_FIELDS;
            if (max < least) {
                throw settings.invalid("moodle.max-input-vars", "must be at least " + least + " (the "
                        + MoodleForm.CALL_FIELDS + " form fields of every call and the " + Batches.LARGEST_RECORD_FIELDS
                        + " of one course), but is " + max);
            }
            return max;
        }

        private static String checkUrl(Reader settings, String url) {
            String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            try {
                URI uri = URI.create(trimmed);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return trimmed;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw settings.invalid("moodle.url",
                    "must be the Moodle site's address, like https://moodle.example.org, but is '" + url + "'");
        }
    }

    /** db.* and sql.location: the accessplanit database and the SQL that reads and writes it. */
    public record Db(String url, String user, String password, int poolSize, String schema, String sqlLocation) {

        /** A file every SQL location must hold. */
        private static final String SQL_FILE = "claim-new-users.sql";

        static Db read(Reader settings) {
            String url = settings.required("db.url");
            if (!url.startsWith("jdbc:postgresql:")) {
                throw settings.invalid("db.url", "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database),"
                        + " but is '" + url + "'");
            }
            return new Db(url,
                    settings.optional("db.user"),
                    settings.optional("db.password"),
                    settings.positiveInt("db.pool-size", "the number of database connections"),
                    schema(settings),
                    sqlLocation(settings));
        }

        /** db.schema: the schema of the integration's own tables, apit_sync unless set. */
        private static String schema(Reader settings) {
            String schema = settings.optional("db.schema");
            if (schema.isEmpty()) {
                return DEFAULT_DB_SCHEMA;
            }
            if (!schema.matches("[A-Za-z0-9_]{1,63}")) {
                throw settings.invalid("db.schema", "may hold only letters, digits and _ (at most 63 of them), but is '"
                        + schema + "'");
            }
            return schema;
        }

        private static String sqlLocation(Reader settings) {
            String location = settings.required("sql.location");
            String directory = location.replaceFirst("^(classpath|file):", "");
            boolean found;
            if (location.startsWith("classpath:")) {
                String path = (directory.endsWith("/") ? directory : directory + "/") + SQL_FILE;
                found = Settings.class.getClassLoader().getResource(path.replaceFirst("^/+", "")) != null;
            } else if (location.startsWith("file:")) {
                found = Files.isRegularFile(Path.of(directory, SQL_FILE));
            } else {
                throw settings.invalid("sql.location", "must start with classpath: or file:, like classpath:sql or"
                        + " file:/etc/apit-sync/sql, but is '" + location + "'");
            }
            if (!found) {
                throw settings.invalid("sql.location", "must name the folder holding the integration's SQL files ("
                        + SQL_FILE + " and the others), but '" + location + "' has no " + SQL_FILE);
            }
            return location;
        }
    }

    /** sync.*: how the sync polls, claims and batches; and camel.main.shutdown-timeout, how long it may finish. */
    public record Sync(long pollPeriodMs, int pageSize, int moodleCallsInFlight, int courseBatchSize, int userBatchSize,
            int enrolmentBatchSize, int courseDatesBatchSize, Duration claimLease, String instanceId, boolean dryRun,
            int dryRunSampleSize, long dryRunReportPeriodMs, long pauseProbePeriodMs, int shutdownTimeoutSeconds,
            boolean moodleCallsAdaptive, int maxPausesPerRecord, long instanceTimeoutMs, long heartbeatPeriodMs) {

        static Sync read(Reader settings) {
            String instanceId = settings.optional("sync.instance-id");
            return new Sync(
                    settings.positiveNumber("sync.poll-period-ms", "milliseconds between polls"),
                    settings.positiveInt("sync.page-size", "the records claimed per poll"),
                    settings.positiveInt("sync.moodle-calls-in-flight", "how many Moodle calls may be in flight at once"),
                    settings.positiveInt("sync.course-batch-size", "courses per Moodle call"),
                    settings.positiveInt("sync.user-batch-size", "users per Moodle call"),
                    settings.positiveInt("sync.enrolment-batch-size", "enrolments per Moodle call"),
                    settings.positiveInt("sync.course-dates-batch-size", "courses per Moodle call"),
                    settings.interval("sync.claim-lease"),
                    instanceId.isEmpty() ? DefaultInstanceId.VALUE : instanceId,
                    settings.bool("sync.dry-run"),
                    settings.wholeNumber("sync.dry-run-sample-size", "records shown per entity type"),
                    settings.positiveNumber("sync.dry-run-report-period-ms", "milliseconds between dry-run reports"),
                    settings.positiveNumber("sync.pause-probe-period-ms", "milliseconds between asking a refusing Moodle"),
                    // Camel's own, but Camel takes a malformed one for its default without a word.
                    settings.positiveInt("camel.main.shutdown-timeout", "seconds in-flight work gets at shutdown"),
                    settings.bool("sync.moodle-calls-adaptive"),
                    settings.positiveInt("sync.max-pauses-per-record",
                            "how often one record may pause sending while Moodle answers"),
                    settings.positiveNumber("sync.instance-timeout-ms",
                            "milliseconds after an instance's last heartbeat that its claims are taken over"),
                    heartbeat(settings));
        }

        /** The heartbeat must come well within the instance timeout, or a healthy instance's claims look dead. */
        private static long heartbeat(Reader settings) {
            long timeout = settings.positiveNumber("sync.instance-timeout-ms",
                    "milliseconds after an instance's last heartbeat that its claims are taken over");
            long period = settings.positiveNumber("sync.heartbeat-period-ms", "milliseconds between an instance's heartbeats");
            if (period * 2 > timeout) {
                throw settings.invalid("sync.heartbeat-period-ms", "must be at most half of sync.instance-timeout-ms ("
                        + timeout + "), so a healthy instance never looks dead, but is " + period);
            }
            return period;
        }
    }

    /** grades.*: scores and completion read back from Moodle. */
    public record Grades(boolean enabled, String cron, int pageSize, int moodleCallsInFlight, int pollDaysAfterEnd,
            String completionRecheck) {

        static Grades read(Reader settings) {
            boolean enabled = settings.bool("grades.enabled");
            String cron = settings.required("grades.cron");
            if (!CronExpression.isValidExpression(cron)) {
                throw settings.invalid("grades.cron", "must be a Quartz cron expression (seconds minutes hours"
                        + " day-of-month month day-of-week, like 0 0/15 * * * ?), but is '" + cron + "'");
            }
            int pageSize = settings.positiveInt("grades.page-size", "the delegates read per page");
            int callsInFlight = settings.positiveInt("grades.moodle-calls-in-flight",
                    "how many of the grade poll's Moodle calls may be in flight at once");
            int daysAfterEnd = settings.wholeNumber("grades.poll-days-after-end",
                    "days after a course's end its delegates are still polled");
            // Checked here; the SQL reads it as a PostgreSQL interval.
            settings.interval("grades.completion-recheck");
            return new Grades(enabled, cron, pageSize, callsInFlight, daysAfterEnd,
                    settings.required("grades.completion-recheck"));
        }
    }

    /** course-dates.*: changed course dates sent to Moodle. */
    public record CourseDates(boolean enabled) {

        static CourseDates read(Reader settings) {
            return new CourseDates(settings.bool("course-dates.enabled"));
        }
    }

    /** changes.*: what changes made in accessplanit do to what the integration made in Moodle. */
    public record Changes(CancellationMapper.Action cancelledBooking, int maxRemovalsPerPoll, boolean updateUsers,
            boolean updateCourses, boolean groups) {

        static Changes read(Reader settings) {
            String value = settings.required("changes.cancelled-booking").toLowerCase(Locale.ROOT);
            CancellationMapper.Action action = CancellationMapper.Action.of(value);
            if (action == null) {
                throw settings.invalid("changes.cancelled-booking", "must be suspend, unenrol or keep (what a cancelled"
                        + " booking does to its Moodle enrolment), but is '" + value + "'");
            }
            return new Changes(action, settings.positiveInt("changes.max-removals-per-poll",
                    "the most enrolments one poll may suspend or unenrol before an operator confirms them"),
                    settings.bool("changes.update-users"), settings.bool("changes.update-courses"),
                    settings.bool("changes.groups"));
        }
    }

    /** retry.*: redeliveries of Moodle calls that failed for a passing reason. */
    public record Retry(int maximumRedeliveries, long initialDelayMs, double multiplier, long maximumDelayMs,
            int databaseErrorRedeliveries) {

        static Retry read(Reader settings) {
            int redeliveries = settings.wholeNumber("retry.maximum-redeliveries", "redeliveries after the first attempt");
            long initial = settings.positiveNumber("retry.initial-delay-ms", "milliseconds before the first redelivery");
            String multiplierText = settings.required("retry.multiplier");
            double multiplier;
            try {
                multiplier = Double.parseDouble(multiplierText);
            } catch (NumberFormatException e) {
                multiplier = Double.NaN;
            }
            if (!(multiplier >= 1 && multiplier <= 100)) {
                throw settings.invalid("retry.multiplier", "must be a number from 1 to 100 (each delay is the last one"
                        + " times it), but is '" + multiplierText + "'");
            }
            long maximum = settings.positiveNumber("retry.maximum-delay-ms", "the longest delay in milliseconds");
            if (maximum < initial) {
                throw settings.invalid("retry.maximum-delay-ms", "must not be less than retry.initial-delay-ms ("
                        + initial + "), but is '" + maximum + "'");
            }
            return new Retry(redeliveries, initial, multiplier, maximum, settings.wholeNumber(
                    "retry.database-error-redeliveries", "redeliveries of a call Moodle's database refused"));
        }
    }

    /**
     * camel.server.enabled and dead-letters.username/password: who may work the dead-letter queue over HTTP. With the
     * HTTP server on, both are required, and the password must be at least 12 characters long.
     */
    public record Operators(boolean httpEnabled, String username, String password, int loginFailuresBeforeDelay,
            long loginDelayMs, long loginMaximumDelayMs) {

        /** The shortest operator password start-up takes while the HTTP server is on. */
        public static final int MINIMUM_PASSWORD_LENGTH = 12;

        public static Operators read(Function<String, String> property) {
            return read(new Reader(property));
        }

        static Operators read(Reader settings) {
            boolean enabled = settings.bool("camel.server.enabled");
            String username = settings.optional("dead-letters.username");
            String password = settings.optional("dead-letters.password");
            String off = ", or turn the HTTP server off (camel.server.enabled, " + env("camel.server.enabled") + ").";
            if (enabled && username.isEmpty()) {
                throw new InvalidSettingException("dead-letters.username is missing (" + env("dead-letters.username")
                        + "): set it to the name operators sign in with to work the dead-letter queue over HTTP" + off);
            }
            if (enabled && password.isEmpty()) {
                throw new InvalidSettingException("dead-letters.password is missing (" + env("dead-letters.password")
                        + "): set it to the password operators sign in with to work the dead-letter queue over HTTP"
                        + off);
            }
            if (enabled && password.codePointCount(0, password.length()) < MINIMUM_PASSWORD_LENGTH) {
                throw new InvalidSettingException("dead-letters.password is shorter than " + MINIMUM_PASSWORD_LENGTH
                        + " characters (" + env("dead-letters.password") + "): set a longer one, as anyone who reaches"
                        + " the operators' server may guess it" + off);
            }
            if (username.contains(":")) {
                throw new InvalidSettingException("dead-letters.username may not contain ':', as HTTP Basic separates the"
                        + " name from the password with it (" + env("dead-letters.username") + ").");
            }
            int failures = settings.positiveInt("dead-letters.login-failures-before-delay",
                    "failed sign-ins in a row before sign-ins are slowed down");
            long delay = settings.positiveNumber("dead-letters.login-delay-ms", "milliseconds of the first wait");
            long maximum = settings.positiveNumber("dead-letters.login-maximum-delay-ms", "the longest wait in milliseconds");
            if (maximum < delay) {
                throw settings.invalid("dead-letters.login-maximum-delay-ms", "must not be less than"
                        + " dead-letters.login-delay-ms (" + delay + "), but is '" + maximum + "'");
            }
            return new Operators(enabled, username, password, failures, delay, maximum);
        }

        @Override
        public String toString() {
            return "Operators[httpEnabled=" + httpEnabled + ", username=" + username + ", password=********]";
        }
    }

    /** dead-letters.*: the dead-letter queue over HTTP. */
    public record DeadLetters(int httpPort, String httpHost, int listLimit) {

        static DeadLetters read(Reader settings) {
            return new DeadLetters(settings.port("dead-letters.http-port"), settings.address("camel.server.host"),
                    settings.positiveInt("dead-letters.list-limit", "entries listed per request"));
        }
    }

    /** management.port and .host, ops.* and log.format: what operators look at. */
    public record Operations(int managementPort, String managementHost, long moodleCheckPeriodMs, long refreshPeriodMs,
            long deadLetterWarningThreshold, String pollRoutePrefix, String logFormat, long progressPeriodMs,
            int statusPageRefreshSeconds) {

        static Operations read(Reader settings) {
            int port = settings.port("management.port");
            String host = settings.address("management.host");
            long check = settings.positiveNumber("ops.moodle-check-period-ms", "milliseconds between asking Moodle");
            long refresh = settings.positiveNumber("ops.refresh-period-ms", "milliseconds between reading the counts");
            long threshold = settings.wholeNumber("ops.dead-letter-warning-threshold", "open entries before a warning");
            String prefix = settings.required("ops.poll-route-prefix");
            String format = settings.required("log.format").toLowerCase(Locale.ROOT);
            if (!format.equals("text") && !format.equals("json")) {
                throw settings.invalid("log.format", "must be text or json, but is '" + format + "'");
            }
            long progress = settings.positiveNumber("ops.progress-period-ms",
                    "milliseconds between progress lines while records wait");
            int pageRefresh = settings.positiveInt("ops.status-page-refresh-seconds", "seconds between reloads of the status page");
            return new Operations(port, host, check, refresh, threshold, prefix, format, progress, pageRefresh);
        }
    }

    /**
     * drift.*: the reconcile of what changed in Moodle behind the integration's back (org.apitmoodle.drift): when it
     * runs, what each kind of finding gets (report or repair), the mass-repair guard and how much it reads per call.
     * Read and bound beside the settings ({@value #DRIFT_BEAN}), checked at start-up like them.
     */
    public record Drift(boolean enabled, String cron, java.util.Map<org.apitmoodle.drift.DriftKind, Boolean> repair,
            int maxRepairsPerReconcile, int pageSize, int usersPerCall, String lease, int listLimit,
            long yieldMaxMs) {

        public Drift {
            repair = java.util.Map.copyOf(repair);
        }

        /** Whether findings of this kind are repaired (drift.<kind> = repair). */
        public boolean repairs(org.apitmoodle.drift.DriftKind kind) {
            return repair.getOrDefault(kind, false);
        }

        public static Drift read(Function<String, String> property) {
            return read(new Reader(property));
        }

        static Drift read(Reader settings) {
            boolean enabled = settings.bool("drift.enabled");
            String cron = settings.required("drift.cron");
            if (!CronExpression.isValidExpression(cron)) {
                throw settings.invalid("drift.cron", "must be a Quartz cron expression (seconds minutes hours"
                        + " day-of-month month day-of-week, like 0 30 2 * * ? for every night at 02:30), but is '"
                        + cron + "'");
            }
            java.util.Map<org.apitmoodle.drift.DriftKind, Boolean> repair =
                    new java.util.EnumMap<>(org.apitmoodle.drift.DriftKind.class);
            for (org.apitmoodle.drift.DriftKind kind : org.apitmoodle.drift.DriftKind.values()) {
                String value = settings.optional(kind.setting()).toLowerCase(Locale.ROOT);
                value = value.isEmpty() ? (kind.repairedByDefault() ? "repair" : "report") : value;
                if (!value.equals("report") && !value.equals("repair")) {
                    throw settings.invalid(kind.setting(), "must be report or repair (what the reconcile does about"
                            + " a finding of this kind), but is '" + value + "'");
                }
                if (value.equals("repair") && !kind.repairable()) {
                    throw settings.invalid(kind.setting(), "can only be report: a suspended account is an"
                            + " administrator's decision in Moodle, which the integration does not undo, but is 'repair'");
                }
                repair.put(kind, value.equals("repair"));
            }
            int maxRepairs = settings.wholeNumber("drift.max-repairs-per-reconcile",
                    "the most findings one reconcile repairs before an operator confirms them");
            int pageSize = settings.positiveInt("drift.page-size", "the accounts or courses asked of Moodle per call");
            int usersPerCall = settings.positiveInt("drift.users-per-call",
                    "the enrolled users read from Moodle per call");
            settings.interval("drift.lease");
            int listLimit = settings.positiveInt("drift.list-limit", "the open findings listed at most");
            long yieldMaxMs = settings.wholeNumber("drift.yield-max-ms",
                    "the longest a reconcile call waits for the sync's calls in flight, in milliseconds");
            return new Drift(enabled, cron, repair, maxRepairs, pageSize, usersPerCall, settings.required("drift.lease"),
                    listLimit, yieldMaxMs);
        }
    }

    /** The name the drift settings are bound under in Camel's registry. */
    public static final String DRIFT_BEAN = "driftSettings";

    /** Reads and checks every setting; the first missing or malformed one is thrown as one sentence. */
    public static Settings read(Function<String, String> property) {
        Reader settings = new Reader(property);
        Moodle moodle = Moodle.read(settings);
        // The reconcile's settings are checked here too (bound on their own: Settings.of).
        Drift.read(settings);
        return new Settings(moodle, Db.read(settings), Sync.read(settings), Grades.read(settings),
                CourseDates.read(settings), Changes.read(settings), Retry.read(settings), Operators.read(settings),
                DeadLetters.read(settings),
                Operations.read(settings));
    }

    /**
     * The settings of a Camel context, read and checked the first time any start-up code asks for them, then the
     * same object (bound in the registry as {@value #BEAN}). The instance id they resolved (host and process id by
     * default) becomes the value of sync.instance-id, which the claim SQL reads.
     */
    public static Settings of(CamelContext context) {
        Settings settings = context.getRegistry().lookupByNameAndType(BEAN, Settings.class);
        if (settings == null) {
            PropertiesComponent properties = context.getPropertiesComponent();
            settings = read(name -> properties.resolveProperty(name).orElse(null));
            properties.addOverrideProperty("sync.instance-id", settings.sync().instanceId());
            // The waiting cancellations (waiting/cancellation.sql) read it, in lower case.
            properties.addOverrideProperty("changes.cancelled-booking", settings.changes().cancelledBooking().key());
            context.getRegistry().bind(BEAN, settings);
            // The reconcile's settings, checked at the same moment (drift.*).
            context.getRegistry().bind(DRIFT_BEAN,
                    Drift.read(new Reader(name -> properties.resolveProperty(name).orElse(null))));
        }
        return settings;
    }

    /** The environment variable Camel reads a setting from: upper case, dots and dashes as underscores. */
    public static String environmentVariable(String setting) {
        return setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String env(String setting) {
        return "environment variable " + environmentVariable(setting);
    }

    public String moodleUrl() {
        return moodle.url();
    }

    public String moodleToken() {
        return moodle.token();
    }

    public long categoryId() {
        return moodle.categoryId();
    }

    public long roleId() {
        return moodle.roleId();
    }

    public String shortnamePrefix() {
        return moodle.shortnamePrefix();
    }

    public String idnumberPrefix() {
        return moodle.idnumberPrefix();
    }

    public String usernamePrefix() {
        return moodle.usernamePrefix();
    }

    /** moodle.allow-accounts-same-email: whether the Moodle site lets two accounts share an email. */
    public boolean allowAccountsSameEmail() {
        return moodle.allowAccountsSameEmail();
    }

    /** moodle.extended-username-chars: whether the Moodle site allows extended characters in usernames. */
    public boolean extendedUsernameChars() {
        return moodle.extendedUsernameChars();
    }

    public String userAuth() {
        return moodle.userAuth();
    }

    public String usernameFrom() {
        return moodle.usernameFrom();
    }

    public String dbUrl() {
        return db.url();
    }

    public String dbUser() {
        return db.user();
    }

    public String dbPassword() {
        return db.password();
    }

    public int dbPoolSize() {
        return db.poolSize();
    }

    /** The schema of the integration's own tables. */
    public String dbSchema() {
        return db.schema();
    }

    @Override
    public String toString() {
        return "Settings[moodle=" + moodle.url() + ", db=" + db.url() + ", instance=" + sync.instanceId() + "]";
    }

    /** Host name and process id: two instances started with the same settings never share it. */
    /** This machine's name, as the default instance id (host name and process id) begins. */
    public static String hostName() {
        return DefaultInstanceId.HOST;
    }

    private static final class DefaultInstanceId {
        static final String HOST = hostName();
        static final String VALUE = HOST + "-" + ProcessHandle.current().pid();

        private static String hostName() {
            try {
                String name = InetAddress.getLocalHost().getHostName();
                if (name != null && !name.isBlank()) {
                    return name;
                }
            } catch (UnknownHostException | SecurityException e) {
                // the environment's name, below
            }
            String fromEnvironment = System.getenv("HOSTNAME");
            if (fromEnvironment == null || fromEnvironment.isBlank()) {
                fromEnvironment = System.getenv("COMPUTERNAME");
            }
            return fromEnvironment == null || fromEnvironment.isBlank() ? "localhost" : fromEnvironment.strip();
        }
    }

    /** Reads one setting at a time; every complaint names the setting and its environment variable. */
    private record Reader(Function<String, String> property) {

        private static final Pattern LISTEN_ADDRESS = Pattern.compile("[A-Za-z0-9.:%_-]+|\\[[0-9A-Fa-f.:%a-z]+]");

        /** PostgreSQL interval units this accepts (months and years are not fixed lengths). */
        private static final Pattern INTERVAL_PART = Pattern.compile(
                "\\s*(\\d+)\\s*(microseconds?|us|milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h"
                        + "|days?|d|weeks?|w)\\s*", Pattern.CASE_INSENSITIVE);

        String optional(String name) {
            String value = property.apply(name);
            return value == null ? "" : value.strip();
        }

        String required(String name) {
            String value = optional(name);
            if (value.isEmpty()) {
                throw new InvalidSettingException(name + " is missing (" + env(name) + ").");
            }
            return value;
        }

        InvalidSettingException invalid(String name, String problem) {
            return new InvalidSettingException(name + " " + problem + " (" + env(name) + ").");
        }

        long positiveNumber(String name, String meaning) {
            return number(name, 1, Long.MAX_VALUE, "a positive whole number (" + meaning + ")");
        }

        int positiveInt(String name, String meaning) {
            return (int) number(name, 1, Integer.MAX_VALUE, "a positive whole number (" + meaning + ")");
        }

        int wholeNumber(String name, String meaning) {
            return (int) number(name, 0, Integer.MAX_VALUE, "a whole number, 0 or more (" + meaning + ")");
        }

        int port(String name) {
            return (int) number(name, 1, 65535, "a port number from 1 to 65535");
        }

        private long number(String name, long least, long most, String what) {
            String value = required(name);
            try {
                long number = Long.parseLong(value);
                if (number >= least && number <= most) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid(name, "must be " + what + ", but is '" + value + "'");
        }

        /** An address to listen on: an IP address (0.0.0.0 for every one) or a host name, nothing more. */
        String address(String name) {
            String value = required(name);
            if (!LISTEN_ADDRESS.matcher(value).matches()) {
                throw invalid(name, "must be an IP address to listen on (127.0.0.1 for this machine only, 0.0.0.0 for"
                        + " every address) or a host name, but is '" + value + "'");
            }
            return value;
        }

        boolean bool(String name) {
            String value = required(name);
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw invalid(name, "must be true or false, but is '" + value + "'");
        }

        /** A PostgreSQL interval such as "10 minutes" or "1 hour 30 minutes", longer than nothing. */
        Duration interval(String name) {
            String value = required(name);
            Matcher part = INTERVAL_PART.matcher(value);
            Duration total = Duration.ZERO;
            int end = 0;
            while (part.lookingAt()) {
                total = total.plus(unit(part.group(2)).multipliedBy(Long.parseLong(part.group(1))));
                end = part.end();
                part.region(end, value.length());
            }
            if (end == value.length() && total.compareTo(Duration.ZERO) > 0) {
                return total;
            }
            throw invalid(name, "must be a PostgreSQL interval of a number and a unit, like 10 minutes or"
                    + " 1 hour 30 minutes, but is '" + value + "'");
        }

        private static Duration unit(String unit) {
            String u = unit.toLowerCase(Locale.ROOT);
            if (u.startsWith("mic") || u.equals("us")) {
                return Duration.ofNanos(1000);
            } else if (u.startsWith("mil") || u.equals("ms")) {
                return Duration.ofMillis(1);
            } else if (u.startsWith("s")) {
                return Duration.ofSeconds(1);
            } else if (u.startsWith("m")) {
                return Duration.ofMinutes(1);
            } else if (u.startsWith("h")) {
                return Duration.ofHours(1);
            } else if (u.startsWith("d")) {
                return Duration.ofDays(1);
            }
            return Duration.ofDays(7);
        }
    }
}
