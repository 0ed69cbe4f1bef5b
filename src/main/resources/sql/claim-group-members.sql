-- Claims a page of the enrolments waiting to be put in their date's group (waiting/group-member.sql: the view
-- waiting_group_member) for this instance, and returns the Moodle user, the group, and the group it leaves.
WITH waiting AS (
    SELECT e.id
    FROM waiting_group_member w
    JOIN moodle_enrolment e ON e.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'group-member' AND l.entity_id = e.id)
    ORDER BY e.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF e SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'group-member', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
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
SELECT e.id              AS enrolment_id,
       e.moodle_user_id  AS moodle_user_id,
       g.moodle_group_id AS moodle_group_id,
       m.moodle_group_id AS old_group_id
FROM (SELECT entity_id FROM claimed
      UNION ALL
      SELECT id FROM waiting WHERE CAST(:#${properties:sync.dry-run} AS boolean)) claimed
JOIN moodle_enrolment e ON e.id = claimed.entity_id
JOIN delegates d ON d.id = e.delegate_id
JOIN course_group g ON g.course_id = d.course_id AND g.moodle_course_id = e.moodle_course_id
LEFT JOIN group_member m ON m.enrolment_id = e.id
ORDER BY e.id
