-- Notes the group Moodle put the learner in (and the group to take them out of, when the booking moved from
-- another date of the same Moodle course), and marks the claim done.
WITH noted AS (
    INSERT INTO group_member (enrolment_id, moodle_group_id, left_group_id)
    VALUES (CAST(:#enrolment_id AS bigint), CAST(:#moodle_group_id AS bigint), CAST(:#old_group_id AS bigint))
    ON CONFLICT (enrolment_id) DO UPDATE
        SET moodle_group_id = EXCLUDED.moodle_group_id,
            left_group_id = COALESCE(EXCLUDED.left_group_id, group_member.left_group_id), changed_at = now()
    RETURNING enrolment_id
)
UPDATE sync_state
SET state = 'DONE', lease_until = NULL, updated_at = now()
WHERE entity_type = 'group-member' AND entity_id = CAST(:#enrolment_id AS bigint) AND state = 'IN_PROGRESS'
