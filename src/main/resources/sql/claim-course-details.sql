-- Claims a page of the courses whose changed label or aims wait to be sent (waiting/course-details.sql: the view
-- waiting_course_details) for this instance, and returns what accessplanit holds now and what Moodle was last sent.
WITH waiting AS (
    SELECT c.id
    FROM waiting_course_details w
    JOIN courses c ON c.id = w.id
    -- Not held by a live claim (a claim whose lease ran out, left by a killed instance, is taken over).
    WHERE NOT EXISTS (SELECT 1 FROM sync_state s
                      WHERE s.entity_type = 'course-details' AND s.entity_id = c.id
                        AND s.state = 'IN_PROGRESS' AND s.lease_until >= now())
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'course-details', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        WHERE sync_state.state = 'DONE' OR (sync_state.state = 'IN_PROGRESS' AND sync_state.lease_until < now())
    RETURNING entity_id
)
SELECT c.id        AS course_id,
       c.moodle_id AS moodle_id,
       c.label     AS label,
       t.aims      AS aims,
       p.fullname  AS sent_fullname,
       p.summary   AS sent_summary
FROM claimed
JOIN courses c ON c.id = claimed.entity_id
JOIN course_templates t ON t.id = c.template_id
JOIN course_details_sent p ON p.course_id = c.id
ORDER BY c.id
