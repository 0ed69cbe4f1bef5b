-- Notes an enrolment Moodle suspended or unenrolled (state SUSPENDED or UNENROLLED, from the mapper), uses up its
-- operator's confirmation, and marks the claim done.
WITH changed AS (
    UPDATE moodle_enrolment
    SET state = :#new_state, changed_at = now()
    WHERE id = CAST(:#enrolment_id AS bigint)
    RETURNING id
), confirmation_used AS (
    DELETE FROM removal_confirmation WHERE enrolment_id = CAST(:#enrolment_id AS bigint)
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'cancellation' AND entity_id = CAST(:#enrolment_id AS bigint) AND state = 'IN_PROGRESS'
