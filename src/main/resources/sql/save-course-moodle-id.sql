-- Writes the Moodle id of a course Moodle created back to accessplanit, and marks the claim done.
WITH saved AS (
    UPDATE courses SET moodle_id = :#moodle_id
    WHERE id = :#course_id AND moodle_id IS NULL
    RETURNING id
)
UPDATE sync_state
SET state = 'DONE', moodle_id = :#moodle_id, lease_until = NULL, updated_at = now()
WHERE entity_type = 'course' AND entity_id = :#course_id
