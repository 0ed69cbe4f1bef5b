-- Bookings waiting to be enrolled in Moodle (operation "enrolment"): delegates, not cancelled, whose user and
-- course both have Moodle ids (a classroom or webinar course's own, or an e-learning template's).
-- Done (DONE) and dead-lettered (FAILED) bookings are not waiting; claimed ones (IN_PROGRESS) still are. A booking
-- enrolled before (DONE) waits again when its record (moodle_enrolment) shows no active or suspended enrolment on
-- the Moodle course it points at now: it moved to another course, or it was unenrolled when cancelled and is
-- booked again. Found from the record only: a DONE booking without any record is never enrolled again.
-- The one definition: claim-new-enrolments.sql and the backlog metric read it as the view waiting_enrolment.
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
  AND (s.state IS NULL OR s.state = 'IN_PROGRESS'
       OR (s.state = 'DONE'
           AND EXISTS (SELECT 1 FROM moodle_enrolment r WHERE r.delegate_id = d.id)
           AND NOT EXISTS (
               SELECT 1 FROM moodle_enrolment e
               WHERE e.delegate_id = d.id AND e.state IN ('ACTIVE', 'SUSPENDED')
                 AND e.moodle_course_id = CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id
                                               ELSE c.moodle_id END)))
