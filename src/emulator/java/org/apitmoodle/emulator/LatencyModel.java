package org.apitmoodle.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * What a call costs on a real Moodle, and how much Moodle can do at once. A call waits for one of {@code workers}
 * (PHP-FPM's pool; at most {@code backlog} calls wait, more are answered 503 at once, as nginx does when the pool's
 * queue is full), then spends {@code perCallWait} without CPU (database and network round trips) and its CPU time on
 * one of {@code cores}, shared with the other calls (see {@link Capacity}). The CPU time is {@code perCall} plus a
 * part per record: a created user (with createpassword=1 most of it is the bcrypt hash), a created course, an
 * enrolment, a value looked up, a user in a grade report, a course copied (backed up and restored) and each activity
 * it holds.
 *
 * <p>{@code cores} 0 means no capacity at all: every call just sleeps its cost, side by side with any other.
 */
public record LatencyModel(String name, int cores, int workers, int backlog, Duration perCallWait, Duration perCall,
                           Duration perUserWithPassword, Duration perUserWithoutPassword, Duration perCourse,
                           Duration perEnrolment, Duration perLookUpValue, Duration perReportedUser,
                           Duration perCopiedCourse, Duration perCopiedActivity) {

    public static final LatencyModel NONE = new LatencyModel(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO);

    /**
     * The recording site (a Moodle 4.1 on 2 cores, 4 PHP-FPM workers; shared MOODLE-NOTES and the transcripts'
     * elapsed_ms): site info 23-35 ms (22 ms CPU + 6 ms database); a user created with createpassword=1 75 ms of
     * CPU (bcrypt at cost 10 is 61 ms of it), without a password 7 ms (50 SSO users in 0.35-0.46 s); a course
     * 30 ms; an enrolment in a batch 5 ms; a looked-up value 5 ms (200 usernames in about 1 s); a user in a grade
     * report 1 ms (an estimate: no transcript times a large report); a course copied with
     * core_course_duplicate_course 450 ms and 40 ms per activity it holds (a course of 3 activities took 364-767 ms,
     * median 599, one at a time, and 1.2-1.4 s each four at once: the copy is CPU, the backup and the restore).
     */
    public static final LatencyModel TWO_CORES = calibrated("2 cores, 4 workers", 2, 4);

    /** The same costs on a larger site: 8 cores, 16 PHP-FPM workers. */
    public static final LatencyModel EIGHT_CORES = calibrated("8 cores, 16 workers", 8, 16);

    /** The recording site's model (kept under its former name). */
    public static final LatencyModel MOODLE_4_1 = TWO_CORES;

    /** The calibrated costs on a site of {@code cores} cores and {@code workers} workers (backlog: 4 per worker). */
    public static LatencyModel calibrated(String name, int cores, int workers) {
        return new LatencyModel(name, cores, workers, 4 * workers, Duration.ofMillis(6), Duration.ofMillis(22),
                Duration.ofMillis(75), Duration.ofMillis(7), Duration.ofMillis(30), Duration.ofMillis(5),
                Duration.ofMillis(5), Duration.ofMillis(1), Duration.ofMillis(450), Duration.ofMillis(40));
    }

    /** A model without capacity: every call sleeps {@code perCall} plus its records' costs, however many run. */
    public LatencyModel(Duration perCall, Duration perUser, Duration perCourse, Duration perEnrolment) {
        this("sleep only", 0, 0, 0, perCall, Duration.ZERO, perUser, perUser, perCourse, perEnrolment, Duration.ZERO,
                Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** A model whose course copies cost nothing beyond the call itself. */
    public LatencyModel(String name, int cores, int workers, int backlog, Duration perCallWait, Duration perCall,
            Duration perUserWithPassword, Duration perUserWithoutPassword, Duration perCourse, Duration perEnrolment,
            Duration perLookUpValue, Duration perReportedUser) {
        this(name, cores, workers, backlog, perCallWait, perCall, perUserWithPassword, perUserWithoutPassword,
                perCourse, perEnrolment, perLookUpValue, perReportedUser, Duration.ZERO, Duration.ZERO);
    }

    /** The same model, a course copy costing {@code perCopiedCourse} and {@code perCopiedActivity} per activity. */
    public LatencyModel withCopies(Duration course, Duration activity) {
        return new LatencyModel(name, cores, workers, backlog, perCallWait, perCall, perUserWithPassword,
                perUserWithoutPassword, perCourse, perEnrolment, perLookUpValue, perReportedUser, course, activity);
    }

    /**
     * The model from properties {@code <prefix>cores} and {@code <prefix>workers} (missing: the recording site's 2
     * and 4; cores 0: no capacity, every call only sleeps its cost).
     */
    public static LatencyModel fromProperties(java.util.function.Function<String, String> property, String prefix) {
        int cores = integer(property.apply(prefix + "cores"), TWO_CORES.cores());
        int workers = integer(property.apply(prefix + "workers"), TWO_CORES.workers());
        LatencyModel model = calibrated(cores + " cores, " + workers + " workers", cores, workers);
        return cores == 0 ? model.withoutCapacity() : model;
    }

    private static int integer(String value, int otherwise) {
        return value == null || value.isBlank() ? otherwise : Integer.parseInt(value.strip());
    }

    public LatencyModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(perCallWait, "perCallWait");
        Objects.requireNonNull(perCall, "perCall");
        Objects.requireNonNull(perUserWithPassword, "perUserWithPassword");
        Objects.requireNonNull(perUserWithoutPassword, "perUserWithoutPassword");
        Objects.requireNonNull(perCourse, "perCourse");
        Objects.requireNonNull(perEnrolment, "perEnrolment");
        Objects.requireNonNull(perLookUpValue, "perLookUpValue");
        Objects.requireNonNull(perReportedUser, "perReportedUser");
        Objects.requireNonNull(perCopiedCourse, "perCopiedCourse");
        Objects.requireNonNull(perCopiedActivity, "perCopiedActivity");
        if (cores < 0 || workers < 0 || backlog < 0 || (cores > 0 && workers == 0)) {
            throw new IllegalArgumentException("cores, workers and backlog must be positive (or cores 0)");
        }
    }

    /** The same costs, slept side by side with no limit. */
    public LatencyModel withoutCapacity() {
        return new LatencyModel(name + " (no capacity)", 0, 0, 0, perCallWait, perCall, perUserWithPassword,
                perUserWithoutPassword, perCourse, perEnrolment, perLookUpValue, perReportedUser, perCopiedCourse,
                perCopiedActivity);
    }

    public boolean hasCapacity() {
        return cores > 0;
    }

    /** What one call did, for its cost. */
    public record Work(int usersWithPassword, int usersWithoutPassword, int courses, int enrolments,
                       int lookedUpValues, int reportedUsers, int copiedCourses, int copiedActivities) {

        public static final Work NOTHING = new Work(0, 0, 0, 0, 0, 0);

        /** Work that copied no course. */
        public Work(int usersWithPassword, int usersWithoutPassword, int courses, int enrolments, int lookedUpValues,
                int reportedUsers) {
            this(usersWithPassword, usersWithoutPassword, courses, enrolments, lookedUpValues, reportedUsers, 0, 0);
        }

        /** The restore of one copied course holding {@code activities} activities. */
        public static Work copy(int activities) {
            return new Work(0, 0, 0, 0, 0, 0, 1, activities);
        }
    }

    /** The CPU time of one call that did {@code work}. */
    public Duration cpu(Work work) {
        return perCall.plus(perUserWithPassword.multipliedBy(work.usersWithPassword()))
                .plus(perUserWithoutPassword.multipliedBy(work.usersWithoutPassword()))
                .plus(perCourse.multipliedBy(work.courses()))
                .plus(perEnrolment.multipliedBy(work.enrolments()))
                .plus(perLookUpValue.multipliedBy(work.lookedUpValues()))
                .plus(perReportedUser.multipliedBy(work.reportedUsers()))
                .plus(perCopiedCourse.multipliedBy(work.copiedCourses()))
                .plus(perCopiedActivity.multipliedBy(work.copiedActivities()));
    }

    /** The modelled cost of one call alone on the site: its wait plus its CPU time. */
    public Duration cost(Work work) {
        return perCallWait.plus(cpu(work));
    }
}
