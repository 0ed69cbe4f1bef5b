-- Bookings (delegates, not cancelled) whose user and course both have Moodle ids and that are not enrolled
-- yet: claims a page of them for this instance and returns the Moodle user and course to enrol.
-- Classroom and webinar bookings enrol on the course's Moodle id; e-learning bookings on the Moodle course id
-- of the course template.
WITH waiting AS (
    SELECT d.id
    FROM delegates d
    JOIN users u ON u.id = d.user_id
    JOIN courses c ON c.id = d.course_id
    JOIN course_templates t ON t.id = c.template_id
    LEFT JOIN sync_state s ON s.entity_type = 'enrolment' AND s.entity_id = d.id
    WHERE d.status <> 'CANCELLED'
      AND u.moodle_id IS NOT NULL
      AND ((c.course_type IN ('CLASSROOM', 'WEBINAR') AND c.sync_to_moodle AND c.moodle_id IS NOT NULL)
           OR (c.course_type = 'ELEARNING' AND t.moodle_course_id IS NOT NULL))
      AND (s.state IS NULL OR (s.state = 'IN_PROGRESS' AND s.lease_until < now()))
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
        WHERE sync_state.state = 'IN_PROGRESS' AND sync_state.lease_until < now()
    RETURNING entity_id
)
SELECT d.id        AS delegate_id,
       u.moodle_id AS moodle_user_id,
       CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END AS moodle_course_id
FROM claimed
JOIN delegates d ON d.id = claimed.entity_id
JOIN users u ON u.id = d.user_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
ORDER BY d.id
