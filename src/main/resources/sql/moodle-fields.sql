-- The Moodle fields of a row of user_fields or course_fields, as JSON: every column that is not the pipeline's
-- (names ending in _id, and sent_fields) and not null. What the sync notes as sent (user_sent.fields,
-- course_details_sent.fields) is the same, so a change is a difference between the two. Made at every start.
CREATE OR REPLACE FUNCTION moodle_fields(fields jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
    FROM jsonb_each(fields)
    WHERE key NOT LIKE '%\_id' AND key <> 'sent_fields' AND value <> 'null'::jsonb
$$
