-- What Moodle was last sent for a user or a course, kept per field for every mapped field (the columns of
-- sql/fields/user.sql and sql/fields/course.sql), as JSON of column to value: a change in accessplanit sends only
-- the fields that changed, whichever fields an engineer maps.
ALTER TABLE user_sent ADD COLUMN fields jsonb;
UPDATE user_sent
SET fields = jsonb_strip_nulls(jsonb_build_object('firstname', firstname, 'lastname', lastname, 'email', email));
ALTER TABLE user_sent DROP COLUMN firstname, DROP COLUMN lastname, DROP COLUMN email;

-- A course's fields but its dates (course_dates notes those). NULL: not known (a course found already in Moodle),
-- so its fields are sent once.
ALTER TABLE course_details_sent ADD COLUMN fields jsonb;
UPDATE course_details_sent
SET fields = jsonb_strip_nulls(jsonb_build_object('fullname', fullname, 'summary', summary,
                                                  'summaryformat', CASE WHEN summary IS NOT NULL THEN 1 END))
WHERE fullname IS NOT NULL OR summary IS NOT NULL;
ALTER TABLE course_details_sent DROP COLUMN fullname, DROP COLUMN summary;
