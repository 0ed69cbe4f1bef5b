-- The next page of Moodle courses the integration relies on: those it enrols on (an active or suspended enrolment
-- in its record) and those it created (or adopted by ID number). A course it never touched is never read.
-- created_course_id: the accessplanit course the integration created it for (its ID number is known then);
-- course_name: how people know it.
WITH ours AS (
    SELECT e.moodle_course_id
    FROM moodle_enrolment e
    WHERE e.state IN ('ACTIVE', 'SUSPENDED') AND e.moodle_course_id > :#${exchangeProperty.reconcile.lastMoodleCourseId}
    UNION
    SELECT c.moodle_id
    FROM courses c
    JOIN sync_state s ON s.entity_type = 'course' AND s.entity_id = c.id AND s.state = 'DONE'
    WHERE c.moodle_id > :#${exchangeProperty.reconcile.lastMoodleCourseId}
), page AS (
    SELECT moodle_course_id FROM ours ORDER BY moodle_course_id
    LIMIT CAST(:#${properties:drift.page-size} AS integer)
)
SELECT p.moodle_course_id,
       (SELECT min(c.id) FROM courses c
        JOIN sync_state s ON s.entity_type = 'course' AND s.entity_id = c.id AND s.state = 'DONE'
        WHERE c.moodle_id = p.moodle_course_id) AS created_course_id,
       coalesce((SELECT min(c.label) FROM courses c
                 WHERE c.moodle_id = p.moodle_course_id AND c.course_type <> 'ELEARNING'),
                (SELECT min(t.name) FROM course_templates t WHERE t.moodle_course_id = p.moodle_course_id))
           AS course_name
FROM page p
ORDER BY p.moodle_course_id
