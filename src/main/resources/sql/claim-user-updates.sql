-- Claims a page of the users whose changed names or email wait to be sent (waiting/user-update.sql: the view
-- waiting_user_update) for this instance, and returns what accessplanit holds now and what Moodle was last sent.
WITH waiting AS (
    SELECT u.id
    FROM waiting_user_update w
    JOIN users u ON u.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'user-update' AND l.entity_id = u.id)
    ORDER BY u.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF u SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'user-update', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
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
SELECT u.id        AS user_id,
       u.moodle_id AS moodle_id,
       u.forenames AS forenames,
       u.surname   AS surname,
       u.email     AS email,
       p.firstname AS sent_firstname,
       p.lastname  AS sent_lastname,
       p.email     AS sent_email
FROM (SELECT entity_id FROM claimed
      UNION ALL
      SELECT id FROM waiting WHERE CAST(:#${properties:sync.dry-run} AS boolean)) claimed
JOIN users u ON u.id = claimed.entity_id
JOIN user_sent p ON p.user_id = u.id
ORDER BY u.id
