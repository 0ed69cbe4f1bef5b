-- Claims a page of the enrolments whose learner waits to be taken out of an old date's group
-- (waiting/group-leave.sql: the view waiting_group_leave) for this instance.
WITH waiting AS (
    SELECT m.enrolment_id AS id
    FROM waiting_group_leave w
    JOIN group_member m ON m.enrolment_id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'group-leave' AND l.entity_id = m.enrolment_id)
    ORDER BY m.enrolment_id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF m SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'group-leave', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    -- A dry run claims nothing: it reads the page and writes no claim.
    WHERE NOT CAST(:#${properties:sync.dry-run} AS boolean)
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        WHERE sync_state.state = 'DONE' OR (sync_state.state = 'IN_PROGRESS' AND NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = sync_state.entity_type AND l.entity_id = sync_state.entity_id))
    RETURNING entity_id
)
SELECT e.id             AS enrolment_id,
       e.moodle_user_id AS moodle_user_id,
       m.left_group_id  AS left_group_id
FROM (SELECT entity_id FROM claimed
      UNION ALL
      SELECT id FROM waiting WHERE CAST(:#${properties:sync.dry-run} AS boolean)) claimed
JOIN moodle_enrolment e ON e.id = claimed.entity_id
JOIN group_member m ON m.enrolment_id = e.id
ORDER BY e.id
