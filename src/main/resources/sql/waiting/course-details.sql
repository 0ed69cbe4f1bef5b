-- Courses the integration created (course_details_sent) whose label or template aims changed in accessplanit
-- since Moodle was last sent them, waiting to be sent with core_course_update_courses (operation
-- "course-details"; none while changes.update-courses is false). A course whose Moodle id was typed in is never
-- sent. Done (DONE) is no end state; dead-lettered ones (FAILED) wait for an operator.
-- The one definition: claim-course-details.sql and the backlog metric read it as the view waiting_course_details.
SELECT c.id
FROM courses c
JOIN course_templates t ON t.id = c.template_id
JOIN course_details_sent p ON p.course_id = c.id
LEFT JOIN sync_state s ON s.entity_type = 'course-details' AND s.entity_id = c.id
WHERE c.moodle_id IS NOT NULL
  AND c.sync_to_moodle
  AND c.course_type IN ('CLASSROOM', 'WEBINAR')
  AND '{{changes.update-courses}}' = 'true'
  AND (c.label, t.aims) IS DISTINCT FROM (p.fullname, p.summary)
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
