package org.apitmoodle.emulator;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The state of the emulated Moodle site. One lock guards it, so each web-service call is one transaction; the calls
 * Moodle runs in a delegated transaction (create users, create courses, enrol) are rolled back whole when they fail,
 * while id sequences, like PostgreSQL's, keep the values the rolled-back rows took.
 *
 * <p>A fresh site looks like the recording site: the site course 1 "rig", categories 1 "Category 1" and
 * 2 "Accessplanit courses", roles 1 manager (not assignable by the service user) and 5 student, users 1 guest,
 * 2 admin and 3 apit (the service user).
 */
public final class MoodleSite {

    static final long SITEID = 1;
    static final long SERVICE_USER_ID = 3;
    /** The grade the emulated completion criterion asks for. */
    static final double REQUIRED_COURSE_GRADE = 50.0;

    /** A course category; all are top-level and visible. */
    record Category(long id, String name, String description, long sortorder) {
    }

    /** A role; {@code assignable} says whether the service user may assign it (get_assignable_roles). */
    record Role(long id, String shortname, boolean assignable) {
    }

    /**
     * A grade item. Every course has its course total; a course may also have one manual item, graded like the
     * recording site's "Final assessment", whose grade is the course total (it carries all the weight).
     */
    record GradeItem(long id, String itemtype, String itemname, String idnumber, long gradeCategoryId) {
    }

    record Grade(double value, long timegraded) {
    }

    /** Completion state written by the completion cron: the criterion's time, then the course's. */
    record CourseCompletion(boolean completed, Long criterionTimeCompleted) {
    }

    private record Key(long courseId, long userId) {
    }

    /** Everything a rolled-back transaction restores. */
    private static final class Tables {
        final Map<Long, User> users = new LinkedHashMap<>();
        final Map<Long, Course> courses = new LinkedHashMap<>();
        final Map<Key, Enrolment> enrolments = new LinkedHashMap<>();
        final Map<Long, GradeItem> courseTotals = new LinkedHashMap<>();
        final Map<Long, GradeItem> manualItems = new LinkedHashMap<>();
        final Map<Key, Grade> grades = new LinkedHashMap<>();
        final Map<Key, CourseCompletion> completions = new LinkedHashMap<>();
        final Set<Long> coursesWithoutCriteria = new HashSet<>();

        Tables copy() {
            Tables copy = new Tables();
            copy.users.putAll(users);
            copy.courses.putAll(courses);
            copy.enrolments.putAll(enrolments);
            copy.courseTotals.putAll(courseTotals);
            copy.manualItems.putAll(manualItems);
            copy.grades.putAll(grades);
            copy.completions.putAll(completions);
            copy.coursesWithoutCriteria.addAll(coursesWithoutCriteria);
            return copy;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Category> categories = new LinkedHashMap<>();
    private final Map<Long, Role> roles = new LinkedHashMap<>();
    private Tables tables = new Tables();
    private long nextUserId = 1;
    private long nextCourseId = 1;
    private long nextGradeItemId = 1;
    private long nextGradeCategoryId = 1;
    private boolean viewUserIdentity = true;
    /** Whether the service offers only the first recording rig's functions (transcripts 001-144). */
    private volatile boolean firstRigService;

    MoodleSite() {
        categories.put(1L, new Category(1, "Category 1", "", 10000));
        categories.put(2L, new Category(2, "Accessplanit courses", "Courses created by the Accessplanit integration",
                20000));
        roles.put(1L, new Role(1, "manager", false));
        roles.put(5L, new Role(5, "student", true));
        long now = now();
        tables.courses.put(SITEID, new Course(nextCourseId++, "rig", "Rig", "", 0, "", 1, "site", true, null, null,
                false, now, now));
        insertSeedUser("guest", "Guest user", " ", "root@localhost");
        insertSeedUser("admin", "Admin", "User", "admin@example.org");
        insertSeedUser("apit", "Accessplanit", "Integration", "apit@example.org");
    }

    // ---- Reading, for assertions -------------------------------------------------------------------------------

    /** Every user, in id order, the guest and admin accounts included. */
    public List<User> users() {
        return locked(() -> List.copyOf(tables.users.values()));
    }

    public Optional<User> userById(long id) {
        return locked(() -> Optional.ofNullable(tables.users.get(id)));
    }

    public Optional<User> userByUsername(String username) {
        return locked(() -> tables.users.values().stream().filter(u -> u.username().equals(username)).findFirst());
    }

    /** Every course, in id order, the site course (id 1) included. */
    public List<Course> courses() {
        return locked(() -> List.copyOf(tables.courses.values()));
    }

    public Optional<Course> courseById(long id) {
        return locked(() -> Optional.ofNullable(tables.courses.get(id)));
    }

    public Optional<Course> courseByShortname(String shortname) {
        return locked(() -> tables.courses.values().stream().filter(c -> c.shortname().equals(shortname))
                .findFirst());
    }

    public Optional<Course> courseByIdnumber(String idnumber) {
        return locked(() -> tables.courses.values().stream()
                .filter(c -> !idnumber.isEmpty() && c.idnumber().equals(idnumber)).findFirst());
    }

    public List<Enrolment> enrolments() {
        return locked(() -> List.copyOf(tables.enrolments.values()));
    }

    /** Whether the user has an enrolment in the course, active or suspended. */
    public boolean isEnrolled(long userId, long courseId) {
        return enrolment(userId, courseId).isPresent();
    }

    /** The course total a user has in a course, if graded. */
    public Optional<Double> grade(long courseId, long userId) {
        return locked(() -> Optional.ofNullable(tables.grades.get(new Key(courseId, userId))).map(Grade::value));
    }

    // ---- Changes made outside the web service, for seeding -----------------------------------------------------

    /** Creates a manual-auth user directly, as an administrator would. */
    public User addUser(String username, String firstname, String lastname, String email) {
        return locked(() -> {
            if (findUserByUsername(username).isPresent()) {
                throw new IllegalArgumentException("Username already exists: " + username);
            }
            return insertUser(new User(0, username, firstname, lastname, email, "", "manual", "", ""));
        });
    }

    /**
     * Creates a topics-format course directly, visible, with completion on (the site default) and so, in the
     * emulator, the course-grade criterion.
     */
    public Course addCourse(String shortname, String fullname, String idnumber, long categoryId) {
        return locked(() -> {
            if (findCategory(categoryId).isEmpty()) {
                throw new IllegalArgumentException("No category " + categoryId);
            }
            if (shortnameTaken(shortname, 0) || idnumberTaken(idnumber, 0)) {
                throw new IllegalArgumentException("Short name or ID number already used: " + shortname);
            }
            long now = now();
            return insertCourse(new Course(0, shortname, fullname, idnumber, categoryId, "", 1, "topics", true,
                    null, null, true, now, now));
        });
    }

    /**
     * Adds a manual grade item ("Final assessment" on the recording site) to the course. Its grade is the course
     * total set by {@link #setGrade}, as when it is the only graded item.
     */
    public void addManualGradeItem(long courseId, String itemname, String idnumber) {
        locked(() -> {
            requireCourse(courseId);
            GradeItem total = courseTotal(courseId);
            tables.manualItems.put(courseId, new GradeItem(nextGradeItemId++, "manual", itemname, idnumber,
                    total.gradeCategoryId()));
            return null;
        });
    }

    /** Sets (or, with null, clears) a user's course total, as a teacher grading in the gradebook would. */
    public void setGrade(long courseId, long userId, Double grade) {
        locked(() -> {
            requireCourse(courseId);
            requireUser(userId);
            if (grade == null) {
                tables.grades.remove(new Key(courseId, userId));
            } else {
                tables.grades.put(new Key(courseId, userId), new Grade(grade, now()));
            }
            return null;
        });
    }

    /**
     * Records what Moodle's completion cron works out, which lags the grade: its first run marks the criterion
     * (at {@code timeCompleted}), a later run the course ({@code completed}). {@code timeCompleted} null leaves
     * the criterion unmarked; a completed course with no time is marked now.
     */
    public void setCompletion(long courseId, long userId, boolean completed, Long timeCompleted) {
        locked(() -> {
            requireCourse(courseId);
            requireUser(userId);
            Long criterionTime = completed && timeCompleted == null ? Long.valueOf(now()) : timeCompleted;
            tables.completions.put(new Key(courseId, userId), new CourseCompletion(completed, criterionTime));
            return null;
        });
    }

    /** Sets up completion as a teacher would: off, on without criteria, or on with the course-grade criterion. */
    public void setCourseCompletionMode(long courseId, CompletionMode mode) {
        locked(() -> {
            Course course = requireCourse(courseId);
            putCourse(withCompletion(course, mode != CompletionMode.DISABLED));
            if (mode == CompletionMode.NO_CRITERIA) {
                tables.coursesWithoutCriteria.add(courseId);
            } else {
                tables.coursesWithoutCriteria.remove(courseId);
            }
            return null;
        });
    }

    /** Whether the service user's role holds moodle/site:viewuseridentity (it does on a fresh site). */
    public void setViewUserIdentity(boolean holds) {
        locked(() -> viewUserIdentity = holds);
    }

    // ---- For the web-service functions, called under the lock -----------------------------------------------

    <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** A delegated transaction: if the work throws, every table is as it was before. */
    <T> T transaction(Supplier<T> work) {
        lock.lock();
        try {
            Tables before = tables.copy();
            try {
                return work.get();
            } catch (RuntimeException e) {
                tables = before;
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Test set-up: the service offers only the functions of the first recording rig's service (transcripts
     * 001-144, which answer accessexception for core_user_update_users); by default it also offers those the second
     * rig's service had (transcripts 145-284).
     */
    public void setFirstRigService(boolean only) {
        firstRigService = only;
    }

    boolean firstRigService() {
        return firstRigService;
    }

    boolean viewUserIdentity() {
        return viewUserIdentity;
    }

    /** The account behind a token of the given profile, created the first time, like the recording site's. */
    User serviceUser(TokenProfile profile) {
        return locked(() -> switch (profile) {
            case FULL -> tables.users.get(SERVICE_USER_ID);
            case WEAK -> findUserByUsername("apitweak")
                    .orElseGet(() -> insertSeedUser("apitweak", "Accessplanit", "Weak", "apitweak@example.org"));
            case NO_REST -> findUserByUsername("apitnorest")
                    .orElseGet(() -> insertSeedUser("apitnorest", "Accessplanit", "No REST", "apitnorest@example.org"));
            case NOT_AUTHORISED -> findUserByUsername("apitunauth").orElseGet(
                    () -> insertSeedUser("apitunauth", "Accessplanit", "Unauthorised", "apitunauth@example.org"));
        });
    }

    Optional<User> findUser(long id) {
        return Optional.ofNullable(tables.users.get(id));
    }

    Optional<User> findUserByUsername(String username) {
        return tables.users.values().stream().filter(u -> u.username().equals(username)).findFirst();
    }

    /** Whether an account uses this email, compared case-insensitively as create_users() does. */
    boolean emailTaken(String email) {
        return tables.users.values().stream().anyMatch(u -> u.email().equalsIgnoreCase(email));
    }

    /** Inserts a user under the next id; the database refuses values longer than their columns. */
    User insertUser(User draft) {
        long id = nextUserId++;
        checkLength("username", draft.username(), 100);
        checkLength("firstname", draft.firstname(), 100);
        checkLength("lastname", draft.lastname(), 100);
        checkLength("email", draft.email(), 100);
        checkLength("idnumber", draft.idnumber(), 255);
        checkLength("auth", draft.auth(), 20);
        checkLength("city", draft.city(), 120);
        checkLength("country", draft.country(), 2);
        User user = new User(id, draft.username(), draft.firstname(), draft.lastname(), draft.email(),
                draft.idnumber(), draft.auth(), draft.city(), draft.country());
        tables.users.put(id, user);
        return user;
    }

    /** Replaces a user's row (user_update_user); the database refuses values longer than their columns. */
    void updateUser(User user) {
        checkLength("firstname", user.firstname(), 100);
        checkLength("lastname", user.lastname(), 100);
        checkLength("email", user.email(), 100);
        tables.users.put(user.id(), user);
    }

    Optional<Course> findCourse(long id) {
        return Optional.ofNullable(tables.courses.get(id));
    }

    boolean shortnameTaken(String shortname, long otherThanCourseId) {
        return tables.courses.values().stream()
                .anyMatch(c -> c.id() != otherThanCourseId && c.shortname().equals(shortname));
    }

    boolean idnumberTaken(String idnumber, long otherThanCourseId) {
        return !idnumber.isEmpty() && tables.courses.values().stream()
                .anyMatch(c -> c.id() != otherThanCourseId && c.idnumber().equals(idnumber));
    }

    /** Inserts a course under the next id with its manual enrolment instance and its course total grade item. */
    Course insertCourse(Course draft) {
        long id = nextCourseId++;
        Course course = new Course(id, draft.shortname(), draft.fullname(), draft.idnumber(), draft.categoryId(),
                draft.summary(), draft.summaryformat(), draft.format(), draft.visible(), draft.startdate(),
                draft.enddate(), draft.enablecompletion(), draft.timecreated(), draft.timemodified());
        putCourse(course);
        tables.courseTotals.put(id, new GradeItem(nextGradeItemId++, "course", null, null, nextGradeCategoryId++));
        return course;
    }

    /** Writes a course row; the database refuses values longer than their columns. */
    void putCourse(Course course) {
        checkLength("fullname", course.fullname(), 254);
        checkLength("shortname", course.shortname(), 255);
        checkLength("idnumber", course.idnumber(), 100);
        tables.courses.put(course.id(), course);
    }

    /**
     * The course's position in the course listing: after its category's sortorder, newest first, as
     * create_course() places a new course at the top of its category.
     */
    long sortorder(Course course) {
        if (course.id() == SITEID) {
            return 1;
        }
        long newer = tables.courses.values().stream()
                .filter(c -> c.categoryId() == course.categoryId() && c.id() > course.id()).count();
        return findCategory(course.categoryId()).map(Category::sortorder).orElse(0L) + newer + 1;
    }

    List<Category> categories() {
        return List.copyOf(categories.values());
    }

    Optional<Category> findCategory(long id) {
        return Optional.ofNullable(categories.get(id));
    }

    long courseCount(long categoryId) {
        return tables.courses.values().stream().filter(c -> c.categoryId() == categoryId).count();
    }

    Optional<Role> findRole(long id) {
        return Optional.ofNullable(roles.get(id));
    }

    Optional<Enrolment> enrolment(long userId, long courseId) {
        return locked(() -> Optional.ofNullable(tables.enrolments.get(new Key(courseId, userId))));
    }

    void putEnrolment(Enrolment enrolment) {
        tables.enrolments.put(new Key(enrolment.courseId(), enrolment.userId()), enrolment);
    }

    void removeEnrolment(long userId, long courseId) {
        tables.enrolments.remove(new Key(courseId, userId));
    }

    /** Test set-up: an enrolment someone made in Moodle itself (a teacher's), not the integration. */
    public void addEnrolment(Enrolment enrolment) {
        locked(() -> tables.enrolments.put(new Key(enrolment.courseId(), enrolment.userId()), enrolment));
    }

    /** The course's enrolments in user id order. */
    List<Enrolment> enrolmentsIn(long courseId) {
        return tables.enrolments.values().stream().filter(e -> e.courseId() == courseId)
                .sorted(Comparator.comparingLong(Enrolment::userId)).toList();
    }

    List<Enrolment> enrolmentsOf(long userId) {
        return tables.enrolments.values().stream().filter(e -> e.userId() == userId).toList();
    }

    GradeItem courseTotal(long courseId) {
        return tables.courseTotals.computeIfAbsent(courseId,
                id -> new GradeItem(nextGradeItemId++, "course", null, null, nextGradeCategoryId++));
    }

    Optional<GradeItem> manualItem(long courseId) {
        return Optional.ofNullable(tables.manualItems.get(courseId));
    }

    Optional<Grade> gradeOf(long courseId, long userId) {
        return Optional.ofNullable(tables.grades.get(new Key(courseId, userId)));
    }

    /** Whether the course has anything graded out of 100: a manual item or a grade set on its total. */
    boolean hasGradedItems(long courseId) {
        return tables.manualItems.containsKey(courseId)
                || tables.grades.keySet().stream().anyMatch(k -> k.courseId() == courseId);
    }

    CompletionMode completionMode(Course course) {
        if (!course.enablecompletion()) {
            return CompletionMode.DISABLED;
        }
        return tables.coursesWithoutCriteria.contains(course.id()) ? CompletionMode.NO_CRITERIA
                : CompletionMode.CRITERIA;
    }

    Optional<CourseCompletion> completion(long courseId, long userId) {
        return Optional.ofNullable(tables.completions.get(new Key(courseId, userId)));
    }

    static Course withCompletion(Course c, boolean enablecompletion) {
        return new Course(c.id(), c.shortname(), c.fullname(), c.idnumber(), c.categoryId(), c.summary(),
                c.summaryformat(), c.format(), c.visible(), c.startdate(), c.enddate(), enablecompletion,
                c.timecreated(), now());
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    private User insertSeedUser(String username, String firstname, String lastname, String email) {
        return insertUser(new User(0, username, firstname, lastname, email, "", "manual", "", ""));
    }

    private Course requireCourse(long courseId) {
        return findCourse(courseId).orElseThrow(() -> new IllegalArgumentException("No course " + courseId));
    }

    private void requireUser(long userId) {
        if (findUser(userId).isEmpty()) {
            throw new IllegalArgumentException("No user " + userId);
        }
    }

    private static void checkLength(String column, String value, int maxLength) {
        if (value != null && value.codePointCount(0, value.length()) > maxLength) {
            throw MoodleException.dmlWrite("value too long for type character varying(" + maxLength + ") in "
                    + column);
        }
    }

    @Override
    public String toString() {
        return locked(() -> "MoodleSite[" + tables.users.size() + " users, " + tables.courses.size() + " courses, "
                + tables.enrolments.size() + " enrolments]");
    }
}
