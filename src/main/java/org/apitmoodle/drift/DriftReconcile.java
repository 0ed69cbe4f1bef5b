package org.apitmoodle.drift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apitmoodle.Settings;
import org.apitmoodle.moodle.MoodleCall;

/**
 * The reconcile's comparisons: what Moodle answered against the integration's record, as findings (rows for
 * sql/drift/note-finding.sql). A plain class: the route (routes/drift.camel.yaml) reads the record, makes each Moodle
 * call through call-moodle and hands the answers here. It never calls Moodle nor changes anything itself: a repair is
 * the record changed so the operation that owns it does the work, with its claims and look-ups.
 *
 * <p>Accounts are compared first (a page of users, one call), so a deleted, replaced or suspended account's
 * enrolments are not also reported as missing; then a page of Moodle courses (one call), then each live course's
 * enrolled users (paged: all of them, then the suspended ones). Memory holds one page and one course's user ids.
 */
public final class DriftReconcile {

    static final String USERS_BY_FIELD = "core_user_get_users_by_field";
    static final String COURSES_BY_FIELD = "core_course_get_courses_by_field";
    static final String ENROLLED_USERS = "core_enrol_get_enrolled_users";

    /**
     * What delete_user() makes of a username: {@code <email>.<unix time>} (transcripts 322-323). By id the account
     * is still returned like an active one; its username is what gives it away.
     */
    private static final Pattern DELETED_USERNAME = Pattern.compile(".*@.*\\.\\d{9,}");

    private final DriftSettings settings;
    /** The sync's Moodle calls in flight now: the reconcile gives way to them. */
    private final java.util.function.IntSupplier syncCallsInFlight;
    private final java.util.function.LongSupplier clockMs;
    private final String usernamePrefix;
    private final boolean usernameFromEmail;
    private final String idnumberPrefix;

    public DriftReconcile(DriftSettings settings, String usernamePrefix, String usernameFrom, String idnumberPrefix) {
        this(settings, usernamePrefix, usernameFrom, idnumberPrefix, () -> 0, System::currentTimeMillis);
    }

    public DriftReconcile(DriftSettings settings, String usernamePrefix, String usernameFrom, String idnumberPrefix,
            java.util.function.IntSupplier syncCallsInFlight, java.util.function.LongSupplier clockMs) {
        this.settings = settings;
        this.syncCallsInFlight = syncCallsInFlight;
        this.clockMs = clockMs;
        this.usernamePrefix = usernamePrefix.toLowerCase(Locale.ROOT);
        this.usernameFromEmail = "email".equals(usernameFrom);
        this.idnumberPrefix = idnumberPrefix;
    }

    /** One reconcile: where it is in the record and what it read. Lives on one exchange. */
    public static final class Run {
        private final long id;
        private long lastUserId;
        private boolean moreAccounts = true;
        private long lastMoodleCourseId;
        private boolean moreCourses = true;
        private List<Map<String, Object>> accountPage = List.of();
        private List<Map<String, Object>> coursePage = List.of();
        private List<CourseRead> liveCourses = List.of();
        /** Moodle user ids whose account is deleted, replaced or suspended: their enrolments are not compared. */
        private final Set<Long> accountsAside = new HashSet<>();
        private int accounts;
        private int courses;
        private int enrolments;
        private int moodleCalls;
        private int findings;

        Run(long id) {
            this.id = id;
        }

        public long getId() {
            return id;
        }

        public long getLastUserId() {
            return lastUserId;
        }

        public boolean isMoreAccounts() {
            return moreAccounts;
        }

        public long getLastMoodleCourseId() {
            return lastMoodleCourseId;
        }

        public boolean isMoreCourses() {
            return moreCourses;
        }

        public List<CourseRead> getLiveCourses() {
            return liveCourses;
        }

        public int getAccounts() {
            return accounts;
        }

        public int getCourses() {
            return courses;
        }

        public int getEnrolments() {
            return enrolments;
        }

        public int getMoodleCalls() {
            return moodleCalls;
        }

        public int getFindings() {
            return findings;
        }

        /** What the run did, for its row (sql/drift/finish-reconcile.sql) and the log. */
        public Map<String, Object> getSummary() {
            Map<String, Object> row = new HashMap<>();
            row.put("id", id);
            row.put("accounts", accounts);
            row.put("courses", courses);
            row.put("enrolments", enrolments);
            row.put("moodle_calls", moodleCalls);
            row.put("findings", findings);
            return row;
        }
    }

    /** One live Moodle course being read: the integration's enrolments there and the user ids Moodle lists. */
    public static final class CourseRead {
        private final long moodleCourseId;
        private final String name;
        private List<Map<String, Object>> records = List.of();
        private final Set<Long> enrolled = new HashSet<>();
        private final Set<Long> suspended = new HashSet<>();
        private int from;
        private boolean readingSuspended;
        private boolean more;

        CourseRead(long moodleCourseId, String name) {
            this.moodleCourseId = moodleCourseId;
            this.name = name;
        }

        public long getMoodleCourseId() {
            return moodleCourseId;
        }

        public boolean isMore() {
            return more;
        }
    }

    /**
     * Before each of its calls the reconcile gives way to the sync: while the sync is busy (a call in flight, or one
     * within two poll periods) it waits, at most drift.yield-max-ms, so a first sync beside it is hardly slowed and
     * the reconcile still ends.
     */
    public void yieldToSync() throws InterruptedException {
        long start = clockMs.getAsLong();
        while (syncCallsInFlight.getAsInt() > 0 && clockMs.getAsLong() - start < settings.yieldMaxMs()) {
            Thread.sleep(YIELD_CHECK_MS);
        }
    }

    /** How often a waiting reconcile looks whether the sync's calls are done. */
    static final long YIELD_CHECK_MS = 20;

    /** The run just begun (sql/drift/begin-reconcile.sql's row), or null when another instance's is running. */
    public Run begin(List<Map<String, Object>> rows) {
        if (rows == null || rows.isEmpty()) {
            return null;
        }
        return new Run(((Number) rows.get(0).get("id")).longValue());
    }

    // ---- Accounts ------------------------------------------------------------------------------------------------

    /** One look-up by id of a page of users (sql/drift/select-accounts.sql); null when the page is empty. */
    public MoodleCall accountsCall(Run run, List<Map<String, Object>> page) {
        run.accountPage = page;
        run.moreAccounts = page.size() >= settings.pageSize();
        if (page.isEmpty()) {
            return null;
        }
        run.lastUserId = id(page.get(page.size() - 1), "user_id");
        List<Long> ids = page.stream().map(row -> id(row, "moodle_user_id")).distinct().toList();
        run.moodleCalls++;
        return new MoodleCall(USERS_BY_FIELD, Map.of("field", "id", "values", ids));
    }

    /** Each account of the page as Moodle holds it under the written-back id. */
    public List<Map<String, Object>> accountsRead(Run run, JsonNode answer) {
        Map<Long, JsonNode> byId = new HashMap<>();
        for (JsonNode user : answer) {
            byId.put(user.path("id").asLong(), user);
        }
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Map<String, Object> row : run.accountPage) {
            run.accounts++;
            long moodleId = id(row, "moodle_user_id");
            JsonNode account = byId.get(moodleId);
            String who = person(row);
            DriftKind kind = null;
            String detail = null;
            if (account == null) {
                kind = DriftKind.ACCOUNT_DELETED;
                detail = "Moodle has no account under id " + moodleId + " any more.";
            } else if (!isOurs(account, row) && isDeleted(account)) {
                kind = DriftKind.ACCOUNT_DELETED;
                detail = "The Moodle account (id " + moodleId + ") was deleted in Moodle: Moodle renamed it to "
                        + account.path("username").asText() + ".";
            } else if (!isOurs(account, row)) {
                kind = DriftKind.ACCOUNT_REPLACED;
                detail = "Moodle id " + moodleId + " now holds another account: " + account.path("fullname").asText()
                        + " (username " + account.path("username").asText() + ").";
            } else if (account.path("suspended").asBoolean(false)) {
                kind = DriftKind.ACCOUNT_SUSPENDED;
                detail = "The Moodle account (id " + moodleId + ", username " + account.path("username").asText()
                        + ") was suspended in Moodle: the learner cannot log in.";
            }
            if (kind != null) {
                run.accountsAside.add(moodleId);
                Map<String, Object> finding = finding(run, kind, kind.key() + ":" + id(row, "user_id"), who, detail);
                finding.put("user_id", id(row, "user_id"));
                finding.put("moodle_user_id", moodleId);
                findings.add(finding);
            }
        }
        run.accountPage = List.of();
        return findings;
    }

    /** The account is the one the integration made or adopted: its ID number or its username says so. */
    private boolean isOurs(JsonNode account, Map<String, Object> row) {
        String idnumber = account.path("idnumber").asText("");
        String username = account.path("username").asText("");
        return idnumber.equals(Long.toString(id(row, "user_id"))) || username.equals(expectedUsername(row));
    }

    private static boolean isDeleted(JsonNode account) {
        return DELETED_USERNAME.matcher(account.path("username").asText("")).matches()
                && account.path("idnumber").asText("").isEmpty();
    }

    /** The username the integration gives the user (UserMapper): the prefix and the ID, or the email. */
    private String expectedUsername(Map<String, Object> row) {
        if (usernameFromEmail) {
            Object email = row.get("email");
            return email == null ? "" : email.toString().trim().toLowerCase(Locale.ROOT);
        }
        return (usernamePrefix + id(row, "user_id")).toLowerCase(Locale.ROOT);
    }

    // ---- Courses -------------------------------------------------------------------------------------------------

    /** One look-up by ids of a page of Moodle courses (sql/drift/select-courses.sql); null when the page is empty. */
    public MoodleCall coursesCall(Run run, List<Map<String, Object>> page) {
        run.coursePage = page;
        run.moreCourses = page.size() >= settings.pageSize();
        run.liveCourses = List.of();
        if (page.isEmpty()) {
            return null;
        }
        run.lastMoodleCourseId = id(page.get(page.size() - 1), "moodle_course_id");
        String ids = page.stream().map(row -> Long.toString(id(row, "moodle_course_id")))
                .collect(Collectors.joining(","));
        run.moodleCalls++;
        return new MoodleCall(COURSES_BY_FIELD, Map.of("field", "ids", "value", ids));
    }

    /** Each course of the page as Moodle holds it; those still there are read next (getLiveCourses). */
    public List<Map<String, Object>> coursesRead(Run run, JsonNode answer) {
        Map<Long, JsonNode> byId = new HashMap<>();
        for (JsonNode course : answer.path("courses")) {
            byId.put(course.path("id").asLong(), course);
        }
        List<Map<String, Object>> findings = new ArrayList<>();
        List<CourseRead> live = new ArrayList<>();
        for (Map<String, Object> row : run.coursePage) {
            run.courses++;
            long moodleId = id(row, "moodle_course_id");
            String name = text(row, "course_name", "Moodle course " + moodleId);
            Long created = row.get("created_course_id") == null ? null : id(row, "created_course_id");
            JsonNode course = byId.get(moodleId);
            DriftKind kind = null;
            String detail = null;
            if (course == null) {
                kind = DriftKind.COURSE_DELETED;
                detail = "Moodle has no course under id " + moodleId + " any more: it was deleted (or restored from a"
                        + " backup under another id)." + (created == null ? " Its Moodle ID was typed in accessplanit:"
                        + " type the new one there, or restore the course in Moodle." : "");
            } else if (created != null && !course.path("idnumber").asText("").equals(idnumberPrefix + created)) {
                kind = DriftKind.COURSE_REPLACED;
                detail = "Moodle id " + moodleId + " now holds another course: " + course.path("fullname").asText()
                        + " (ID number " + course.path("idnumber").asText("none") + ").";
            }
            if (kind != null) {
                Map<String, Object> finding = finding(run, kind, kind.key() + ":" + moodleId, name, detail);
                finding.put("course_id", created);
                finding.put("moodle_course_id", moodleId);
                findings.add(finding);
            } else {
                live.add(new CourseRead(moodleId, name));
            }
        }
        run.coursePage = List.of();
        run.liveCourses = live;
        return findings;
    }

    // ---- Enrolments ----------------------------------------------------------------------------------------------

    /** The integration's enrolments at rest on this course (sql/drift/select-enrolments.sql). */
    public void records(CourseRead course, List<Map<String, Object>> rows) {
        course.records = rows;
        course.from = 0;
        course.readingSuspended = false;
        course.more = !rows.isEmpty();
    }

    /**
     * The next page of the course's enrolled users (ids only): all of them, then the suspended ones
     * (onlysuspended, Moodle 3.11 and later). Teachers and other enrolment methods are listed too, and never compared.
     */
    public MoodleCall enrolledUsersCall(Run run, CourseRead course) {
        List<Map<String, Object>> options = new ArrayList<>();
        options.add(option("userfields", "id"));
        if (course.readingSuspended) {
            options.add(option("onlysuspended", "1"));
        }
        options.add(option("limitfrom", Integer.toString(course.from)));
        options.add(option("limitnumber", Integer.toString(settings.usersPerCall())));
        run.moodleCalls++;
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("courseid", course.moodleCourseId);
        parameters.put("options", options);
        return new MoodleCall(ENROLLED_USERS, parameters);
    }

    public void enrolledUsersRead(CourseRead course, JsonNode answer) {
        Set<Long> into = course.readingSuspended ? course.suspended : course.enrolled;
        for (JsonNode user : answer) {
            into.add(user.path("id").asLong());
        }
        if (answer.size() >= settings.usersPerCall()) {
            course.from += answer.size();
        } else if (!course.readingSuspended) {
            course.readingSuspended = true;
            course.from = 0;
        } else {
            course.more = false;
        }
    }

    /** The course's enrolments compared; what was read of it is let go. */
    public List<Map<String, Object>> enrolmentFindings(Run run, CourseRead course) {
        List<Map<String, Object>> findings = new ArrayList<>();
        for (Map<String, Object> record : course.records) {
            run.enrolments++;
            long moodleUser = id(record, "moodle_user_id");
            if (run.accountsAside.contains(moodleUser)) {
                continue;
            }
            String state = String.valueOf(record.get("record_state"));
            boolean bookingActive = Boolean.TRUE.equals(record.get("booking_active"));
            boolean enrolled = course.enrolled.contains(moodleUser);
            boolean suspended = course.suspended.contains(moodleUser);
            String who = person(record) + " on " + course.name;
            DriftKind kind = null;
            String detail = null;
            if (!enrolled) {
                kind = DriftKind.ENROLMENT_MISSING;
                detail = "Moodle no longer lists the learner in Moodle course " + course.moodleCourseId
                        + ": the enrolment the integration made was removed in Moodle, so the learner has no access.";
            } else if (state.equals("ACTIVE") && suspended && bookingActive) {
                kind = DriftKind.ENROLMENT_SUSPENDED;
                detail = "The enrolment in Moodle course " + course.moodleCourseId + " was suspended in Moodle while"
                        + " the booking is active: the learner cannot enter the course.";
            } else if (state.equals("SUSPENDED") && !suspended && !bookingActive) {
                kind = DriftKind.ENROLMENT_REACTIVATED;
                detail = "The enrolment in Moodle course " + course.moodleCourseId + " was made active again in"
                        + " Moodle although the booking is cancelled.";
            }
            if (kind != null) {
                Map<String, Object> finding = finding(run, kind, kind.key() + ":" + id(record, "enrolment_id"), who,
                        detail);
                finding.put("enrolment_id", id(record, "enrolment_id"));
                finding.put("delegate_id", record.get("delegate_id"));
                finding.put("user_id", record.get("user_id"));
                finding.put("moodle_user_id", moodleUser);
                finding.put("moodle_course_id", course.moodleCourseId);
                finding.put("record_state", state);
                finding.put("read_at", record.get("read_at"));
                findings.add(finding);
            }
        }
        course.records = List.of();
        course.enrolled.clear();
        course.suspended.clear();
        return findings;
    }

    /** Why a reconcile stopped, for its row and the status page: what Moodle (or the database) said, unwrapped. */
    public String stoppedBecause(Throwable failure) {
        Throwable root = failure;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == null ? null : root.getMessage();
        return message == null || message.isBlank()
                ? (root == null ? "unknown failure" : root.getClass().getSimpleName()) : message;
    }

    // ---- Rows ----------------------------------------------------------------------------------------------------

    private Map<String, Object> finding(Run run, DriftKind kind, String key, String subject, String detail) {
        run.findings++;
        Map<String, Object> row = new HashMap<>();
        row.put("run_id", run.id);
        row.put("kind", kind.key());
        row.put("key", key);
        row.put("subject", subject);
        row.put("detail", detail);
        row.put("action", settings.repairs(kind) ? "REPAIR" : "REPORTED");
        for (String column : List.of("enrolment_id", "delegate_id", "user_id", "course_id", "moodle_user_id",
                "moodle_course_id", "record_state", "read_at")) {
            row.put(column, null);
        }
        return row;
    }

    /** A learner as people know them: name and email. */
    private static String person(Map<String, Object> row) {
        String name = (text(row, "forenames", "") + " " + text(row, "surname", "")).trim();
        String email = text(row, "email", "");
        if (name.isEmpty()) {
            name = row.get("user_id") == null ? "A learner no longer in accessplanit" : "User " + row.get("user_id");
        }
        return email.isEmpty() ? name : name + " (" + email + ")";
    }

    private static Map<String, Object> option(String name, String value) {
        Map<String, Object> option = new LinkedHashMap<>();
        option.put("name", name);
        option.put("value", value);
        return option;
    }

    private static long id(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    private static String text(Map<String, Object> row, String column, String otherwise) {
        Object value = row.get(column);
        return value == null || value.toString().isBlank() ? otherwise : value.toString();
    }
}
