-- Claims a page of the bookings waiting to be enrolled (waiting/enrolment.sql: the view waiting_enrolment) for
-- this instance, and returns the Moodle user and course to enrol. Classroom and webinar bookings enrol on the
-- course's Moodle id; e-learning bookings on the Moodle course id of the course template.
WITH waiting AS (
    SELECT d.id
    FROM waiting_enrolment w
    JOIN delegates d ON d.id = w.id
    -- Not held by a live claim (a claim whose lease ran out, left by a killed instance, is taken over).
    WHERE NOT EXISTS (SELECT 1 FROM sync_state s
                      WHERE s.entity_type = 'enrolment' AND s.entity_id = d.id
                        AND s.state = 'IN_PROGRESS' AND s.lease_until >= now())
    ORDER BY d.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF d SKIP LOCKED
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'enrolment', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        -- DONE: enrolled before on another Moodle course (waiting/enrolment.sql says when it waits again).
        WHERE sync_state.state = 'DONE' OR (sync_state.state = 'IN_PROGRESS' AND sync_state.lease_until < now())
    RETURNING entity_id
)
SELECT d.id        AS delegate_id,
       d.course_id AS course_id,
       u.moodle_id AS moodle_user_id,
       CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END AS moodle_course_id
FROM claimed
JOIN delegates d ON d.id = claimed.entity_id
JOIN users u ON u.id = d.user_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
ORDER BY d.id
