-- Users with no Moodle id who are booked (not cancelled) onto a Moodle course: a classroom or webinar
-- course ticked "Sync to Moodle", or an e-learning course whose template carries a Moodle course id.
-- Claims a page of them for this instance and returns what Moodle needs to create them.
-- A user never booked onto a Moodle course is never claimed, so never sent.
WITH waiting AS (
    SELECT u.id
    FROM users u
    LEFT JOIN sync_state s ON s.entity_type = 'user' AND s.entity_id = u.id
    WHERE u.moodle_id IS NULL
      AND (s.state IS NULL OR (s.state = 'IN_PROGRESS' AND s.lease_until < now()))
      AND EXISTS (
          SELECT 1
          FROM delegates d
          JOIN courses c ON c.id = d.course_id
          JOIN course_templates t ON t.id = c.template_id
          WHERE d.user_id = u.id
            AND d.status <> 'CANCELLED'
            AND ((c.course_type IN ('CLASSROOM', 'WEBINAR') AND c.sync_to_moodle)
                 OR (c.course_type = 'ELEARNING' AND t.moodle_course_id IS NOT NULL)))
    ORDER BY u.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF u SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'user', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        WHERE sync_state.state = 'IN_PROGRESS' AND sync_state.lease_until < now()
    RETURNING entity_id
)
SELECT u.id        AS user_id,
       u.forenames AS forenames,
       u.surname   AS surname,
       u.email     AS email
FROM claimed
JOIN users u ON u.id = claimed.entity_id
ORDER BY u.id
