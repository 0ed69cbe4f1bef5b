package org.apitmoodle.moodle;

/** What the integration does about a failed record or call. */
public enum FailureKind {
    /** Moodle down, slow, overloaded: retried with back-off, then dead-lettered. */
    TRANSIENT("transient"),
    /** The record itself is wrong (or clashes with Moodle's data): dead-lettered at once for a person to fix. */
    BAD_DATA("bad-data"),
    /** The Moodle site or our settings are wrong (token, service, capability, category, role): nothing can succeed. */
    CONFIGURATION("configuration");

    private final String label;

    FailureKind(String label) {
        this.label = label;
    }

    /** The name stored in the dead-letter queue and shown to operators. */
    public String label() {
        return label;
    }
}
