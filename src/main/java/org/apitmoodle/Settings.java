package org.apitmoodle;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apitmoodle.deadletter.DeadLetterSettings;
import org.apitmoodle.deadletter.OperatorSettings;
import org.apitmoodle.drift.DriftSettings;
import org.apitmoodle.moodle.MoodleSettings;
import org.apitmoodle.ops.OpsSettings;
import org.apitmoodle.sync.RetrySettings;
import org.apitmoodle.sync.SyncSettings;
import org.apitmoodle.sync.grades.GradeSettings;
import org.apitmoodle.sync.operations.ChangeSettings;
import org.apitmoodle.sync.operations.CourseCopySettings;
import org.apitmoodle.sync.operations.CourseDatesSettings;

/**
 * Every setting of the integration, read and checked once at start-up, before any route starts: a missing or
 * malformed one stops start-up with one sentence that names the setting and its environment variable. Each section
 * is a small record next to the code it configures (moodle.* is {@link MoodleSettings}, sync.* {@link SyncSettings},
 * ...); this record only holds them together. The routes may still read the checked values as {{placeholders}};
 * the beans get theirs from here, and nothing is written back into Camel's properties. Secrets (the Moodle token,
 * the passwords) are never part of a message.
 */
public record Settings(
        MoodleSettings moodle,
        DatabaseSettings db,
        SyncSettings sync,
        GradeSettings grades,
        CourseDatesSettings courseDates,
        ChangeSettings changes,
        RetrySettings retry,
        OperatorSettings operators,
        DeadLetterSettings deadLetters,
        OpsSettings operations,
        CourseCopySettings courses,
        DriftSettings drift) {

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

    /** Reads and checks every setting; the first missing or malformed one is thrown as one sentence. */
    public static Settings read(Function<String, String> property) {
        SettingsReader settings = new SettingsReader(property);
        return new Settings(MoodleSettings.read(settings), DatabaseSettings.read(settings),
                SyncSettings.read(settings), GradeSettings.read(settings), CourseDatesSettings.read(settings),
                ChangeSettings.read(settings), RetrySettings.read(settings), OperatorSettings.read(settings),
                DeadLetterSettings.read(settings), OpsSettings.read(settings), CourseCopySettings.read(settings),
                DriftSettings.read(settings));
    }

    /**
     * The settings of a Camel context, read and checked the first time any start-up code asks for them, then the
     * same object (bound in the registry as {@value #BEAN}). Nothing is written back into Camel's properties.
     */
    public static Settings of(CamelContext context) {
        Settings settings = context.getRegistry().lookupByNameAndType(BEAN, Settings.class);
        if (settings == null) {
            PropertiesComponent properties = context.getPropertiesComponent();
            settings = read(name -> properties.resolveProperty(name).orElse(null));
            context.getRegistry().bind(BEAN, settings);
        }
        return settings;
    }

    /** The environment variable Camel reads a setting from: upper case, dots and dashes as underscores. */
    public static String environmentVariable(String setting) {
        return setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
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
    public static String defaultInstanceId() {
        return DefaultInstanceId.VALUE;
    }

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

}
