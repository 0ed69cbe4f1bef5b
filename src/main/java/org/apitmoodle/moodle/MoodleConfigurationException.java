package org.apitmoodle.moodle;

/**
 * Moodle refused a call for a reason that is not the records' data: the integration itself (token, account,
 * service, capability), a setting (category, role), or a call it will not take (too large, one course out of
 * reach). Whether it is the whole integration or this one call, the evidence decides (see README, "Failures").
 */
public class MoodleConfigurationException extends SyncFailure {

    private final boolean wholeIntegration;
    private final String setting;

    /** A refusal the probe must judge: the integration's or this call's. */
    public MoodleConfigurationException(String errorCode, String message) {
        this(errorCode, message, false);
    }

    /** {@code wholeIntegration}: Moodle refuses every call of the integration, whatever is sent. */
    public MoodleConfigurationException(String errorCode, String message, boolean wholeIntegration) {
        this(errorCode, message, wholeIntegration, null);
    }

    /** {@code setting}: the setting that names what Moodle refused (moodle.category-id, moodle.role-id), or null. */
    public MoodleConfigurationException(String errorCode, String message, boolean wholeIntegration, String setting) {
        super(errorCode, message);
        this.wholeIntegration = wholeIntegration;
        this.setting = setting;
    }

    /** Whether Moodle refuses every call of the integration (the account, the token, maintenance). */
    public boolean isWholeIntegration() {
        return wholeIntegration;
    }

    /** The setting to fix (the pause lasts until a restart reads it again), or null. */
    public String getSetting() {
        return setting;
    }

    @Override
    public FailureKind getKind() {
        return FailureKind.CONFIGURATION;
    }
}
