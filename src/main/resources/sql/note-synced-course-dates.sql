-- Notes the dates Moodle holds for synced classroom and webinar courses (with a Moodle id) not noted yet, so
-- later changes can be told apart:
-- - a course the integration created is noted when its Moodle id is written back (save-course-moodle-id.sql);
--   one created before that (its 'course' claim is DONE, not noted) has unknown dates, noted so, and sent once;
-- - a course whose Moodle id was typed in: Moodle's course was set up there, so its current dates are taken as
--   Moodle's; only later changes in accessplanit are sent.
INSERT INTO course_dates (course_id, pushed_startdate, pushed_enddate)
SELECT c.id,
       CASE WHEN s.state = 'DONE' THEN NULL ELSE CAST(extract(epoch FROM c.start_at) AS bigint) END,
       CASE WHEN s.state = 'DONE' THEN NULL ELSE CAST(extract(epoch FROM c.end_at) AS bigint) END
FROM courses c
LEFT JOIN sync_state s ON s.entity_type = 'course' AND s.entity_id = c.id
LEFT JOIN course_dates n ON n.course_id = c.id
WHERE c.sync_to_moodle
  AND c.moodle_id IS NOT NULL
  AND c.course_type IN ('CLASSROOM', 'WEBINAR')
  AND n.course_id IS NULL
ON CONFLICT (course_id) DO NOTHING
