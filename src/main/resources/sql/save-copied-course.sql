-- Writes the Moodle id of a copy given its date back to accessplanit, notes the dates and the other Moodle fields
-- Moodle was sent (course_dates, course_details_sent: so only later changes are sent, as for a course created
-- empty), and marks the claim done.
WITH saved AS (
    UPDATE courses SET moodle_id = :#moodle_id
    WHERE id = :#course_id AND moodle_id IS NULL
    RETURNING id
), noted AS (
    INSERT INTO course_dates (course_id, pushed_startdate, pushed_enddate)
    VALUES (:#course_id, CAST(:#start_date AS bigint), CAST(:#end_date AS bigint))
    ON CONFLICT (course_id) DO NOTHING
), details AS (
    INSERT INTO course_details_sent (course_id, fields)
    VALUES (:#course_id, CAST(:#sent_fields AS jsonb))
    ON CONFLICT (course_id) DO NOTHING
)
UPDATE sync_state
SET state = 'DONE', moodle_id = :#moodle_id, lease_until = NULL, updated_at = now()
WHERE entity_type = 'copied-course' AND entity_id = :#course_id
