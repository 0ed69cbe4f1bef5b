-- Claims a page of the enrolments waiting to be put in their date's group (waiting/group-member.sql: the view
-- waiting_group_member) for this instance, and returns the Moodle user, the group, and the group it leaves.
WITH waiting AS (
    SELECT e.id
    FROM waiting_group_member w
    JOIN moodle_enrolment e ON e.id = w.id
    -- Not held by a live claim (the view live_claim: its instance's heartbeat is fresh, see WaitingViews).
    WHERE NOT EXISTS (SELECT 1 FROM live_claim l WHERE l.entity_type = 'group-member' AND l.entity_id = e.id)
    ORDER BY e.id
    LIMIT CAST(:#${properties:sync.page-size} AS integer)
    FOR UPDATE OF e SKIP LOCKED
), claimed AS (
    -- Claimed for this instance by the one rule, claim-records.sql (DONE taken again: it waits again).
    SELECT claimed_id AS entity_id, claims AS attempts
    FROM claim_records('group-member', ARRAY(SELECT id FROM waiting), :#${bean:claims?method=instance},
                       CAST(:#${properties:sync.claim-lease} AS interval), true)
)
SELECT e.id              AS enrolment_id,
       e.moodle_user_id  AS moodle_user_id,
       g.moodle_group_id AS moodle_group_id,
       m.moodle_group_id AS old_group_id
FROM claimed
JOIN moodle_enrolment e ON e.id = claimed.entity_id
JOIN delegates d ON d.id = e.delegate_id
JOIN course_group g ON g.course_id = d.course_id AND g.moodle_course_id = e.moodle_course_id
LEFT JOIN group_member m ON m.enrolment_id = e.id
ORDER BY e.id
