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
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE taken again: it waits again).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('enrolment', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), true)
)
SELECT d.id        AS delegate_id,
       d.course_id AS course_id,
       u.moodle_id AS moodle_user_id,
       CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END AS moodle_course_id,
       -- Claimed before (taken over, or released by a pause) or replayed from the dead-letter queue: the
       -- enrolment may have reached Moodle, which is asked first (EnrolmentMapper.lookUps).
       (claimed.attempts > 1 OR EXISTS (SELECT 1 FROM dead_letter r WHERE r.entity_type = 'enrolment'
                                          AND r.entity_id = d.id AND r.state = 'REPLAYED')) AS may_have_reached
FROM claimed
JOIN delegates d ON d.id = claimed.entity_id
JOIN users u ON u.id = d.user_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
ORDER BY d.id
