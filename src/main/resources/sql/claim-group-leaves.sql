-- Claims a page of the enrolments whose learner waits to be taken out of an old date's group
-- (waiting/group-leave.sql: the view waiting_group_leave) for this instance.
WITH waiting AS (
    SELECT m.enrolment_id AS id
    FROM waiting_group_leave w
    JOIN group_member m ON m.enrolment_id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'group-leave' AND l.entity_id = m.enrolment_id)
    ORDER BY m.enrolment_id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF m SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE taken again: it waits again).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('group-leave', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), true)
)
SELECT e.id             AS enrolment_id,
       e.moodle_user_id AS moodle_user_id,
       m.left_group_id  AS left_group_id
FROM claimed
JOIN moodle_enrolment e ON e.id = claimed.entity_id
JOIN group_member m ON m.enrolment_id = e.id
ORDER BY e.id
