-- Notes the Moodle fields Moodle took for a course (those of the claim), and marks the claim done.
WITH noted AS (
    UPDATE course_details_sent
    SET fields = CAST(:#sent_fields AS jsonb), sent_at = now()
    WHERE course_id = CAST(:#course_id AS bigint)
    RETURNING course_id
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'course-details' AND entity_id = CAST(:#course_id AS bigint) AND state = 'IN_PROGRESS'
