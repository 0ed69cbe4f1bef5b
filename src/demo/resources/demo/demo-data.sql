-- Demo data: what a training administrator would have in accessplanit. 36 bookings of 24 people on classroom,
-- webinar and e-learning courses; one person's email has a typing mistake (the dead-letter queue), one course is
-- not ticked "Sync to Moodle", one booking is cancelled.
INSERT INTO course_templates (id, name, aims, moodle_course_id) VALUES
    (1, 'Fire Safety', '<p>Know how to prevent fires and what to do when one starts.</p>', NULL),
    (2, 'First Aid at Work', '<p>Give first aid until help arrives.</p>', NULL),
    (3, 'GDPR Essentials (e-learning)', '<p>Handle personal data lawfully.</p>', NULL),          -- Moodle id set by the demo
    (4, 'Manual Handling', '<p>Lift and carry safely.</p>', NULL),
    (5, 'Customer Service Skills', '<p>Listen, solve and follow up.</p>', NULL),
    (6, 'Cyber Security Awareness (e-learning)', '<p>Spot phishing and keep passwords safe.</p>', NULL); -- Moodle id set by the demo

INSERT INTO courses (id, template_id, label, course_type, start_at, end_at, sync_to_moodle, moodle_id) VALUES
    (101, 1, 'Fire Safety - Leeds, March',        'CLASSROOM', '2027-03-01 09:00 Europe/London', '2027-03-01 17:00 Europe/London', true, NULL),
    (102, 2, 'First Aid at Work - online',        'WEBINAR',   '2027-03-08 10:00 Europe/London', '2027-03-10 16:00 Europe/London', true, NULL),
    (103, 3, 'GDPR Essentials',                   'ELEARNING', NULL, NULL, false, NULL),
    (104, 4, 'Manual Handling - York',            'CLASSROOM', '2027-04-02 09:30 Europe/London', '2027-04-02 12:30 Europe/London', false, NULL),
    (105, 1, 'Fire Safety - Leeds, April',        'CLASSROOM', '2027-04-05 09:00 Europe/London', '2027-04-05 17:00 Europe/London', true, NULL), -- Moodle id typed in by the demo
    (106, 5, 'Customer Service Skills - online',  'WEBINAR',   '2027-03-15 13:00 Europe/London', '2027-03-15 16:00 Europe/London', true, NULL),
    (107, 6, 'Cyber Security Awareness',          'ELEARNING', NULL, NULL, false, NULL),
    (108, 2, 'First Aid at Work - Manchester',    'CLASSROOM', '2027-05-10 09:00 Europe/London', '2027-05-12 17:00 Europe/London', true, NULL);

INSERT INTO users (id, forenames, surname, email) VALUES
    (1, 'Alice', 'Anderson', 'alice.anderson@example.com'),
    (2, 'Bob', 'Brown', 'bob.brown@example.com'),
    (3, 'Carol', 'Clark', 'carol.clark@example.com'),
    (4, 'Dave', 'Davis', 'dave.davis@example.com'),
    (5, 'Erin', 'Evans', 'erin.evans@example'),   -- a typing mistake: shows the dead-letter queue
    (6, 'Frank', 'Fisher', 'frank.fisher@example.com'),
    (7, 'Grace', 'Green', 'grace.green@example.com'),
    (8, 'Harry', 'Hughes', 'harry.hughes@example.com'),
    (9, 'Isla', 'Irving', 'isla.irving@example.com'),
    (10, 'Jack', 'Jones', 'jack.jones@example.com'),
    (11, 'Kate', 'King', 'kate.king@example.com'),
    (12, 'Liam', 'Lewis', 'liam.lewis@example.com'),
    (13, 'Maya', 'Morris', 'maya.morris@example.com'),
    (14, 'Noah', 'Nelson', 'noah.nelson@example.com'),
    (15, 'Olivia', 'O''Brien', 'olivia.obrien@example.com'),
    (16, 'Priya', 'Patel', 'priya.patel@example.com'),
    (17, 'Quentin', 'Quinn', 'quentin.quinn@example.com'),
    (18, 'Rosa', 'Reed', 'rosa.reed@example.com'),
    (19, 'Sam', 'Singh', 'sam.singh@example.com'),
    (20, 'Tara', 'Turner', 'tara.turner@example.com'),
    (21, 'Umar', 'Usman', 'umar.usman@example.com'),
    (22, 'Vera', 'Vaughan', 'vera.vaughan@example.com'),
    (23, 'Will', 'Walker', 'will.walker@example.com'),
    (24, 'Zoe', 'Young', 'zoe.young@example.com');

INSERT INTO delegates (id, user_id, course_id, status) VALUES
    (1, 1, 101, 'BOOKED'),
    (2, 2, 101, 'BOOKED'),
    (3, 2, 102, 'BOOKED'),
    (4, 3, 103, 'BOOKED'),     -- e-learning: enrolled on the template's Moodle course
    (5, 4, 105, 'BOOKED'),     -- onto the course whose Moodle id was typed in
    (6, 5, 102, 'BOOKED'),     -- Erin: her email is refused, so she and this booking wait in the dead-letter queue
    (7, 6, 104, 'BOOKED'),     -- course not ticked "Sync to Moodle": Frank is never sent
    (8, 3, 102, 'CANCELLED'),  -- cancelled: never enrolled
    (9, 7, 101, 'BOOKED'),
    (10, 8, 101, 'BOOKED'),
    (11, 9, 101, 'BOOKED'),
    (12, 10, 102, 'BOOKED'),
    (13, 11, 102, 'BOOKED'),
    (14, 12, 102, 'BOOKED'),
    (15, 13, 103, 'BOOKED'),
    (16, 14, 103, 'BOOKED'),
    (17, 15, 103, 'BOOKED'),
    (18, 16, 106, 'BOOKED'),
    (19, 17, 106, 'BOOKED'),
    (20, 18, 106, 'BOOKED'),
    (21, 19, 107, 'BOOKED'),
    (22, 20, 107, 'BOOKED'),
    (23, 21, 107, 'BOOKED'),
    (24, 22, 108, 'BOOKED'),
    (25, 23, 108, 'BOOKED'),
    (26, 24, 108, 'BOOKED'),
    (27, 1, 107, 'BOOKED'),
    (28, 7, 103, 'BOOKED'),
    (29, 10, 106, 'BOOKED'),
    (30, 13, 108, 'BOOKED'),
    (31, 16, 107, 'BOOKED'),
    (32, 19, 101, 'BOOKED'),
    (33, 22, 103, 'BOOKED'),
    (34, 24, 105, 'BOOKED'),
    (35, 8, 107, 'BOOKED'),
    (36, 11, 106, 'BOOKED');
