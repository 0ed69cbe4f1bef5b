-- Demo data: what a training administrator would have in accessplanit.
INSERT INTO course_templates (id, name, aims, moodle_course_id) VALUES
    (1, 'Fire Safety', '<p>Know how to prevent fires and what to do when one starts.</p>', NULL),
    (2, 'First Aid at Work', '<p>Give first aid until help arrives.</p>', NULL),
    (3, 'GDPR Essentials (e-learning)', '<p>Handle personal data lawfully.</p>', NULL), -- Moodle id set by the demo
    (4, 'Manual Handling', '<p>Lift and carry safely.</p>', NULL);

INSERT INTO courses (id, template_id, label, course_type, start_at, end_at, sync_to_moodle, moodle_id) VALUES
    (101, 1, 'Fire Safety - Leeds, March',   'CLASSROOM', '2027-03-01 09:00 Europe/London', '2027-03-01 17:00 Europe/London', true, NULL),
    (102, 2, 'First Aid at Work - online',   'WEBINAR',   '2027-03-08 10:00 Europe/London', '2027-03-10 16:00 Europe/London', true, NULL),
    (103, 3, 'GDPR Essentials',              'ELEARNING', NULL, NULL, false, NULL),
    (104, 4, 'Manual Handling - York',       'CLASSROOM', '2027-04-02 09:30 Europe/London', '2027-04-02 12:30 Europe/London', false, NULL),
    (105, 1, 'Fire Safety - Leeds, April',   'CLASSROOM', '2027-04-05 09:00 Europe/London', '2027-04-05 17:00 Europe/London', true, NULL); -- Moodle id typed in by the demo

INSERT INTO users (id, forenames, surname, email) VALUES
    (1, 'Alice', 'Anderson', 'alice.anderson@example.com'),
    (2, 'Bob', 'Brown', 'bob.brown@example.com'),
    (3, 'Carol', 'Clark', 'carol.clark@example.com'),
    (4, 'Dave', 'Davis', 'dave.davis@example.com'),
    (5, 'Erin', 'Evans', 'erin.evans@example'),   -- a typing mistake: shows the dead-letter queue
    (6, 'Frank', 'Fisher', 'frank.fisher@example.com');

INSERT INTO delegates (id, user_id, course_id, status) VALUES
    (1, 1, 101, 'BOOKED'),
    (2, 2, 101, 'BOOKED'),
    (3, 2, 102, 'BOOKED'),
    (4, 3, 103, 'BOOKED'),     -- e-learning: enrolled on the template's Moodle course
    (5, 4, 105, 'BOOKED'),     -- onto the course whose Moodle id was typed in
    (6, 5, 102, 'BOOKED'),
    (7, 6, 104, 'BOOKED'),     -- course not ticked "Sync to Moodle": Frank is never sent
    (8, 3, 102, 'CANCELLED');  -- cancelled: never enrolled
