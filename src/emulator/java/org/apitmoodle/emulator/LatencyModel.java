package org.apitmoodle.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * What a call costs on a real Moodle: a fixed part per request plus a part per record it creates, and for a user
 * whose password Moodle hashes (a manual account, createpassword=1) the bcrypt on top. No CPU capacity is modelled:
 * calls in flight do not slow each other.
 */
public record LatencyModel(Duration perCall, Duration perUser, Duration perPasswordHash, Duration perCourse,
                           Duration perEnrolment) {

    public static final LatencyModel NONE = new LatencyModel(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO);

    /**
     * The recording site's figures (a Moodle 4.1 on 2 cores, see shared MOODLE-NOTES): 23 ms a call, 8 ms a user
     * (50 oauth2 accounts without a password took 0.35-0.46 s), 61 ms more to hash a user's password (bcrypt at
     * cost 10; 50 manual accounts with createpassword=1 took 3.9 s), 28 ms a course, 4 ms an enrolment.
     */
    public static final LatencyModel MOODLE_4_1 = new LatencyModel(Duration.ofMillis(23), Duration.ofMillis(8),
            Duration.ofMillis(61), Duration.ofMillis(28), Duration.ofMillis(4));

    /** A model whose per-user cost is the same with or without a password. */
    public LatencyModel(Duration perCall, Duration perUser, Duration perCourse, Duration perEnrolment) {
        this(perCall, perUser, Duration.ZERO, perCourse, perEnrolment);
    }

    /**
     * The model from properties {@code <prefix>per-call-ms}, {@code per-user-ms}, {@code per-password-hash-ms},
     * {@code per-course-ms} and {@code per-enrolment-ms}; each one missing takes the recording site's figure.
     */
    public static LatencyModel fromProperties(java.util.function.Function<String, String> property, String prefix) {
        return new LatencyModel(
                millis(property.apply(prefix + "per-call-ms"), MOODLE_4_1.perCall()),
                millis(property.apply(prefix + "per-user-ms"), MOODLE_4_1.perUser()),
                millis(property.apply(prefix + "per-password-hash-ms"), MOODLE_4_1.perPasswordHash()),
                millis(property.apply(prefix + "per-course-ms"), MOODLE_4_1.perCourse()),
                millis(property.apply(prefix + "per-enrolment-ms"), MOODLE_4_1.perEnrolment()));
    }

    private static Duration millis(String value, Duration otherwise) {
        return value == null || value.isBlank() ? otherwise : Duration.ofMillis(Long.parseLong(value.strip()));
    }

    public LatencyModel {
        Objects.requireNonNull(perCall, "perCall");
        Objects.requireNonNull(perUser, "perUser");
        Objects.requireNonNull(perPasswordHash, "perPasswordHash");
        Objects.requireNonNull(perCourse, "perCourse");
        Objects.requireNonNull(perEnrolment, "perEnrolment");
    }

    /** The modelled cost of one call that created the given numbers of records and hashed that many passwords. */
    Duration cost(int users, int hashedPasswords, int courses, int enrolments) {
        return perCall.plus(perUser.multipliedBy(users))
                .plus(perPasswordHash.multipliedBy(hashedPasswords))
                .plus(perCourse.multipliedBy(courses))
                .plus(perEnrolment.multipliedBy(enrolments));
    }
}
