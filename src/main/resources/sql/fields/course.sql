-- What Moodle gets for each accessplanit course date: one row per course, its first column course_id, and then one
-- column per Moodle course field, named after the parameter of core_course_create_courses and
-- core_course_update_courses (fullname, summary, summaryformat, startdate, enddate, visible, format, lang, ...).
-- A course custom field is a column named customfield_<its short name in Moodle>. A null value is not sent.
-- Moodle's own rule for each column is checked before sending, and a column Moodle has no parameter for stops
-- start-up (see the README, "Field mapping"). The integration sets shortname, idnumber and categoryid itself.
-- Made a view, course_fields, at every start: new courses (claim-new-courses.sql) and changed courses
-- (waiting/course-details.sql, claim-course-details.sql: every field but the dates, which course-dates sends)
-- read it.
SELECT c.id    AS course_id,
       c.label AS fullname,
       t.aims  AS summary,
       -- accessplanit's aims are rich text: HTML.
       CASE WHEN t.aims IS NOT NULL THEN 1 END        AS summaryformat,
       CAST(extract(epoch FROM c.start_at) AS bigint) AS startdate,
       CAST(extract(epoch FROM c.end_at) AS bigint)   AS enddate
FROM courses c
JOIN course_templates t ON t.id = c.template_id
