package org.apitmoodle.emulator;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
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

    /** A row of Moodle's groups table; {@code enrolmentkey} null as the database holds it when none was given. */
    public record Group(long id, long courseId, String name, String description, int descriptionformat,
                 String enrolmentkey, String idnumber) {
    }

    /**
     * A custom user profile field (user_info_field): a text field, or a menu of {@code options} whose default is
     * "" (none chosen). Every field is visible to the service user and in one category, in the order defined.
     */
    public record ProfileField(String shortname, String name, String datatype, List<String> options) {
        public ProfileField {
            options = List.copyOf(options);
        }
    }

    /** A course custom field (customfield_field) of type text, visible to everyone, in the order defined. */
    public record CourseCustomField(String shortname, String name) {
    }

    /**
     * An activity on a course page (a course module and its instance) as core_course_get_contents shows it:
     * {@code cmid} the course module, {@code instance} the row of the module's own table, {@code intro} its
     * description (a label's text).
     */
    public record Activity(long cmid, String modname, long instance, long contextid, String name, String intro) {
    }

    /** A section of a course page (course_sections) and its activities, in order. */
    public record Section(long id, int number, String name, List<Activity> activities) {
        public Section {
            activities = List.copyOf(activities);
        }

        Section with(Activity activity) {
            List<Activity> more = new java.util.ArrayList<>(activities);
            more.add(activity);
            return new Section(id, number, name, more);
        }
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
        final Map<Long, Group> groups = new LinkedHashMap<>();
        /** Group memberships, keyed (group id, user id). */
        final Map<Key, Boolean> members = new LinkedHashMap<>();
        /** Each course's sections and their activities, by course id. */
        final Map<Long, List<Section>> sections = new LinkedHashMap<>();
        /** user.deleted = 1: the row stays, renamed (delete_user()). */
        final Set<Long> deletedUsers = new HashSet<>();
        /** user.suspended = 1: the account may not log in; its enrolments stay. */
        final Set<Long> suspendedUsers = new HashSet<>();

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
            copy.groups.putAll(groups);
            copy.members.putAll(members);
            copy.sections.putAll(sections);
            copy.deletedUsers.addAll(deletedUsers);
            copy.suspendedUsers.addAll(suspendedUsers);
            return copy;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Category> categories = new LinkedHashMap<>();
    private final Map<Long, Role> roles = new LinkedHashMap<>();
    private Tables tables = new Tables();
    /** The tables a web-service call in progress on this thread works on: its own snapshot (see {@link #call}). */
    private final ThreadLocal<Tables> working = new ThreadLocal<>();
    // Sequences are shared by concurrent calls, like PostgreSQL's: a value once taken is never taken again.
    private final AtomicLong nextUserId = new AtomicLong(1);
    private final AtomicLong nextCourseId = new AtomicLong(1);
    private final AtomicLong nextGradeItemId = new AtomicLong(1);
    private final AtomicLong nextGradeCategoryId = new AtomicLong(1);
    private final AtomicLong nextGroupId = new AtomicLong(1);
    private final AtomicLong nextSectionId = new AtomicLong(1);
    private final AtomicLong nextCmid = new AtomicLong(1);
    private final AtomicLong nextContextId = new AtomicLong(100);
    /** Each module's own table's sequence (forum, page, label ...). */
    private final Map<String, AtomicLong> nextInstance = new java.util.concurrent.ConcurrentHashMap<>();
    /** Capabilities an administrator took from the service user's role (all others it holds). */
    private final Set<String> withdrawnCapabilities = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Courses whose "news items to show" is not the default (5; the site's 3), set up by hand or copied. */
    private final Map<Long, Long> newsItems = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean viewUserIdentity = true;
    /** Courses where the service user is refused (an administrator's override), with what Moodle answers there. */
    private final Map<Long, String> refusedCourses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean allowAccountsSameEmail;
    private final Set<Long> withoutManualInstance = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Whether the service offers only the first recording rig's functions (transcripts 001-144). */
    private volatile boolean firstRigService;
    /** Site configuration, replaced whole when a definition is added (test set-up only). */
    private volatile List<ProfileField> profileFields = List.of();
    private volatile List<CourseCustomField> courseCustomFields = List.of();

    MoodleSite() {
        categories.put(1L, new Category(1, "Category 1", "", 10000));
        categories.put(2L, new Category(2, "Accessplanit courses", "Courses created by the Accessplanit integration",
                20000));
        roles.put(1L, new Role(1, "manager", false));
        roles.put(5L, new Role(5, "student", true));
        long now = now();
        t().courses.put(SITEID, new Course(nextCourseId.getAndIncrement(), "rig", "Rig", "", 0, "", 1, "site", true, null, null,
                false, now, now));
        insertSeedUser("guest", "Guest user", " ", "root@localhost");
        insertSeedUser("admin", "Admin", "User", "admin@example.org");
        insertSeedUser("apit", "Accessplanit", "Integration", "apit@example.org");
    }

    // ---- Reading, for assertions -------------------------------------------------------------------------------

    /** Every user, in id order, the guest and admin accounts included. */
    public List<User> users() {
        return locked(() -> List.copyOf(t().users.values()));
    }

    public Optional<User> userById(long id) {
        return locked(() -> Optional.ofNullable(t().users.get(id)));
    }

    public Optional<User> userByUsername(String username) {
        return locked(() -> t().users.values().stream().filter(u -> u.username().equals(username)).findFirst());
    }

    /** Every course, in id order, the site course (id 1) included. */
    public List<Course> courses() {
        return locked(() -> List.copyOf(t().courses.values()));
    }

    public Optional<Course> courseById(long id) {
        return locked(() -> Optional.ofNullable(t().courses.get(id)));
    }

    public Optional<Course> courseByShortname(String shortname) {
        return locked(() -> t().courses.values().stream().filter(c -> c.shortname().equals(shortname))
                .findFirst());
    }

    public Optional<Course> courseByIdnumber(String idnumber) {
        return locked(() -> t().courses.values().stream()
                .filter(c -> !idnumber.isEmpty() && c.idnumber().equals(idnumber)).findFirst());
    }

    public List<Enrolment> enrolments() {
        return locked(() -> List.copyOf(t().enrolments.values()));
    }

    /** Whether the user's enrolment in the course is suspended. */
    public boolean isSuspended(long userId, long courseId) {
        return enrolment(userId, courseId).map(Enrolment::suspended).orElse(false);
    }

    /** Whether the user has an enrolment in the course, active or suspended. */
    public boolean isEnrolled(long userId, long courseId) {
        return enrolment(userId, courseId).isPresent();
    }

    /** The course total a user has in a course, if graded. */
    public Optional<Double> grade(long courseId, long userId) {
        return locked(() -> Optional.ofNullable(t().grades.get(new Key(courseId, userId))).map(Grade::value));
    }

    // ---- Changes made outside the web service, for seeding -----------------------------------------------------

    /** Creates a manual-auth user directly, as an administrator would. */
    public User addUser(String username, String firstname, String lastname, String email) {
        return addUser(username, firstname, lastname, email, "manual");
    }

    /**
     * Creates a user of this auth plugin directly, without an ID number: e.g. an oauth2 account Moodle made when
     * the learner first signed in through the identity provider.
     */
    public User addUser(String username, String firstname, String lastname, String email, String auth) {
        return locked(() -> {
            if (findUserByUsername(username).isPresent()) {
                throw new IllegalArgumentException("Username already exists: " + username);
            }
            return insertUser(new User(0, username, firstname, lastname, email, "", auth, "", ""));
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
            t().manualItems.put(courseId, new GradeItem(nextGradeItemId.getAndIncrement(), "manual", itemname, idnumber,
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
                t().grades.remove(new Key(courseId, userId));
            } else {
                t().grades.put(new Key(courseId, userId), new Grade(grade, now()));
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
            t().completions.put(new Key(courseId, userId), new CourseCompletion(completed, criterionTime));
            return null;
        });
    }

    /** Sets up completion as a teacher would: off, on without criteria, or on with the course-grade criterion. */
    public void setCourseCompletionMode(long courseId, CompletionMode mode) {
        locked(() -> {
            Course course = requireCourse(courseId);
            putCourse(withCompletion(course, mode != CompletionMode.DISABLED));
            if (mode == CompletionMode.NO_CRITERIA) {
                t().coursesWithoutCriteria.add(courseId);
            } else {
                t().coursesWithoutCriteria.remove(courseId);
            }
            return null;
        });
    }

    /**
     * Takes the service user's access to one course away, as an administrator's role override or a hidden course
     * does: its calls in that course answer {@code nopermissions} or {@code requireloginerror} (null gives it back).
     */
    public void refuseServiceUserInCourse(long courseId, String errorcode) {
        if (errorcode == null) {
            refusedCourses.remove(courseId);
        } else if (errorcode.equals("nopermissions") || errorcode.equals("requireloginerror")) {
            refusedCourses.put(courseId, errorcode);
        } else {
            throw new IllegalArgumentException("nopermissions or requireloginerror, not " + errorcode);
        }
    }

    Optional<MoodleException> refusalIn(long courseId) {
        return Optional.ofNullable(refusedCourses.get(courseId)).map(code -> code.equals("nopermissions")
                ? MoodleException.noPermissions("Enrol users") : MoodleException.requireLogin());
    }

    // ---- Course content and copies --------------------------------------------------------------------------

    /** The course's sections and their activities, as core_course_get_contents lists them (empty: no course). */
    public List<Section> sections(long courseId) {
        return locked(() -> t().sections.getOrDefault(courseId, List.of()));
    }

    /** Every activity of the course, section by section. */
    public List<Activity> activities(long courseId) {
        return sections(courseId).stream().flatMap(section -> section.activities().stream()).toList();
    }

    /**
     * Adds an activity to a section of the course (made if missing), as a teacher does on the course page:
     * {@code modname} forum, page, label, quiz, feedback ...; {@code intro} its description (a label's text).
     */
    public Activity addActivity(long courseId, int sectionNumber, String modname, String name, String intro) {
        return locked(() -> {
            requireCourse(courseId);
            Activity activity = newActivity(modname, name, intro);
            List<Section> sections = new java.util.ArrayList<>(t().sections.getOrDefault(courseId, List.of()));
            while (sections.size() <= sectionNumber) {
                sections.add(new Section(nextSectionId.getAndIncrement(), sections.size(), sectionName(sections.size()),
                        List.of()));
            }
            sections.set(sectionNumber, sections.get(sectionNumber).with(activity));
            t().sections.put(courseId, List.copyOf(sections));
            return activity;
        });
    }

    /** Keeps the course's sections 0 to {@code last} (a teacher removed the others, or added more, empty). */
    public void setLastSection(long courseId, int last) {
        locked(() -> {
            requireCourse(courseId);
            List<Section> sections = new java.util.ArrayList<>(t().sections.getOrDefault(courseId, List.of()));
            while (sections.size() > last + 1) {
                sections.remove(sections.size() - 1);
            }
            while (sections.size() <= last) {
                sections.add(new Section(nextSectionId.getAndIncrement(), sections.size(), sectionName(sections.size()),
                        List.of()));
            }
            t().sections.put(courseId, List.copyOf(sections));
            return null;
        });
    }

    /** Sets a course's start and end (null: none), as an administrator does on its settings page. */
    public void setCourseDates(long courseId, Long startdate, Long enddate) {
        locked(() -> {
            Course c = requireCourse(courseId);
            putCourse(new Course(c.id(), c.shortname(), c.fullname(), c.idnumber(), c.categoryId(), c.summary(),
                    c.summaryformat(), c.format(), c.visible(), startdate, enddate, c.enablecompletion(),
                    c.timecreated(), MoodleSite.now(), c.numsections(), c.lang(), c.customfields()));
            return null;
        });
    }

    /** Sets a course's number of news items to show (its settings page; a copy carries its template's). */
    public void setNewsItems(long courseId, long count) {
        newsItems.put(courseId, count);
    }

    long newsItems(Course course) {
        return newsItems.getOrDefault(course.id(), course.id() == SITEID ? 3L : 5L);
    }

    /**
     * Takes a capability from the service user's role, as an administrator would (moodle/backup:backupcourse,
     * moodle/restore:restorecourse, moodle/course:create, moodle/backup:backuptargetimport,
     * moodle/restore:restoretargetimport); {@link #restoreCapability} gives it back.
     */
    public void withdrawCapability(String capability) {
        withdrawnCapabilities.add(capability);
    }

    public void restoreCapability(String capability) {
        withdrawnCapabilities.remove(capability);
    }

    /** Whether the service user's role holds the capability. */
    boolean holds(String capability) {
        return !withdrawnCapabilities.contains(capability);
    }

    /**
     * restore_dbops::create_new_course() and the restore's course settings: the copy's row, written at once (the
     * copy is not one transaction, so a look-up by its shortname finds it while its content is still being
     * restored), with the template's settings but no ID number, no end date and no sections yet.
     */
    Course insertCopy(Course template, String fullname, String shortname, long categoryId, boolean visible) {
        return locked(() -> {
            long now = now();
            Course copy = insertCourse(new Course(0, shortname, fullname, "", categoryId, template.summary(),
                    template.summaryformat(), template.format(), visible, template.startdate(), null,
                    template.enablecompletion(), now, now, template.numsections(), template.lang(),
                    template.customfields()));
            t().sections.put(copy.id(), List.of());
            if (newsItems.containsKey(template.id())) {
                newsItems.put(copy.id(), newsItems.get(template.id()));
            }
            return copy;
        });
    }

    /** The restore of the template's sections and activities into the copy (new ids, as a restore makes them). */
    void restoreContent(long templateId, long copyId) {
        locked(() -> {
            List<Section> copied = new java.util.ArrayList<>();
            for (Section section : t().sections.getOrDefault(templateId, List.of())) {
                List<Activity> activities = section.activities().stream()
                        .map(a -> newActivity(a.modname(), a.name(), a.intro())).toList();
                copied.add(new Section(nextSectionId.getAndIncrement(), section.number(), section.name(), activities));
            }
            if (t().courses.containsKey(copyId)) {
                t().sections.put(copyId, List.copyOf(copied));
            }
            return null;
        });
    }

    private Activity newActivity(String modname, String name, String intro) {
        return new Activity(nextCmid.getAndIncrement(), modname,
                nextInstance.computeIfAbsent(modname, m -> new AtomicLong(1)).getAndIncrement(),
                nextContextId.getAndIncrement(), name, intro);
    }

    /** The name the topics format shows for a section without one of its own. */
    private static String sectionName(int number) {
        return number == 0 ? "General" : "Topic " + number;
    }

    /** $CFG->allowaccountssameemail: off on a fresh site, so a second account with an email is refused. */
    public void setAllowAccountsSameEmail(boolean allow) {
        allowAccountsSameEmail = allow;
    }

    boolean allowAccountsSameEmail() {
        return allowAccountsSameEmail;
    }

    /** Deletes a course's manual enrolment instance, as an administrator can: enrol and unenrol answer wsnoinstance. */
    public void deleteManualEnrolmentInstance(long courseId) {
        withoutManualInstance.add(courseId);
    }

    boolean hasManualInstance(long courseId) {
        return courseId != SITEID && !withoutManualInstance.contains(courseId);
    }

    /** Rewrites a user row; the database refuses values longer than their columns. */
    void updateUser(User user) {
        checkUserColumns(user);
        t().users.put(user.id(), user);
    }

    Group insertGroup(long courseId, String name, String description, int descriptionformat, String enrolmentkey,
            String idnumber) {
        Group group = new Group(nextGroupId.getAndIncrement(), courseId, name, description, descriptionformat,
                enrolmentkey, idnumber);
        t().groups.put(group.id(), group);
        return group;
    }

    Optional<Group> findGroup(long id) {
        return Optional.ofNullable(t().groups.get(id));
    }

    /** A course's groups, in id order. */
    public List<Group> groupsIn(long courseId) {
        return locked(() -> t().groups.values().stream().filter(g -> g.courseId() == courseId).toList());
    }

    void setMember(long groupId, long userId, boolean member) {
        if (member) {
            t().members.put(new Key(groupId, userId), true);
        } else {
            t().members.remove(new Key(groupId, userId));
        }
    }

    /** The user ids of a group's members, in id order. */
    public List<Long> groupMembers(long groupId) {
        return locked(() -> t().members.keySet().stream().filter(k -> k.courseId() == groupId).map(Key::userId)
                .sorted().toList());
    }

    /**
     * The enrolment goes; as it is the user's last in the course (the emulator models manual enrolments only),
     * Moodle's enrol_plugin::unenrol_user also takes the user out of the course's groups (groups_delete_group_members).
     */
    void removeEnrolment(long userId, long courseId) {
        t().enrolments.remove(new Key(courseId, userId));
        for (Group group : t().groups.values()) {
            if (group.courseId() == courseId) {
                t().members.remove(new Key(group.id(), userId));
            }
        }
    }

    /** Renames the integration's service user (apit on a fresh site), as on a site where it has another name. */
    public void renameServiceUser(String username) {
        locked(() -> {
            User u = t().users.get(SERVICE_USER_ID);
            t().users.put(u.id(), u.withIdAndUsername(u.id(), username));
            return null;
        });
    }

    /** Enrols a user directly (manual enrolment, no dates), active or suspended, as a teacher would. */
    public void enrol(long userId, long courseId, long roleId, boolean suspended) {
        locked(() -> {
            requireCourse(courseId);
            requireUser(userId);
            putEnrolment(new Enrolment(userId, courseId, roleId, suspended, 0, 0));
            return null;
        });
    }

    // ---- Changes people make in Moodle behind the integration's back (drift) ----------------------------------

    /**
     * An administrator removes a manual enrolment by hand (enrol_plugin::unenrol_user): the learner is gone from
     * core_enrol_get_enrolled_users (transcript 319) and may be enrolled again (320-321).
     */
    public void unenrolByHand(long userId, long courseId) {
        locked(() -> {
            requireCourse(courseId);
            if (enrolment(userId, courseId).isEmpty()) {
                throw new IllegalArgumentException("User " + userId + " is not enrolled in course " + courseId);
            }
            removeEnrolment(userId, courseId);
            return null;
        });
    }

    /** A teacher suspends (or re-activates) an enrolment by hand: its status changes, its dates stay. */
    public void setEnrolmentSuspendedByHand(long userId, long courseId, boolean suspended) {
        locked(() -> {
            Enrolment e = enrolment(userId, courseId).orElseThrow(() -> new IllegalArgumentException(
                    "User " + userId + " is not enrolled in course " + courseId));
            putEnrolment(new Enrolment(userId, courseId, e.roleId(), suspended, e.timestart(), e.timeend()));
            return null;
        });
    }

    /**
     * An administrator deletes an account (delete_user()): the row stays under its id, renamed to
     * {@code <email>.<deletedAt>} (so not found by username, 322), its email replaced by md5 of the old username,
     * its idnumber emptied, and it is still returned by id like an ordinary account, with no deleted flag (323).
     * Its enrolments and group memberships go; enrolling it is refused with codingerror (324).
     */
    public void deleteUser(long userId, long deletedAt) {
        locked(() -> {
            User user = findUser(userId).orElseThrow(() -> new IllegalArgumentException("No user " + userId));
            String renamed = Param.USERNAME.clean((user.email() + "." + deletedAt).toLowerCase(java.util.Locale.ROOT));
            User deleted = new User(user.id(), renamed, user.firstname(), user.lastname(), md5(user.username()), "",
                    user.auth(), user.city(), user.country(), user.fields(), user.profile());
            t().users.put(userId, deleted);
            t().deletedUsers.add(userId);
            for (Enrolment e : enrolmentsOf(userId)) {
                removeEnrolment(userId, e.courseId());
            }
            return null;
        });
    }

    /** An administrator deletes an account now (see {@link #deleteUser(long, long)}). */
    public void deleteUser(long userId) {
        deleteUser(userId, now());
    }

    /** An administrator suspends (or un-suspends) an account: it cannot log in; its enrolments stay. */
    public void setUserSuspended(long userId, boolean suspended) {
        locked(() -> {
            requireUser(userId);
            if (suspended) {
                t().suspendedUsers.add(userId);
            } else {
                t().suspendedUsers.remove(userId);
            }
            return null;
        });
    }

    /**
     * The id now holds another person's account (a site restored from another backup, ids handed out again): the
     * row under {@code userId} is replaced; the old account's enrolments go with it.
     */
    public User replaceUserUnderId(long userId, String username, String firstname, String lastname, String email) {
        return locked(() -> {
            requireUser(userId);
            for (Enrolment e : enrolmentsOf(userId)) {
                removeEnrolment(userId, e.courseId());
            }
            t().deletedUsers.remove(userId);
            t().suspendedUsers.remove(userId);
            User other = new User(userId, username, firstname, lastname, email, "", "manual", "", "");
            t().users.put(userId, other);
            return other;
        });
    }

    /**
     * An administrator deletes a course (delete_course()): not found by any field any more (325); enrolling into
     * its old id is refused with invalidparameter (326). Its content, enrolments, groups, grades and completions go.
     */
    public void deleteCourse(long courseId) {
        locked(() -> {
            requireCourse(courseId);
            dropCourse(courseId);
            return null;
        });
    }

    /**
     * A course restored from a backup over a deleted one (without its users): the old id is gone, and a new course
     * with the same shortname, ID number and fields is made under the next id, with no enrolment. Returns it.
     */
    public Course restoreCourseAsNew(long courseId) {
        return locked(() -> {
            Course old = requireCourse(courseId);
            dropCourse(courseId);
            return insertCourse(old);
        });
    }

    /**
     * The id now holds another course (a site restored from another backup): the row under {@code courseId} is
     * replaced by one with this shortname, name and ID number, and no enrolment.
     */
    public Course replaceCourseUnderId(long courseId, String shortname, String fullname, String idnumber) {
        return locked(() -> {
            Course old = requireCourse(courseId);
            dropCourse(courseId);
            Course other = new Course(courseId, shortname, fullname, idnumber, old.categoryId(), "", 1, "topics", true,
                    null, null, true, now(), now());
            putCourse(other);
            t().courseTotals.put(courseId, new GradeItem(nextGradeItemId.getAndIncrement(), "course", null, null,
                    nextGradeCategoryId.getAndIncrement()));
            return other;
        });
    }

    /**
     * Benchmark set-up: {@code courses} courses of {@code learnersEach} learners each, enrolled, as the integration
     * made them long ago: course {@code firstCourseId + c} (shortname APIT- and ID number {@code idnumberPrefix} with
     * its id), user {@code firstUserId + n} (username {@code usernamePrefix} with its id, ID number its id). Ids are
     * given, past those the sequences hand out; nothing is checked.
     */
    public void loadEnrolledCourses(long firstCourseId, int courses, long firstUserId, int learnersEach,
            String idnumberPrefix, String usernamePrefix, long roleId) {
        locked(() -> {
            long now = now();
            for (int c = 0; c < courses; c++) {
                long courseId = firstCourseId + c;
                t().courses.put(courseId, new Course(courseId, "APIT-" + courseId, "Course " + courseId,
                        idnumberPrefix + courseId, 2, "", 1, "topics", true, now, null, true, now, now));
                t().courseTotals.put(courseId, new GradeItem(nextGradeItemId.getAndIncrement(), "course", null, null,
                        nextGradeCategoryId.getAndIncrement()));
                for (int l = 0; l < learnersEach; l++) {
                    long userId = firstUserId + (long) c * learnersEach + l;
                    t().users.put(userId, new User(userId, usernamePrefix + userId, "Learner", "Number " + userId,
                            "learner" + userId + "@example.org", Long.toString(userId), "manual", "", ""));
                    t().enrolments.put(new Key(courseId, userId), new Enrolment(userId, courseId, roleId, false, 0, 0));
                }
            }
            return null;
        });
    }

    /** Whether delete_user() was run on the account (user.deleted). */
    boolean isDeleted(long userId) {
        return t().deletedUsers.contains(userId);
    }

    /** Whether the account is suspended (user.suspended). */
    boolean isUserSuspended(long userId) {
        return t().suspendedUsers.contains(userId);
    }

    private void dropCourse(long courseId) {
        t().courses.remove(courseId);
        t().sections.remove(courseId);
        t().enrolments.keySet().removeIf(k -> k.courseId() == courseId);
        List<Long> groups = t().groups.values().stream().filter(g -> g.courseId() == courseId).map(Group::id).toList();
        t().groups.keySet().removeAll(groups);
        t().members.keySet().removeIf(k -> groups.contains(k.courseId()));
        t().grades.keySet().removeIf(k -> k.courseId() == courseId);
        t().completions.keySet().removeIf(k -> k.courseId() == courseId);
        t().courseTotals.remove(courseId);
        t().manualItems.remove(courseId);
        t().coursesWithoutCriteria.remove(courseId);
    }

    private static String md5(String text) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes a course group directly (no description, no enrolment key), as an administrator would. */
    public Group addGroup(long courseId, String name, String idnumber) {
        return locked(() -> {
            requireCourse(courseId);
            return insertGroup(courseId, name, "", 1, null, idnumber);
        });
    }

    /**
     * Defines a custom user profile field, as an administrator does under Users > User profile fields:
     * {@code datatype} "text" or "menu" (then {@code menuOptions} are its options, in order; for "text" pass an
     * empty list). core_user_create_users and core_user_update_users store {@code customfields[i][type]} = this
     * shortname; get_users_by_field and get_enrolled_users return the stored values.
     */
    public void addUserProfileField(String shortname, String name, String datatype, List<String> menuOptions) {
        if (!datatype.equals("text") && !datatype.equals("menu")) {
            throw new IllegalArgumentException("The emulator models text and menu profile fields, not " + datatype);
        }
        if (datatype.equals("menu") && menuOptions.isEmpty()) {
            throw new IllegalArgumentException("A menu field needs options: " + shortname);
        }
        locked(() -> {
            if (profileFields.stream().anyMatch(f -> f.shortname().equals(shortname))) {
                throw new IllegalArgumentException("Profile field already defined: " + shortname);
            }
            List<ProfileField> fields = new java.util.ArrayList<>(profileFields);
            fields.add(new ProfileField(shortname, name, datatype, datatype.equals("menu") ? menuOptions : List.of()));
            profileFields = List.copyOf(fields);
            return null;
        });
    }

    /** The custom user profile fields defined, in order. */
    public List<ProfileField> userProfileFields() {
        return profileFields;
    }

    /**
     * Defines a course custom field of type text, as an administrator does under Courses > Course custom fields.
     * core_course_create_courses and core_course_update_courses store {@code customfields[i][shortname]} = this
     * shortname; core_course_get_courses_by_field returns every defined field of a course.
     */
    public void addCourseCustomField(String shortname, String name) {
        locked(() -> {
            if (courseCustomFields.stream().anyMatch(f -> f.shortname().equals(shortname))) {
                throw new IllegalArgumentException("Course custom field already defined: " + shortname);
            }
            List<CourseCustomField> fields = new java.util.ArrayList<>(courseCustomFields);
            fields.add(new CourseCustomField(shortname, name));
            courseCustomFields = List.copyOf(fields);
            return null;
        });
    }

    /** The course custom fields defined, in order. */
    public List<CourseCustomField> courseCustomFields() {
        return courseCustomFields;
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
        Tables mine = working.get();
        if (mine != null) {
            Tables before = mine.copy();
            try {
                return work.get();
            } catch (RuntimeException e) {
                working.set(before);
                throw e;
            }
        }
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
     * One web-service call, as PHP and PostgreSQL run it: the call reads the site as committed when it started and
     * writes to its own copy; {@code beforeCommit} (the call's modelled time) passes; then its changes are committed.
     * So Moodle's uniqueness checks, which read and then insert without a lock (email, course shortname and ID
     * number), are not atomic across calls: two calls at once can both pass them. Only the username has a unique
     * index: the later of two commits with one username fails with a database error, as on PostgreSQL.
     */
    <T> T call(Supplier<T> work, Runnable beforeCommit) {
        Tables base = locked(() -> tables.copy());
        working.set(base.copy());
        try {
            T result;
            try {
                result = work.get();
            } catch (RuntimeException failed) {
                // What the call wrote outside a delegated transaction stays, as in Moodle.
                commit(base);
                throw failed;
            }
            beforeCommit.run();
            commit(base);
            return result;
        } finally {
            working.remove();
        }
    }

    /**
     * A call that only reads (a look-up, a listing, a report): it reads the committed tables under the lock, then its
     * modelled time passes. No snapshot is copied, so a look-up on a site of 50,000 accounts costs what it reads.
     */
    <T> T read(Supplier<T> work, Runnable afterRead) {
        T result = locked(work);
        afterRead.run();
        return result;
    }

    private void commit(Tables base) {
        Tables mine = working.get();
        lock.lock();
        try {
            commit(base, mine);
        } finally {
            lock.unlock();
        }
    }

    /** Writes what {@code mine} changed since {@code base} to the committed tables, checking the unique index. */
    private void commit(Tables base, Tables mine) {
        for (User user : mine.users.values()) {
            if (!user.equals(base.users.get(user.id()))) {
                tables.users.values().stream()
                        .filter(other -> other.id() != user.id() && other.username().equals(user.username()))
                        .findFirst().ifPresent(other -> {
                            throw MoodleException.dmlWrite("ERROR:  duplicate key value violates unique constraint"
                                    + " \"mdl_user_mneuse_uix\"\nDETAIL:  Key (mnethostid, username)=(1, "
                                    + user.username() + ") already exists.");
                        });
            }
        }
        apply(base.users, mine.users, tables.users);
        apply(base.courses, mine.courses, tables.courses);
        apply(base.enrolments, mine.enrolments, tables.enrolments);
        apply(base.courseTotals, mine.courseTotals, tables.courseTotals);
        apply(base.manualItems, mine.manualItems, tables.manualItems);
        apply(base.grades, mine.grades, tables.grades);
        apply(base.completions, mine.completions, tables.completions);
        apply(base.groups, mine.groups, tables.groups);
        apply(base.members, mine.members, tables.members);
        apply(base.sections, mine.sections, tables.sections);
        for (Long id : base.coursesWithoutCriteria) {
            if (!mine.coursesWithoutCriteria.contains(id)) {
                tables.coursesWithoutCriteria.remove(id);
            }
        }
        tables.coursesWithoutCriteria.addAll(mine.coursesWithoutCriteria);
    }

    private static <K, V> void apply(Map<K, V> base, Map<K, V> mine, Map<K, V> committed) {
        mine.forEach((key, value) -> {
            if (!value.equals(base.get(key))) {
                committed.put(key, value);
            }
        });
        base.keySet().stream().filter(key -> !mine.containsKey(key)).forEach(committed::remove);
    }

    /** The tables to read and write: the call's own on a thread serving one, else the committed ones. */
    private Tables t() {
        Tables mine = working.get();
        return mine != null ? mine : tables;
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
            case FULL -> t().users.get(SERVICE_USER_ID);
            case WEAK -> findUserByUsername("apitweak")
                    .orElseGet(() -> insertSeedUser("apitweak", "Accessplanit", "Weak", "apitweak@example.org"));
            case NO_REST -> findUserByUsername("apitnorest")
                    .orElseGet(() -> insertSeedUser("apitnorest", "Accessplanit", "No REST", "apitnorest@example.org"));
            case NOT_AUTHORISED -> findUserByUsername("apitunauth").orElseGet(
                    () -> insertSeedUser("apitunauth", "Accessplanit", "Unauthorised", "apitunauth@example.org"));
        });
    }

    Optional<User> findUser(long id) {
        return Optional.ofNullable(t().users.get(id));
    }

    Optional<User> findUserByUsername(String username) {
        return t().users.values().stream().filter(u -> u.username().equals(username)).findFirst();
    }

    /** Whether an account uses this email, compared case-insensitively as create_users() does. */
    boolean emailTaken(String email) {
        return t().users.values().stream().anyMatch(u -> u.email().equalsIgnoreCase(email));
    }

    /** Inserts a user under the next id; the database refuses values longer than their columns. */
    User insertUser(User draft) {
        long id = nextUserId.getAndIncrement();
        checkUserColumns(draft);
        User user = draft.withIdAndUsername(id, draft.username());
        t().users.put(id, user);
        return user;
    }

    /** The lengths of the user table's columns (varchar(n), counted in characters), as PostgreSQL checks them. */
    private static void checkUserColumns(User user) {
        checkLength("username", user.username(), 100);
        checkLength("firstname", user.firstname(), 100);
        checkLength("lastname", user.lastname(), 100);
        checkLength("email", user.email(), 100);
        checkLength("idnumber", user.idnumber(), 255);
        checkLength("auth", user.auth(), 20);
        checkLength("city", user.city(), 120);
        checkLength("country", user.country(), 2);
        user.fields().forEach((column, value) -> {
            int length = User.COLUMNS.get(column);
            if (length > 0) {
                checkLength(column, value, length);
            }
        });
    }

    Optional<Course> findCourse(long id) {
        return Optional.ofNullable(t().courses.get(id));
    }

    boolean shortnameTaken(String shortname, long otherThanCourseId) {
        return t().courses.values().stream()
                .anyMatch(c -> c.id() != otherThanCourseId && c.shortname().equals(shortname));
    }

    boolean idnumberTaken(String idnumber, long otherThanCourseId) {
        return !idnumber.isEmpty() && t().courses.values().stream()
                .anyMatch(c -> c.id() != otherThanCourseId && c.idnumber().equals(idnumber));
    }

    /** Inserts a course under the next id with its manual enrolment instance and its course total grade item. */
    Course insertCourse(Course draft) {
        long id = nextCourseId.getAndIncrement();
        Course course = draft.withId(id);
        putCourse(course);
        // create_course() makes section 0 and numsections more, empty.
        List<Section> sections = new java.util.ArrayList<>();
        for (int number = 0; number <= course.numsections(); number++) {
            sections.add(new Section(nextSectionId.getAndIncrement(), number, sectionName(number), List.of()));
        }
        t().sections.put(id, List.copyOf(sections));
        t().courseTotals.put(id, new GradeItem(nextGradeItemId.getAndIncrement(), "course", null, null, nextGradeCategoryId.getAndIncrement()));
        return course;
    }

    /** Writes a course row; the database refuses values longer than their columns. */
    void putCourse(Course course) {
        checkLength("fullname", course.fullname(), 254);
        checkLength("shortname", course.shortname(), 255);
        checkLength("idnumber", course.idnumber(), 100);
        checkLength("lang", course.lang(), 30);
        // customfield_data.charvalue, where a text field's value goes.
        course.customfields().forEach((shortname, value) -> checkLength("charvalue", value, 1333));
        t().courses.put(course.id(), course);
    }

    /**
     * The course's position in the course listing: after its category's sortorder, newest first, as
     * create_course() places a new course at the top of its category.
     */
    long sortorder(Course course) {
        if (course.id() == SITEID) {
            return 1;
        }
        long newer = t().courses.values().stream()
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
        return t().courses.values().stream().filter(c -> c.categoryId() == categoryId).count();
    }

    Optional<Role> findRole(long id) {
        return Optional.ofNullable(roles.get(id));
    }

    Optional<Enrolment> enrolment(long userId, long courseId) {
        return locked(() -> Optional.ofNullable(t().enrolments.get(new Key(courseId, userId))));
    }

    void putEnrolment(Enrolment enrolment) {
        t().enrolments.put(new Key(enrolment.courseId(), enrolment.userId()), enrolment);
    }

    /** Test set-up: an enrolment someone made in Moodle itself (a teacher's), not the integration. */
    public void addEnrolment(Enrolment enrolment) {
        locked(() -> tables.enrolments.put(new Key(enrolment.courseId(), enrolment.userId()), enrolment));
    }

    /** The course's enrolments in user id order. */
    List<Enrolment> enrolmentsIn(long courseId) {
        return t().enrolments.values().stream().filter(e -> e.courseId() == courseId)
                .sorted(Comparator.comparingLong(Enrolment::userId)).toList();
    }

    List<Enrolment> enrolmentsOf(long userId) {
        return t().enrolments.values().stream().filter(e -> e.userId() == userId).toList();
    }

    GradeItem courseTotal(long courseId) {
        return t().courseTotals.computeIfAbsent(courseId,
                id -> new GradeItem(nextGradeItemId.getAndIncrement(), "course", null, null, nextGradeCategoryId.getAndIncrement()));
    }

    Optional<GradeItem> manualItem(long courseId) {
        return Optional.ofNullable(t().manualItems.get(courseId));
    }

    Optional<Grade> gradeOf(long courseId, long userId) {
        return Optional.ofNullable(t().grades.get(new Key(courseId, userId)));
    }

    /** Whether the course has anything graded out of 100: a manual item or a grade set on its total. */
    boolean hasGradedItems(long courseId) {
        return t().manualItems.containsKey(courseId)
                || t().grades.keySet().stream().anyMatch(k -> k.courseId() == courseId);
    }

    CompletionMode completionMode(Course course) {
        if (!course.enablecompletion()) {
            return CompletionMode.DISABLED;
        }
        return t().coursesWithoutCriteria.contains(course.id()) ? CompletionMode.NO_CRITERIA
                : CompletionMode.CRITERIA;
    }

    Optional<CourseCompletion> completion(long courseId, long userId) {
        return Optional.ofNullable(t().completions.get(new Key(courseId, userId)));
    }

    static Course withCompletion(Course c, boolean enablecompletion) {
        return new Course(c.id(), c.shortname(), c.fullname(), c.idnumber(), c.categoryId(), c.summary(),
                c.summaryformat(), c.format(), c.visible(), c.startdate(), c.enddate(), enablecompletion,
                c.timecreated(), now(), c.numsections(), c.lang(), c.customfields());
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
        return locked(() -> "MoodleSite[" + t().users.size() + " users, " + t().courses.size() + " courses, "
                + t().enrolments.size() + " enrolments]");
    }
}
