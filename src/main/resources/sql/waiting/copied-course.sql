-- Copies waiting to be given their date (operation "copied-course"): courses whose template's Moodle course was
-- copied (their course-copy claim DONE, holding the copy's Moodle id) and whose Moodle id is not written back yet.
-- Whatever courses.copy-template-course says now: a copy made is finished. Done (DONE) and dead-lettered (FAILED)
-- ones are not waiting; claimed ones (IN_PROGRESS) still are. A date whose Moodle id was typed in meanwhile is not.
-- The one definition: claim-copied-courses.sql and the backlog metric read it as the view waiting_copied_course.
SELECT c.id
FROM courses c
JOIN sync_state copying ON copying.entity_type = 'course-copy' AND copying.entity_id = c.id AND copying.state = 'DONE'
LEFT JOIN sync_state s ON s.entity_type = 'copied-course' AND s.entity_id = c.id
WHERE c.sync_to_moodle
  AND c.moodle_id IS NULL
  AND copying.moodle_id IS NOT NULL
  AND (s.state IS NULL OR s.state = 'IN_PROGRESS')
