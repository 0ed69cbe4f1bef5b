-- Claims a page of the enrolments whose learner waits to be taken out of an old date's group
-- (waiting/group-leave.sql: the view waiting_group_leave) for this instance.
WITH waiting AS (
    SELECT m.enrolment_id AS id
    FROM waiting_group_leave w
    JOIN group_member m ON m.enrolment_id = w.id
    -- Not held by a live claim (a claim whose lease ran out, left by a killed instance, is taken over).
    WHERE NOT EXISTS (SELECT 1 FROM sync_state s
                      WHERE s.entity_type = 'group-leave' AND s.entity_id = m.enrolment_id
                        AND s.state = 'IN_PROGRESS' AND s.lease_until >= now())
    ORDER BY m.enrolment_id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF m SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'group-leave', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        WHERE sync_state.state = 'DONE' OR (sync_state.state = 'IN_PROGRESS' AND sync_state.lease_until < now())
    RETURNING entity_id
)
SELECT e.id             AS enrolment_id,
       e.moodle_user_id AS moodle_user_id,
       m.left_group_id  AS left_group_id
FROM claimed
JOIN moodle_enrolment e ON e.id = claimed.entity_id
JOIN group_member m ON m.enrolment_id = e.id
ORDER BY e.id
