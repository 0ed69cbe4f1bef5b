-- Courses whose dates wait to be sent to Moodle (operation "course-dates"): synced classroom and webinar courses
-- whose start or end differs from the dates Moodle was last sent (course_dates). Sent dates that change again wait
-- again (DONE is no end state here); a course whose push was dead-lettered (FAILED) waits for an operator.
-- The one definition: claim-changed-course-dates.sql and the backlog metric read it as the view waiting_course_dates.
SELECT c.id
FROM courses c
JOIN course_dates p ON p.course_id = c.id
LEFT JOIN sync_state s ON s.entity_type = 'course-dates' AND s.entity_id = c.id
WHERE c.sync_to_moodle
  AND c.moodle_id IS NOT NULL
  AND c.course_type IN ('CLASSROOM', 'WEBINAR')
  AND (CAST(extract(epoch FROM c.start_at) AS bigint), CAST(extract(epoch FROM c.end_at) AS bigint))
      IS DISTINCT FROM (p.pushed_startdate, p.pushed_enddate)
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
