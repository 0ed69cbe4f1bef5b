-- Notes that Moodle took the learner out of the old date's group (unless another move came meanwhile), and marks
-- the claim done.
WITH noted AS (
    UPDATE group_member
    SET left_group_id = NULL, changed_at = now()
    WHERE enrolment_id = CAST(:#enrolment_id AS bigint) AND left_group_id = CAST(:#left_group_id AS bigint)
    RETURNING enrolment_id
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'group-leave' AND entity_id = CAST(:#enrolment_id AS bigint) AND state = 'IN_PROGRESS'
