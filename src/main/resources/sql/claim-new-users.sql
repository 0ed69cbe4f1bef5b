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
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE is never taken again here).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('user', ARRAY(SELECT id FROM waiting), :#${properties:sync.instance-id},
                       CAST(:#${properties:sync.claim-lease} AS interval), false,
                       CAST(:#${properties:sync.dry-run} AS boolean))
)
SELECT u.id        AS user_id,
       u.forenames AS forenames,
       u.surname   AS surname,
       u.email     AS email
FROM claimed
JOIN users u ON u.id = claimed.entity_id
ORDER BY u.id
