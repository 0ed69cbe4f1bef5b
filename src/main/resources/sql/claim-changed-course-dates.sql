-- Claims a page of the courses whose changed dates wait to be sent (waiting/course-dates.sql: the view
-- waiting_course_dates) for this instance, and returns the Moodle id and the dates to send (Unix seconds).
WITH waiting AS (
    SELECT c.id
    FROM waiting_course_dates w
    JOIN courses c ON c.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'course-dates' AND l.entity_id = c.id)
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE taken again: it waits again).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('course-dates', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), true)
)
SELECT c.id                                   AS course_id,
       c.moodle_id                            AS moodle_id,
       CAST(extract(epoch FROM c.start_at) AS bigint) AS start_date,
       CAST(extract(epoch FROM c.end_at) AS bigint)   AS end_date
FROM claimed
JOIN courses c ON c.id = claimed.entity_id
ORDER BY c.id
