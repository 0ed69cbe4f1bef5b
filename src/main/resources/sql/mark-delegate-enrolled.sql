-- Marks a booking enrolled in Moodle, so it is never sent again, and records which Moodle user and course it was
-- enrolled on (moodle_enrolment): cancellations, re-activations and moves act on that record only.
WITH recorded AS (
    INSERT INTO moodle_enrolment (delegate_id, course_id, moodle_user_id, moodle_course_id, state)
    VALUES (CAST(:#delegate_id AS bigint), CAST(:#course_id AS bigint), CAST(:#moodle_user_id AS bigint),
            CAST(:#moodle_course_id AS bigint), 'ACTIVE')
    ON CONFLICT (delegate_id, moodle_course_id) DO UPDATE
        SET state = 'ACTIVE', course_id = EXCLUDED.course_id, moodle_user_id = EXCLUDED.moodle_user_id,
            changed_at = now()
    RETURNING id
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'enrolment' AND entity_id = :#delegate_id
