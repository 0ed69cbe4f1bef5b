-- Claims a page of the courses whose changed Moodle fields wait to be sent (waiting/course-details.sql: the view
-- waiting_course_details) for this instance, and returns what accessplanit holds now and what Moodle was last sent.
WITH waiting AS (
    SELECT c.id
    FROM waiting_course_details w
    JOIN courses c ON c.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'course-details' AND l.entity_id = c.id)
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE taken again: it waits again).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('course-details', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), true)
)
-- The course's Moodle fields now (fields/course.sql, the view course_fields), and what Moodle was last sent.
SELECT f.*,
       c.moodle_id AS moodle_id,
       p.fields    AS sent_fields
FROM claimed
JOIN courses c ON c.id = claimed.entity_id
JOIN course_fields f ON f.course_id = c.id
JOIN course_details_sent p ON p.course_id = c.id
ORDER BY c.id
