-- Courses the integration created (course_details_sent) whose Moodle fields but the dates (fields/course.sql: the
-- view course_fields) changed in accessplanit since Moodle was last sent them, waiting to be sent with
-- core_course_update_courses (operation "course-details"; none while changes.update-courses is false). The dates
-- are the operation course-dates'. A course whose Moodle id was typed in is never sent. Done (DONE) is no end
-- state; dead-lettered ones (FAILED) wait for an operator.
-- The one definition: claim-course-details.sql and the backlog metric read it as the view waiting_course_details.
SELECT c.id
FROM courses c
JOIN course_fields f ON f.course_id = c.id
JOIN course_details_sent p ON p.course_id = c.id
LEFT JOIN sync_state s ON s.entity_type = 'course-details' AND s.entity_id = c.id
WHERE c.moodle_id IS NOT NULL
  AND c.sync_to_moodle
  AND c.course_type IN ('CLASSROOM', 'WEBINAR')
  AND '{{changes.update-courses}}' = 'true'
  AND moodle_fields(to_jsonb(f)) - 'startdate' - 'enddate' IS DISTINCT FROM p.fields
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
