-- Claims a page of the courses whose changed label or aims wait to be sent (waiting/course-details.sql: the view
-- waiting_course_details) for this instance, and returns what accessplanit holds now and what Moodle was last sent.
WITH waiting AS (
    SELECT c.id
    FROM waiting_course_details w
    JOIN courses c ON c.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'course-details' AND l.entity_id = c.id)
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'course-details', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
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
SELECT c.id        AS course_id,
       c.moodle_id AS moodle_id,
       c.label     AS label,
       t.aims      AS aims,
       p.fullname  AS sent_fullname,
       p.summary   AS sent_summary
FROM (SELECT entity_id FROM claimed
      UNION ALL
      SELECT id FROM waiting WHERE CAST(:#${properties:sync.dry-run} AS boolean)) claimed
JOIN courses c ON c.id = claimed.entity_id
JOIN course_templates t ON t.id = c.template_id
JOIN course_details_sent p ON p.course_id = c.id
ORDER BY c.id
