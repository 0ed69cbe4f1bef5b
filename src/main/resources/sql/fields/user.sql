-- What Moodle gets for each accessplanit user: one row per user, its first column user_id, and then one column per
-- Moodle user field, named after the parameter of core_user_create_users and core_user_update_users (firstname,
-- lastname, email, department, institution, city, country, phone1, ...). A custom profile field is a column named
-- profile_field_<its short name in Moodle>. A null value is not sent. Moodle's own rule for each column is checked
-- before sending, and a column Moodle has no parameter for stops start-up (see the README, "Field mapping").
-- The integration sets username, auth, createpassword and idnumber itself.
-- Made a view, user_fields, at every start: new users (claim-new-users.sql) and changed users
-- (waiting/user-update.sql, claim-user-updates.sql) read it, so a column added here is sent both ways.
SELECT u.id        AS user_id,
       u.forenames AS firstname,
       u.surname   AS lastname,
       u.email     AS email
FROM users u
