-- Claims the courses to copy from their template's Moodle course (waiting/course-copy.sql: the view
-- waiting_course_copy) for this instance: only as many as copies may be in flight (courses.copy-calls-in-flight),
-- as a copy is slow and its claim should mean "being copied". Returns what the copy needs.
WITH waiting AS (
    SELECT c.id
    FROM waiting_course_copy w
    JOIN courses c ON c.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'course-copy' AND l.entity_id = c.id)
    ORDER BY c.id
    LIMIT CAST(:#${properties:courses.copy-calls-in-flight} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE is never taken again here).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('course-copy', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), false)
)
-- The copy's name (fields/course.sql, the view course_fields) and dates (checked before copying, so a copy is never
-- made that could not be given its date), whether it is visible (a visible column, if fields/course.sql has one),
-- and the template: its accessplanit id and name, and its Moodle course.
SELECT c.id                    AS course_id,
       f.fullname              AS fullname,
       f.startdate             AS startdate,
       f.enddate               AS enddate,
       to_jsonb(f) ->> 'visible' AS visible,
       t.id                    AS template_id,
       t.name                  AS template_name,
       t.moodle_course_id      AS template_moodle_id
FROM claimed
JOIN courses c ON c.id = claimed.entity_id
JOIN course_templates t ON t.id = c.template_id
JOIN course_fields f ON f.course_id = c.id
ORDER BY c.id
