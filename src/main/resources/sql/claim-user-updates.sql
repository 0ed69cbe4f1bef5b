-- Claims a page of the users whose changed names or email wait to be sent (waiting/user-update.sql: the view
-- waiting_user_update) for this instance, and returns what accessplanit holds now and what Moodle was last sent.
WITH waiting AS (
    SELECT u.id
    FROM waiting_user_update w
    JOIN users u ON u.id = w.id
    -- Not held by a live claim (a claim whose lease ran out, left by a killed instance, is taken over).
    WHERE NOT EXISTS (SELECT 1 FROM sync_state s
                      WHERE s.entity_type = 'user-update' AND s.entity_id = u.id
                        AND s.state = 'IN_PROGRESS' AND s.lease_until >= now())
    ORDER BY u.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF u SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'user-update', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        WHERE sync_state.state = 'DONE' OR (sync_state.state = 'IN_PROGRESS' AND sync_state.lease_until < now())
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
FROM claimed
JOIN users u ON u.id = claimed.entity_id
JOIN user_sent p ON p.user_id = u.id
ORDER BY u.id
