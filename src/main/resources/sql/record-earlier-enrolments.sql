-- Run at every start: bookings the integration enrolled before it kept a record of its enrolments (enrolment DONE
-- and no row at all in moodle_enrolment) are recorded on the Moodle user and course their booking points at now,
-- the best the data at hand says (a move made before the upgrade cannot be seen). Bookings with a row are left
-- alone, so running it again changes nothing.
INSERT INTO moodle_enrolment (delegate_id, course_id, moodle_user_id, moodle_course_id, state)
SELECT d.id, d.course_id, u.moodle_id,
       CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END,
       'ACTIVE'
FROM sync_state s
JOIN delegates d ON d.id = s.entity_id
JOIN users u ON u.id = d.user_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
WHERE s.entity_type = 'enrolment' AND s.state = 'DONE'
  AND u.moodle_id IS NOT NULL
  AND CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM moodle_enrolment e WHERE e.delegate_id = d.id)
ON CONFLICT (delegate_id, moodle_course_id) DO NOTHING
