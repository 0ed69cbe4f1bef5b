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
    -- Claimed for this instance by the one rule, claim-records.sql (DONE taken again: it waits again).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('user-update', ARRAY(SELECT id FROM waiting), :#${properties:sync.instance-id},
                       CAST(:#${properties:sync.claim-lease} AS interval), true,
                       CAST(:#${properties:sync.dry-run} AS boolean))
)
SELECT u.id        AS user_id,
       u.moodle_id AS moodle_id,
       u.forenames AS forenames,
       u.surname   AS surname,
       u.email     AS email,
       p.firstname AS sent_firstname,
       p.lastname  AS sent_lastname,
       p.email     AS sent_email
FROM claimed
JOIN users u ON u.id = claimed.entity_id
JOIN user_sent p ON p.user_id = u.id
ORDER BY u.id
