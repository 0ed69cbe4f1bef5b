-- Users in Moodle whose Moodle fields (fields/user.sql: the view user_fields) changed in accessplanit since Moodle
-- was last sent them (user_sent), waiting to be sent with core_user_update_users (operation "user-update"; none
-- while changes.update-users is false). Done (DONE) is no end state: a later change waits again. Dead-lettered
-- ones (FAILED) wait for an operator.
-- The one definition: claim-user-updates.sql and the backlog metric read it as the view waiting_user_update.
SELECT u.id
FROM users u
JOIN user_fields f ON f.user_id = u.id
JOIN user_sent p ON p.user_id = u.id
LEFT JOIN sync_state s ON s.entity_type = 'user-update' AND s.entity_id = u.id
WHERE u.moodle_id IS NOT NULL
  AND '{{changes.update-users}}' = 'true'
  AND moodle_fields(to_jsonb(f)) IS DISTINCT FROM p.fields
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
