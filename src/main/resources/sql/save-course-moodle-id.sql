-- Writes the Moodle id of a course Moodle created (or one found already there), or of a copy of a template course
-- once given its date, back to accessplanit, notes the dates Moodle was sent for it (so that only later changes are
-- sent again; unknown for a course found already there, so its dates are sent once), notes the other Moodle fields
-- it was sent (course_details_sent; unknown for a course found already there, so they are sent once), and marks the
-- claim of its operation (course or copied-course) done.
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
WHERE entity_type = :#${exchangeProperty.batch.operation.key()} AND entity_id = :#course_id
