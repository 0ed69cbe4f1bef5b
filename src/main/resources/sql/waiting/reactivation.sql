-- Enrolments the integration suspended whose booking is active again on the same Moodle course (operation
-- "reactivation"). Done (DONE) is no end state: an enrolment suspended again since waits again. Dead-lettered
-- ones (FAILED) wait for an operator.
-- The one definition: claim-reactivations.sql and the backlog metric read it as the view waiting_reactivation.
SELECT e.id
FROM moodle_enrolment e
JOIN delegates d ON d.id = e.delegate_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
LEFT JOIN sync_state s ON s.entity_type = 'reactivation' AND s.entity_id = e.id
WHERE e.state = 'SUSPENDED'
  AND d.status <> 'CANCELLED'
  AND e.moodle_course_id = CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
