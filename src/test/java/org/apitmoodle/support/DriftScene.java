package org.apitmoodle.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apitmoodle.emulator.Enrolment;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.emulator.MoodleSite;

/**
 * One booking for each kind of drift, synced, then changed in Moodle by hand as people do: the scene the drift
 * tests reconcile under report and under repair.
 *
 * <ul>
 *   <li>101 Ann Removed on Fire Safety (10): her enrolment removed by an administrator;</li>
 *   <li>102 Ben Suspended on Fire Safety: his enrolment suspended by a teacher, booking active;</li>
 *   <li>103 Cat Reactivated on Fire Safety: booking cancelled (suspended by the sync), then re-activated by hand;</li>
 *   <li>104 Dan Deleted on First Aid (11): his account deleted;</li>
 *   <li>105 Eve Locked on First Aid: her account suspended;</li>
 *   <li>106 Fay Replaced on First Aid: her Moodle id now holds another person's account;</li>
 *   <li>107 Gil Gone on Manual Handling (12): the course deleted;</li>
 *   <li>108 Hal Swapped on Data Protection (13): the course's Moodle id now holds another course;</li>
 *   <li>109 Ida Steady on Fire Safety: nothing changed.</li>
 * </ul>
 * Beside them, never drift: a teacher enrolled by hand on Fire Safety, Ida also enrolled by hand on a course the
 * integration never touched, and that course's own learner removed.
 */
public final class DriftScene {

    public final Accessplanit accessplanit;
    private final TestDatabase db;
    private final MoodleEmulator moodle;
    public long fireSafety;
    public long firstAid;
    public long manualHandling;
    public long dataProtection;
    public long untouchedCourse;
    public long teacher;
    public final Map<Long, String> learners = Map.of(1L, "Ann Removed", 2L, "Ben Suspended", 3L, "Cat Reactivated",
            4L, "Dan Deleted", 5L, "Eve Locked", 6L, "Fay Replaced", 7L, "Gil Gone", 8L, "Hal Swapped", 9L, "Ida Steady");

    public DriftScene(TestDatabase db, MoodleEmulator moodle) {
        this.db = db;
        this.moodle = moodle;
        this.accessplanit = new Accessplanit(db);
    }

    /** The accessplanit records, synced to Moodle (the cancelled booking's enrolment suspended). */
    public void synced(org.awaitility.core.ConditionFactory eventually) {
        accessplanit.classroomCourse(10, "Fire Safety");
        accessplanit.classroomCourse(11, "First Aid");
        accessplanit.classroomCourse(12, "Manual Handling");
        accessplanit.classroomCourse(13, "Data Protection");
        for (long n = 1; n <= 9; n++) {
            String[] name = learners.get(n).split(" ");
            accessplanit.user(n, name[0], name[1], name[0].toLowerCase() + "@example.org");
        }
        long[][] bookings = {{101, 1, 10}, {102, 2, 10}, {103, 3, 10}, {104, 4, 11}, {105, 5, 11}, {106, 6, 11},
            {107, 7, 12}, {108, 8, 13}, {109, 9, 10}};
        for (long[] b : bookings) {
            accessplanit.delegate(b[0], b[1], b[2], "BOOKED");
        }
        eventually.until(() -> db.count("SELECT count(*) FROM moodle_enrolment WHERE state = 'ACTIVE' AND delegate_id BETWEEN 101 AND 109") == 9);
        db.update("UPDATE delegates SET status = 'CANCELLED' WHERE id = 103");
        eventually.until(() -> db.count("SELECT count(*) FROM moodle_enrolment WHERE state = 'SUSPENDED'") == 1);
        fireSafety = accessplanit.courseMoodleId(10);
        firstAid = accessplanit.courseMoodleId(11);
        manualHandling = accessplanit.courseMoodleId(12);
        dataProtection = accessplanit.courseMoodleId(13);
        MoodleSite site = moodle.site();
        teacher = site.addUser("teacher.tom", "Tom", "Teacher", "tom@example.org").id();
        site.enrol(teacher, fireSafety, 5, false);
        untouchedCourse = site.addCourse("OWN-1", "A course of Moodle's own", "OWN-1", 1).id();
        site.enrol(user(9), untouchedCourse, 5, false);
        long own = site.addUser("own.learner", "Olive", "Own", "olive@example.org").id();
        site.enrol(own, untouchedCourse, 5, false);
    }

    /** What people change in Moodle by hand. */
    public void changedInMoodle() {
        MoodleSite site = moodle.site();
        site.unenrolByHand(user(1), fireSafety);
        site.setEnrolmentSuspendedByHand(user(2), fireSafety, true);
        site.setEnrolmentSuspendedByHand(user(3), fireSafety, false);
        site.deleteUser(user(4));
        site.setUserSuspended(user(5), true);
        site.replaceUserUnderId(user(6), "someone.else", "Sam", "Else", "sam@example.org");
        site.deleteCourse(manualHandling);
        site.replaceCourseUnderId(dataProtection, "OTHER-13", "Another course", "OTHER-13");
        // Moodle's own course and its own learner: none of the integration's business.
        site.unenrolByHand(site.userByUsername("own.learner").orElseThrow().id(), untouchedCourse);
    }

    public long user(long accessplanitId) {
        return accessplanit.userMoodleId(accessplanitId);
    }

    /** The open findings, kind to subject. */
    public List<Map<String, Object>> openFindings() {
        return db.rows("SELECT kind, subject, detail, action, outcome FROM drift_finding WHERE closed_at IS NULL"
                + " ORDER BY kind");
    }

    /** The Moodle calls the emulator got with this function. */
    public long calls(String function) {
        return moodle.calls().stream().filter(c -> c.wsfunction().equals(function)).count();
    }

    /** No call ever read the course the integration never touched. */
    public void untouchedCourseNeverRead() {
        assertThat(moodle.calls()).noneMatch(c -> c.params().stream().anyMatch(p ->
                (p.getKey().equals("courseid") || p.getKey().equals("value"))
                        && p.getValue().matches("(.*,)?" + untouchedCourse + "(,.*)?")));
    }

    public Enrolment enrolment(long moodleUser, long moodleCourse) {
        return moodle.site().enrolments().stream().filter(e -> e.userId() == moodleUser && e.courseId() == moodleCourse)
                .findFirst().orElse(null);
    }
}
