package org.apitmoodle.support;

import java.time.OffsetDateTime;

/** Writes test records into the accessplanit tables, as a training administrator would make them. */
public final class Accessplanit {

    private final TestDatabase db;

    public Accessplanit(TestDatabase db) {
        this.db = db;
    }

    public void template(long id, String aims, Long moodleCourseId) {
        db.update("INSERT INTO course_templates (id, name, aims, moodle_course_id) VALUES (?, ?, ?, ?)",
                id, "Template " + id, aims, moodleCourseId);
    }

    public void course(long id, long templateId, String label, String type, OffsetDateTime start, OffsetDateTime end,
            boolean syncToMoodle, Long moodleId) {
        db.update("INSERT INTO courses (id, template_id, label, course_type, start_at, end_at, sync_to_moodle, moodle_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, templateId, label, type, start, end, syncToMoodle, moodleId);
    }

    /** A classroom course ticked "Sync to Moodle", on its own template. */
    public void classroomCourse(long id, String label) {
        template(id, "<p>Aims of " + label + "</p>", null);
        course(id, id, label, "CLASSROOM", OffsetDateTime.parse("2027-03-01T09:00:00Z"),
                OffsetDateTime.parse("2027-03-01T17:00:00Z"), true, null);
    }

    public void user(long id, String forenames, String surname, String email) {
        db.update("INSERT INTO users (id, forenames, surname, email) VALUES (?, ?, ?, ?)", id, forenames, surname, email);
    }

    public void delegate(long id, long userId, long courseId, String status) {
        db.update("INSERT INTO delegates (id, user_id, course_id, status) VALUES (?, ?, ?, ?)", id, userId, courseId, status);
    }

    public Long courseMoodleId(long courseId) {
        return (Long) db.value("SELECT moodle_id FROM courses WHERE id = ?", courseId);
    }

    public Long userMoodleId(long userId) {
        return (Long) db.value("SELECT moodle_id FROM users WHERE id = ?", userId);
    }

    /** The integration's state of a record: null (waiting), IN_PROGRESS, DONE or FAILED. */
    public String syncState(String entityType, long id) {
        return (String) db.value("SELECT state FROM sync_state WHERE entity_type = ? AND entity_id = ?", entityType, id);
    }
}
