-- One page of the delegates whose score and completion are read from Moodle (waiting/grades.sql: the view
-- waiting_grades), with their Moodle user and course, in keyset order (Moodle course, delegate) after the last
-- page's last delegate (exchange property gradePage), so memory stays flat however many are open.
-- Delegates of a course that ended more than grades.poll-days-after-end days ago are not read any more.
-- course_has_completion: what Moodle said about the course's completion criteria, if it said so within
-- grades.completion-recheck (table course_completion); NULL: to be asked.
SELECT d.id        AS delegate_id,
       u.moodle_id AS moodle_user_id,
       m.moodle_course_id,
       CASE WHEN cc.checked_at > now() - CAST(:#${properties:grades.completion-recheck} AS interval)
            THEN cc.has_completion END AS course_has_completion
FROM waiting_grades w
JOIN delegates d ON d.id = w.id
JOIN users u ON u.id = d.user_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
CROSS JOIN LATERAL (SELECT CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END
                           AS moodle_course_id) m
LEFT JOIN course_completion cc ON cc.moodle_course_id = m.moodle_course_id
WHERE (c.end_at IS NULL
       OR c.end_at >= now() - make_interval(days => CAST(:#${properties:grades.poll-days-after-end} AS integer)))
  AND (m.moodle_course_id, d.id) > (CAST(:#${exchangeProperty.gradePage.afterCourse} AS bigint),
                                    CAST(:#${exchangeProperty.gradePage.afterDelegate} AS bigint))
ORDER BY m.moodle_course_id, d.id
LIMIT CAST(:#${properties:grades.page-size} AS integer)
