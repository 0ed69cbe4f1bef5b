-- Courses waiting to be created in Moodle (operation "course"): classroom and webinar courses ticked "Sync to
-- Moodle" that have no Moodle id, but those copied from their template's Moodle course instead
-- (waiting/course-copy.sql: while courses.copy-template-course is true, and any whose copy was begun). An
-- e-learning course ticked "Sync to Moodle" whose template has no Moodle course id waits too, so that it reaches
-- the dead-letter queue with a sentence saying what to fix.
-- Done (DONE) and dead-lettered (FAILED) courses are not waiting; claimed ones (IN_PROGRESS) still are.
-- This is the one definition: the claim (claim-new-courses.sql) and the backlog metric both read it, as the view
-- waiting_course in the integration's schema, made again at every start.
SELECT c.id
FROM courses c
JOIN course_templates t ON t.id = c.template_id
LEFT JOIN sync_state s ON s.entity_type = 'course' AND s.entity_id = c.id
LEFT JOIN sync_state copying ON copying.entity_type = 'course-copy' AND copying.entity_id = c.id
WHERE c.sync_to_moodle
  AND c.moodle_id IS NULL
  AND (c.course_type IN ('CLASSROOM', 'WEBINAR')
       OR (c.course_type = 'ELEARNING' AND t.moodle_course_id IS NULL))
  AND (s.state IS NULL OR s.state = 'IN_PROGRESS')
  AND NOT (c.course_type IN ('CLASSROOM', 'WEBINAR') AND t.moodle_course_id IS NOT NULL
           AND lower(trim('{{courses.copy-template-course}}')) = 'true' AND s.state IS NULL)
  -- A copy made or being made is the date's course: never an empty one beside it. A dead-lettered copy whose template
  -- no longer names a Moodle course (or with copies switched off) gets an empty course, as any such date.
  AND (copying.entity_id IS NULL
       OR (copying.state = 'FAILED'
           AND (t.moodle_course_id IS NULL OR lower(trim('{{courses.copy-template-course}}')) <> 'true')))
