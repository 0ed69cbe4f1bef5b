-- Claims a page of the users waiting to be created (waiting/user.sql: the view waiting_user) for this instance,
-- and returns what Moodle needs to create them.
WITH waiting AS (
    SELECT u.id
    FROM waiting_user w
    JOIN users u ON u.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'user' AND l.entity_id = u.id)
      -- Moodle checks that an email is unused by reading, then inserting: two users sharing an email (case
      -- insensitive) are never in flight at once, in two batches or two instances. Only the lowest id of an email
      -- is claimed while it waits or is in progress; the next one after it is done or dead-lettered.
      AND NOT EXISTS (SELECT 1 FROM users o JOIN waiting_user wo ON wo.id = o.id
                      WHERE lower(o.email) = lower(u.email) AND o.id < u.id AND trim(o.email) <> '')
    ORDER BY u.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF u SKIP LOCKED
), heartbeat AS (
    -- This instance is alive (also noted on a timer while its calls run); not in a dry run, which writes nothing.
    INSERT INTO sync_instance (instance_id, heartbeat_at)
    SELECT :#${properties:sync.instance-id}, now() WHERE NOT CAST(:#${properties:sync.dry-run} AS boolean)
    ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'user', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    -- A dry run claims nothing: it reads the page and writes no claim.
    WHERE NOT CAST(:#${properties:sync.dry-run} AS boolean)
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        WHERE sync_state.state = 'IN_PROGRESS' AND NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = sync_state.entity_type AND l.entity_id = sync_state.entity_id)
    RETURNING entity_id
)
SELECT u.id        AS user_id,
       u.forenames AS forenames,
       u.surname   AS surname,
       u.email     AS email
FROM (SELECT entity_id FROM claimed
      UNION ALL
      SELECT id FROM waiting WHERE CAST(:#${properties:sync.dry-run} AS boolean)) claimed
JOIN users u ON u.id = claimed.entity_id
ORDER BY u.id
