-- Notes the Moodle id of the copy made (or found, made by an earlier attempt) for a course in its claim, and marks
-- the claim done: the copy then waits to be given its date (waiting/copied-course.sql), which writes the Moodle id
-- back to accessplanit.
UPDATE sync_state
SET state = 'DONE', moodle_id = :#moodle_id, lease_until = NULL, updated_at = now()
WHERE entity_type = 'course-copy' AND entity_id = :#course_id
