-- Claims a page of the courses waiting for their Moodle group (waiting/group.sql: the view waiting_group) for this
-- instance, and returns the Moodle course, the label and the dates (as days in the database's time zone).
WITH waiting AS (
    SELECT c.id
    FROM waiting_group w
    JOIN courses c ON c.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'group' AND l.entity_id = c.id)
    ORDER BY c.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF c SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE taken again: it waits again).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('group', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), true)
)
SELECT c.id                               AS course_id,
       CASE WHEN c.course_type = 'ELEARNING' THEN t.moodle_course_id ELSE c.moodle_id END AS moodle_course_id,
       c.label                            AS label,
       to_char(c.start_at, 'YYYY-MM-DD')  AS start_day,
       to_char(c.end_at, 'YYYY-MM-DD')    AS end_day
FROM claimed
JOIN courses c ON c.id = claimed.entity_id
JOIN course_templates t ON t.id = c.template_id
ORDER BY c.id
