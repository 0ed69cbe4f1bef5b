-- Classroom and webinar courses ticked "Sync to Moodle" that have no Moodle id: claims a page of them
-- for this instance and returns what Moodle needs to create them.
-- A course with a Moodle id (typed in by a user, or written back) is never claimed.
-- An e-learning course ticked "Sync to Moodle" whose template has no Moodle course id is claimed too, so that
-- it reaches the dead-letter queue with a sentence saying what to fix (nothing is created for e-learning).
WITH waiting AS (
    SELECT c.id
    FROM courses c
    JOIN course_templates t ON t.id = c.template_id
    LEFT JOIN sync_state s ON s.entity_type = 'course' AND s.entity_id = c.id
    WHERE c.sync_to_moodle
      AND c.moodle_id IS NULL
      AND (c.course_type IN ('CLASSROOM', 'WEBINAR')
           OR (c.course_type = 'ELEARNING' AND t.moodle_course_id IS NULL))
      AND (s.state IS NULL OR (s.state = 'IN_PROGRESS' AND s.lease_until < now()))
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'course', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        WHERE sync_state.state = 'IN_PROGRESS' AND sync_state.lease_until < now()
    RETURNING entity_id
)
SELECT c.id                                   AS course_id,
       c.course_type                          AS course_type,
       c.label                                AS label,
       t.aims                                 AS aims,
       CAST(extract(epoch FROM c.start_at) AS bigint) AS start_date,
       CAST(extract(epoch FROM c.end_at) AS bigint)   AS end_date
FROM claimed
JOIN courses c ON c.id = claimed.entity_id
JOIN course_templates t ON t.id = c.template_id
ORDER BY c.id
