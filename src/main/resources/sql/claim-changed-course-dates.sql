-- Synced classroom and webinar courses whose start or end differs from the dates Moodle was last sent: claims
-- a page of them for this instance and returns the Moodle id and the dates to send (Unix seconds).
-- A course whose push failed (dead-lettered, 'course-dates' FAILED) waits for an operator.
WITH waiting AS (
    SELECT c.id
    FROM courses c
    JOIN course_dates p ON p.course_id = c.id
    LEFT JOIN sync_state s ON s.entity_type = 'course-dates' AND s.entity_id = c.id
    WHERE c.sync_to_moodle
      AND c.moodle_id IS NOT NULL
      AND c.course_type IN ('CLASSROOM', 'WEBINAR')
      AND (CAST(extract(epoch FROM c.start_at) AS bigint), CAST(extract(epoch FROM c.end_at) AS bigint))
          IS DISTINCT FROM (p.pushed_startdate, p.pushed_enddate)
      AND (s.state IS NULL OR s.state = 'DONE' OR (s.state = 'IN_PROGRESS' AND s.lease_until < now()))
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'course-dates', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        WHERE sync_state.state = 'DONE' OR (sync_state.state = 'IN_PROGRESS' AND sync_state.lease_until < now())
    RETURNING entity_id
)
SELECT c.id                                   AS course_id,
       c.moodle_id                            AS moodle_id,
       CAST(extract(epoch FROM c.start_at) AS bigint) AS start_date,
       CAST(extract(epoch FROM c.end_at) AS bigint)   AS end_date
FROM claimed
JOIN courses c ON c.id = claimed.entity_id
ORDER BY c.id
