-- Claims a page of the courses whose changed dates wait to be sent (waiting/course-dates.sql: the view
-- waiting_course_dates) for this instance, and returns the Moodle id and the dates to send (Unix seconds).
WITH waiting AS (
    SELECT c.id
    FROM waiting_course_dates w
    JOIN courses c ON c.id = w.id
    -- Not held by a live claim (a claim whose lease ran out, left by a killed instance, is taken over).
    WHERE NOT EXISTS (SELECT 1 FROM sync_state s
                      WHERE s.entity_type = 'course-dates' AND s.entity_id = c.id
                        AND s.state = 'IN_PROGRESS' AND s.lease_until >= now())
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'course-dates', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    -- A dry run claims nothing: it reads the page and writes no claim.
    WHERE NOT CAST(:#${properties:sync.dry-run} AS boolean)
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
FROM (SELECT entity_id FROM claimed
      UNION ALL
      SELECT id FROM waiting WHERE CAST(:#${properties:sync.dry-run} AS boolean)) claimed
JOIN courses c ON c.id = claimed.entity_id
ORDER BY c.id
