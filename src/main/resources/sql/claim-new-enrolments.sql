-- Claims a page of the bookings waiting to be enrolled (waiting/enrolment.sql: the view waiting_enrolment) for
-- this instance, and returns the Moodle user and course to enrol. Classroom and webinar bookings enrol on the
-- course's Moodle id; e-learning bookings on the Moodle course id of the course template.
WITH waiting AS (
    SELECT d.id
    FROM waiting_enrolment w
    JOIN delegates d ON d.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'enrolment' AND l.entity_id = d.id)
    ORDER BY d.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF d SKIP LOCKED
), heartbeat AS (
    -- This instance is alive (also noted on a timer while its calls run); not in a dry run, which writes nothing.
    INSERT INTO sync_instance (instance_id, heartbeat_at)
    SELECT :#${properties:sync.instance-id}, now() WHERE NOT CAST(:#${properties:sync.dry-run} AS boolean)
    ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()
), claimed AS (
    INSERT INTO sync_state (entity_type, entity_id, state, claimed_by, lease_until, attempts)
    SELECT 'enrolment', id, 'IN_PROGRESS', :#${properties:sync.instance-id},
           now() + CAST(:#${properties:sync.claim-lease} AS interval), 1
    FROM waiting
    -- A dry run claims nothing: it reads the page and writes no claim.
    WHERE NOT CAST(:#${properties:sync.dry-run} AS boolean)
    ON CONFLICT (entity_type, entity_id) DO UPDATE
        SET state = 'IN_PROGRESS', claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until,
            attempts = sync_state.attempts + 1, updated_at = now()
        -- DONE: enrolled before on another Moodle course (waiting/enrolment.sql says when it waits again).
        WHERE sync_state.state = 'DONE'
              OR (sync_state.state = 'IN_PROGRESS' AND NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = sync_state.entity_type AND l.entity_id = sync_state.entity_id))
    RETURNING entity_id, attempts
)
SELECT d.id        AS delegate_id,
       d.course_id AS course_id,
       u.moodle_id AS moodle_user_id,
       CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END AS moodle_course_id,
       -- Claimed before (taken over, or released by a pause) or replayed from the dead-letter queue: the
       -- enrolment may have reached Moodle, which is asked first (EnrolmentMapper.lookUps).
       (claimed.attempts > 1 OR EXISTS (SELECT 1 FROM dead_letter r WHERE r.entity_type = 'enrolment'
                                          AND r.entity_id = d.id AND r.state = 'REPLAYED')) AS may_have_reached
FROM (SELECT entity_id, attempts FROM claimed
      UNION ALL
      SELECT id, 1 FROM waiting WHERE CAST(:#${properties:sync.dry-run} AS boolean)) claimed
JOIN delegates d ON d.id = claimed.entity_id
JOIN users u ON u.id = d.user_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
ORDER BY d.id
