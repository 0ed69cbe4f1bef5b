-- Notes the dates Moodle took for a course: those that were sent, not the course's current ones, so a change
-- made while the push was in flight is sent by the next poll. Marks the claim done.
WITH pushed AS (
    UPDATE course_dates
    SET pushed_startdate = CAST(:#start_date AS bigint), pushed_enddate = CAST(:#end_date AS bigint),
        pushed_at = now()
    WHERE course_id = :#course_id
    RETURNING course_id
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'course-dates' AND entity_id = :#course_id AND state = 'IN_PROGRESS'
