package org.apitmoodle.emulator;

/**
 * One web-service call as a function sees it: the site, the user behind the token, the validated parameters, and
 * the counts of records it creates (for the latency model).
 */
final class WsCall {

    private final MoodleSite site;
    private final User user;
    private final TokenProfile profile;
    private final String siteUrl;
    private final Params params;
    private int createdUsers;
    private int createdUsersWithPassword;
    private int reportedUsers;
    private int createdCourses;
    private int enrolments;
    /** Spends modelled time inside the call (a call that commits as it goes, such as a course copy). */
    private java.util.function.Consumer<LatencyModel.Work> spend = work -> { };

    WsCall(MoodleSite site, User user, TokenProfile profile, String siteUrl, Params params) {
        this.site = site;
        this.user = user;
        this.profile = profile;
        this.siteUrl = siteUrl;
        this.params = params;
    }

    /** Who spends the modelled time a call takes as it goes (see {@link #spend}). */
    void onSpend(java.util.function.Consumer<LatencyModel.Work> spender) {
        spend = spender;
    }

    /** Lets the modelled time of this part of the call pass (its CPU on the site's cores). */
    void spend(LatencyModel.Work work) {
        spend.accept(work);
    }

    MoodleSite site() {
        return site;
    }

    User user() {
        return user;
    }

    String siteUrl() {
        return siteUrl;
    }

    Params params() {
        return params;
    }

    /**
     * Whether the caller holds the service's capabilities. The service user's role holds all of them (but
     * moodle/site:viewuseridentity, see {@link MoodleSite#viewUserIdentity()}); a WEAK account holds none.
     */
    boolean capable() {
        return profile == TokenProfile.FULL;
    }

    /** Whether the caller sees other users' email addresses. */
    boolean seesEmails() {
        return capable() && site.viewUserIdentity();
    }

    /**
     * validate_context() on a course: require_login() lets the service user in (moodle/course:view) but not an
     * account that is neither enrolled nor capable.
     */
    void validateCourseContext() {
        if (!capable()) {
            throw MoodleException.requireLogin();
        }
    }

    /** The same in one course, where an administrator may have taken the service user's access away. */
    void validateCourseContext(long courseId) {
        validateCourseContext();
        if (capable()) {
            site.refusalIn(courseId).ifPresent(refusal -> {
                throw refusal;
            });
        }
    }

    /** A user created; with createpassword=1 Moodle hashed a generated password (bcrypt, most of the cost). */
    void createdUser(boolean withPassword) {
        createdUsers++;
        if (withPassword) {
            createdUsersWithPassword++;
        }
    }

    /** A report listed this many users. */
    void reported(int users) {
        reportedUsers += users;
    }

    int createdUsersWithPassword() {
        return createdUsersWithPassword;
    }

    int reportedUsers() {
        return reportedUsers;
    }

    void createdCourse() {
        createdCourses++;
    }

    void enrolled() {
        enrolments++;
    }

    int createdUsers() {
        return createdUsers;
    }

    int createdCourses() {
        return createdCourses;
    }

    int enrolments() {
        return enrolments;
    }
}
