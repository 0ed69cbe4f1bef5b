-- Courses waiting to be copied from their template's Moodle course (operation "course-copy"; none while
-- courses.copy-template-course is false): classroom and webinar courses ticked "Sync to Moodle" that have no Moodle
-- id, whose course template has a Moodle course id, and that are not being (or were not) created empty instead.
-- Copied (DONE: the copy's Moodle id is in its claim) and dead-lettered (FAILED) courses are not waiting; claimed
-- ones (IN_PROGRESS) still are, even once the setting is false: such a copy may have reached Moodle, and is found
-- there or made, never left half done nor made a second course beside. Then the copy waits to be given its date (waiting/copied-course.sql).
-- The one definition: claim-course-copies.sql and the backlog metric read it as the view waiting_course_copy.
SELECT c.id
FROM courses c
JOIN course_templates t ON t.id = c.template_id
LEFT JOIN sync_state s ON s.entity_type = 'course-copy' AND s.entity_id = c.id
LEFT JOIN sync_state created ON created.entity_type = 'course' AND created.entity_id = c.id
WHERE c.sync_to_moodle
  AND c.moodle_id IS NULL
  AND c.course_type IN ('CLASSROOM', 'WEBINAR')
  AND t.moodle_course_id IS NOT NULL
  AND (lower(trim('{{courses.copy-template-course}}')) = 'true' OR s.state = 'IN_PROGRESS')
  AND created.entity_id IS NULL
  AND (s.state IS NULL OR s.state = 'IN_PROGRESS')
