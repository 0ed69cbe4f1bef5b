-- Claims a page of the users waiting to be created (waiting/user.sql: the view waiting_user) for this instance,
-- and returns their Moodle fields.
WITH waiting_users AS (
    SELECT u.id, lower(trim(u.email)) AS email
    FROM waiting_user w
    JOIN users u ON u.id = w.id
), first_of_email AS (
    -- Moodle checks that an email is unused by reading, then inserting: two users sharing an email (case
    -- insensitive) are never in flight at once, in two batches or two instances. Only the lowest id of an email
    -- is claimed while it waits or is in progress; the next one after it is done or dead-lettered. (Found in one
    -- pass over the waiting users: a look-up per user made the claim quadratic, a minute at 10,000 users.)
    SELECT min(id) AS id FROM waiting_users WHERE email <> '' GROUP BY email
), waiting AS (
    SELECT u.id
    FROM waiting_users x
    JOIN users u ON u.id = x.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'user' AND l.entity_id = u.id)
      AND (coalesce(x.email, '') = '' OR x.id IN (SELECT id FROM first_of_email))
    ORDER BY u.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF u SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE is never taken again here).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('user', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), false)
)
-- What Moodle gets: the user's Moodle fields (fields/user.sql, the view user_fields).
SELECT f.*
FROM claimed
JOIN user_fields f ON f.user_id = claimed.entity_id
ORDER BY f.user_id
