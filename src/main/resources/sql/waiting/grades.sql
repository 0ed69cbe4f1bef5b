-- Delegates whose score and completion are read from Moodle at every grade poll (operation "grades"): bookings
-- the integration enrolled in Moodle (enrolment DONE) that are still open (not completed, not cancelled), on a
-- synced course. A delegate whose grades could not be read (dead-lettered, 'grades' FAILED) waits for an operator.
-- The one definition: select-delegates-for-grades.sql and the backlog metric read it as the view waiting_grades.
SELECT d.id
FROM delegates d
JOIN users u ON u.id = d.user_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
JOIN sync_state e ON e.entity_type = 'enrolment' AND e.entity_id = d.id AND e.state = 'DONE'
LEFT JOIN sync_state g ON g.entity_type = 'grades' AND g.entity_id = d.id
WHERE d.status NOT IN ('COMPLETED', 'CANCELLED')
  AND u.moodle_id IS NOT NULL
  AND ((c.course_type IN ('CLASSROOM', 'WEBINAR') AND c.sync_to_moodle AND c.moodle_id IS NOT NULL)
       OR (c.course_type = 'ELEARNING' AND t.moodle_course_id IS NOT NULL))
  AND (g.state IS NULL OR g.state <> 'FAILED')
