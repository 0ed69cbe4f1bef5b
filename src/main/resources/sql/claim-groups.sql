-- Claims a page of the courses waiting for their Moodle group (waiting/group.sql: the view waiting_group) for this
-- instance, and returns the Moodle course, the label and the dates (as days in the database's time zone).
WITH waiting AS (
    SELECT c.id
    FROM waiting_group w
    JOIN courses c ON c.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'group' AND l.entity_id = c.id)
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'group', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
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
SELECT c.id                               AS course_id,
       CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END AS moodle_course_id,
       c.label                            AS label,
       to_char(c.start_at, 'YYYY-MM-DD')  AS start_day,
       to_char(c.end_at, 'YYYY-MM-DD')    AS end_day
FROM (SELECT entity_id FROM claimed
      UNION ALL
      SELECT id FROM waiting WHERE CAST(:#${properties:sync.dry-run} AS boolean)) claimed
JOIN courses c ON c.id = claimed.entity_id
JOIN course_templates t ON t.id = c.template_id
ORDER BY c.id
