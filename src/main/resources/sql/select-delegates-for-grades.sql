-- The delegates whose score and completion are read from Moodle (waiting/grades.sql: the view waiting_grades),
-- with their Moodle user and course. Ordered by Moodle course: the route reads each Moodle course's grade report once.
SELECT d.id        AS delegate_id,
       u.moodle_id AS moodle_user_id,
       CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END AS moodle_course_id
FROM waiting_grades w
JOIN delegates d ON d.id = w.id
JOIN users u ON u.id = d.user_id
JOIN courses c ON c.id = d.course_id
JOIN course_templates t ON t.id = c.template_id
ORDER BY moodle_course_id, d.id
