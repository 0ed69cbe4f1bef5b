-- Notes the Moodle group of a course (made, or found already there by its idnumber), and marks the claim done.
WITH noted AS (
    INSERT INTO course_group (course_id, moodle_course_id, moodle_group_id)
    VALUES (CAST(:#course_id AS bigint), CAST(:#moodle_course_id AS bigint), CAST(:#moodle_group_id AS bigint))
    ON CONFLICT (course_id) DO UPDATE
        SET moodle_course_id = EXCLUDED.moodle_course_id, moodle_group_id = EXCLUDED.moodle_group_id, noted_at = now()
    RETURNING course_id
)
UPDATE sync_state
SET state = 'DONE', moodle_id = CAST(:#moodle_group_id AS bigint), lease_until = NULL, updated_at = now()
WHERE entity_type = 'group' AND entity_id = CAST(:#course_id AS bigint) AND state = 'IN_PROGRESS'
