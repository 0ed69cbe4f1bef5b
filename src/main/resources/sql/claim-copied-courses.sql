-- Claims a page of the copies waiting to be given their date (waiting/copied-course.sql: the view
-- waiting_copied_course) for this instance, and returns their Moodle fields and the copy's Moodle id.
WITH waiting AS (
    SELECT c.id
    FROM waiting_copied_course w
    JOIN courses c ON c.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'copied-course' AND l.entity_id = c.id)
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE is never taken again here).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('copied-course', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), false)
)
-- What Moodle gets: the course's Moodle fields (fields/course.sql, the view course_fields), and the copy.
SELECT f.*,
       copying.moodle_id AS moodle_id
FROM claimed
JOIN courses c ON c.id = claimed.entity_id
JOIN course_fields f ON f.course_id = c.id
JOIN sync_state copying ON copying.entity_type = 'course-copy' AND copying.entity_id = c.id
ORDER BY c.id
