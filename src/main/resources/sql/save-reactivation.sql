-- Notes an enrolment Moodle made active again, and marks the claim done.
WITH changed AS (
    UPDATE moodle_enrolment
    SET state = 'ACTIVE', changed_at = now()
    WHERE id = CAST(:#enrolment_id AS bigint)
    RETURNING id
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'reactivation' AND entity_id = CAST(:#enrolment_id AS bigint) AND state = 'IN_PROGRESS'
