-- Notes an enrolment Moodle suspended or unenrolled (state SUSPENDED or UNENROLLED, from the mapper), uses up its
-- operator's confirmation, and marks the claim done. Unenrolled, the learner is out of the course's groups too:
-- Moodle's enrol_plugin::unenrol_user removes the last enrolment's group memberships, so the record of the group
-- goes with it.
WITH changed AS (
    UPDATE moodle_enrolment
    SET state = :#new_state, changed_at = now()
    WHERE id = CAST(:#enrolment_id AS bigint)
    RETURNING id
), confirmation_used AS (
    DELETE FROM removal_confirmation WHERE enrolment_id = CAST(:#enrolment_id AS bigint)
), group_left AS (
    DELETE FROM group_member
    WHERE enrolment_id = CAST(:#enrolment_id AS bigint) AND CAST(:#new_state AS text) = 'UNENROLLED'
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'cancellation' AND entity_id = CAST(:#enrolment_id AS bigint) AND state = 'IN_PROGRESS'
