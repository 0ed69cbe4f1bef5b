-- Users in Moodle whose forenames, surname or email changed in accessplanit since Moodle was last sent them
-- (user_sent), waiting to be sent with core_user_update_users (operation "user-update"; none while
-- changes.update-users is false). Done (DONE) is no end state: a later change waits again. Dead-lettered ones
-- (FAILED) wait for an operator.
-- The one definition: claim-user-updates.sql and the backlog metric read it as the view waiting_user_update.
SELECT u.id
FROM users u
JOIN user_sent p ON p.user_id = u.id
LEFT JOIN sync_state s ON s.entity_type = 'user-update' AND s.entity_id = u.id
WHERE u.moodle_id IS NOT NULL
  AND '{{changes.update-users}}' = 'true'
  AND (u.forenames, u.surname, u.email) IS DISTINCT FROM (p.firstname, p.lastname, p.email)
  AND (s.state IS NULL OR s.state IN ('DONE', 'IN_PROGRESS'))
