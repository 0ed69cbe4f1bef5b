package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.moodle.MoodleConfigurationException;
import org.apitmoodle.moodle.SyncFailure;

/**
 * accessplanit users to Moodle's core_user_create_users, and Moodle's answer back to the user ids to write
 * to accessplanit.
 *
 * <p>username = username prefix + user ID in lower case (or, with username-from email, the email in lower case),
 * idnumber = user ID, auth = moodle.user.auth, and the user's Moodle fields as fields/user.sql selects them
 * (firstname, lastname, email ... see {@link MoodleFields}). With auth manual,
 * createpassword=1 so Moodle makes a password and mails the login; with a single sign-on plugin no password is sent
 * and Moodle mails nothing.
 */
public final class UserMapper implements SyncMapper {

    /** Moodle's user name, email and names columns hold 100 characters. */
    static final int FIELD_MAX = 100;

    /** What Moodle accepts as a username (PARAM_USERNAME): it rejects anything else rather than cleaning it. */
    static final Pattern MOODLE_USERNAME = Pattern.compile("[a-z0-9_.@-]+");

    /** The values of moodle.user.username-from. */
    public static final Set<String> USERNAME_FROM = Set.of("id", "email");

    /** What Moodle accepts as an auth plugin's name (PARAM_PLUGIN). */
    static final Pattern PLUGIN_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final String usernamePrefix;
    private final String auth;
    private final boolean usernameFromEmail;
    private final boolean allowAccountsSameEmail;
    private final boolean extendedUsernameChars;
    /**
     * Whether Moodle has created an account with {@link #auth} since start: until then, a user Moodle refuses may
     * be refused for the plugin (not installed on the site), which no record can fix.
     */
    private final AtomicBoolean authAccepted = new AtomicBoolean();
    /** The users Moodle refused alone while it had not yet taken an account with {@link #auth}. */
    private final Set<Long> refusedAlone = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Manual accounts named by prefix and user ID, as accessplanit's own module makes them. */
    public UserMapper(String usernamePrefix) {
        this(usernamePrefix, "manual", "id");
    }

    /** {@code auth}: moodle.user.auth; {@code usernameFrom}: moodle.user.username-from, id or email. */
    public UserMapper(String usernamePrefix, String auth, String usernameFrom) {
        this(usernamePrefix, auth, usernameFrom, false);
    }

    /**
     * {@code allowAccountsSameEmail}: moodle.allow-accounts-same-email, whether the Moodle site lets two accounts share
     * an email (Moodle's allowaccountssameemail); when not, an email Moodle holds for another account is refused here,
     * before any create.
     */
    public UserMapper(String usernamePrefix, String auth, String usernameFrom, boolean allowAccountsSameEmail) {
        this(usernamePrefix, auth, usernameFrom, allowAccountsSameEmail, false);
    }

    /**
     * {@code extendedUsernameChars}: moodle.extended-username-chars, whether the site allows any character in a
     * username (Moodle's extendedusernamechars), as plus addressing in emails needs with usernames from emails.
     */
    public UserMapper(String usernamePrefix, String auth, String usernameFrom, boolean allowAccountsSameEmail,
            boolean extendedUsernameChars) {
        this.extendedUsernameChars = extendedUsernameChars;
        this.usernamePrefix = usernamePrefix;
        this.auth = auth;
        this.usernameFromEmail = "email".equals(usernameFrom);
        this.allowAccountsSameEmail = allowAccountsSameEmail;
    }

    /**
     * Why Moodle could never create accounts with this auth plugin name; null when it may. Checked once at start-up.
     * create_users refuses mnet and webservice accounts, and a nologin account without a password (transcript 287).
     */
    public static String authProblem(String auth) {
        if (!PLUGIN_NAME.matcher(auth).matches()) {
            return "must be the name of a Moodle authentication plugin (lower-case letters, digits and _), such as"
                    + " manual, oauth2, saml2, ldap, cas or shibboleth";
        }
        if (Set.of("nologin", "mnet", "webservice").contains(auth)) {
            return "cannot be " + auth + ", as Moodle's web services never create such accounts (use manual, or the"
                    + " plugin your learners sign in with: oauth2, saml2, ldap, cas, shibboleth ...)";
        }
        return null;
    }

    /**
     * Moodle's internal plugins keep a Moodle password: create_users refuses such an account without one, so
     * Moodle makes it (createpassword) and mails the login. Every other plugin signs learners in elsewhere.
     */
    static final Set<String> PASSWORD_PLUGINS = Set.of("manual", "email", "none");

    /** Whether accounts are Moodle-password accounts (Moodle makes the password and mails the login). */
    boolean hasMoodlePassword() {
        return PASSWORD_PLUGINS.contains(auth);
    }

    static final String LOOK_UP_FUNCTION = "core_user_get_users_by_field";

    @Override
    public Map<String, Object> request(List<Map<String, Object>> users) {
        return createUsersRequest(users);
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> users, JsonNode answer) {
        return createdUsers(users, answer);
    }

    /** When custom profile fields were sent, the users made read back, to see what Moodle kept. */
    @Override
    public List<MoodleCall> checks(List<Map<String, Object>> users, JsonNode answer) {
        if (users.stream().noneMatch(user -> MoodleFields.USERS.hasCustomValues(MoodleFields.USERS.of(user)))) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        answer.forEach(created -> ids.add(created.path("id").asLong()));
        return MoodleFields.USERS.readBack(ids);
    }

    /**
     * A value Moodle did not keep is not noted as sent: the user is made and written back, and the update of
     * changed users sends it again, and dead-letters the user with a sentence if Moodle drops it again.
     */
    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> users, JsonNode answer,
            List<JsonNode> checkAnswers) {
        List<Map<String, Object>> rows = createdUsers(users, answer);
        if (checkAnswers.isEmpty()) {
            return rows;
        }
        MoodleFields.USERS.noteKept(users, rows, MoodleFields.USERS::of, MoodleFields.USERS.kept(checkAnswers.get(0)),
                "user_id");
        return rows;
    }

    /**
     * One look-up of the whole batch by username; and, on a site that allows one account per email, one by email:
     * Moodle checks that an email is unused by reading, then inserting, so two calls at once could both pass.
     */
    @Override
    public List<MoodleCall> lookUps(List<Map<String, Object>> users) {
        if (allowAccountsSameEmail) {
            return List.of(new MoodleCall(LOOK_UP_FUNCTION, lookUpRequest(users)));
        }
        return List.of(new MoodleCall(LOOK_UP_FUNCTION, lookUpRequest(users)),
                new MoodleCall(LOOK_UP_FUNCTION, emailLookUpRequest(users)));
    }

    @Override
    public List<Map<String, Object>> adopted(List<Map<String, Object>> users, List<JsonNode> lookUpAnswers) {
        List<Map<String, Object>> adopted = new ArrayList<>(alreadyInMoodle(users, lookUpAnswers.get(0)));
        if (lookUpAnswers.size() > 1) {
            adopted.addAll(emailsTaken(users, adopted, lookUpAnswers.get(1)));
        }
        return adopted;
    }

    /** The parameters of one core_user_get_users_by_field call that looks up these users' emails. */
    Map<String, Object> emailLookUpRequest(List<Map<String, Object>> users) {
        java.util.Set<String> emails = new java.util.LinkedHashSet<>();
        for (Map<String, Object> user : users) {
            String email = Records.text(user, "email");
            if (email != null) {
                // Moodle's look-up matches the email exactly; its duplicate check ignores case.
                emails.add(email);
                emails.add(email.toLowerCase(Locale.ROOT));
            }
        }
        return Map.of("field", "email", "values", List.copyOf(emails));
    }

    /**
     * Users (not adopted already) whose email Moodle holds for an account: the account is theirs when it carries
     * their ID number (adopted: rows of user_id and moodle_id); another person's is refused before any create, naming
     * that account, as Moodle would refuse the create.
     */
    List<Map<String, Object>> emailsTaken(List<Map<String, Object>> users, List<Map<String, Object>> adopted,
            JsonNode found) {
        java.util.Set<Long> done = new java.util.HashSet<>();
        adopted.forEach(row -> done.add(Records.id(row, "user_id")));
        List<Map<String, Object>> theirs = new ArrayList<>();
        for (Map<String, Object> user : users) {
            long id = Records.id(user, "user_id");
            String email = Records.text(user, "email");
            if (done.contains(id) || email == null) {
                continue;
            }
            for (JsonNode moodleUser : found) {
                if (!email.equalsIgnoreCase(moodleUser.path("email").asText())) {
                    continue;
                }
                if (Long.toString(id).equals(moodleUser.path("idnumber").asText(""))) {
                    theirs.add(Map.of("user_id", id, "moodle_id", moodleUser.path("id").asLong()));
                    break;
                }
                throw new BadRecordException("emailtaken", "The email address " + email + " is already used by the"
                        + " Moodle account " + moodleUser.path("username").asText() + " (Moodle user id "
                        + moodleUser.path("id").asLong() + ", " + moodleUser.path("fullname").asText() + "), and this"
                        + " Moodle site allows one account per email. Give this user their own email in accessplanit,"
                        + " or remove the other account in Moodle, then replay.").forRecord(user, moodleUser(user));
            }
        }
        return theirs;
    }

    /** The parameters of one core_user_create_users call for these users. */
    public Map<String, Object> createUsersRequest(List<Map<String, Object>> users) {
        Map<String, Object> request = Records.request("users", users, this::moodleUser);
        checkOneAccountPerEmail(users);
        return request;
    }

    /**
     * One user of the call: what the integration sets (username, auth, createpassword, idnumber), then the user's
     * Moodle fields as the SQL selected them (fields/user.sql), each checked by Moodle's rule.
     */
    Map<String, Object> moodleUser(Map<String, Object> user) {
        long id = Records.id(user, "user_id");
        Map<String, Object> moodle = new LinkedHashMap<>();
        moodle.put("username", username(user));
        moodle.put("auth", auth);
        if (hasMoodlePassword()) {
            moodle.put("createpassword", 1);
        }
        moodle.put("idnumber", Long.toString(id));
        Map<String, Object> fields = MoodleFields.USERS.of(user);
        try {
            // The three Moodle needs, with their own sentences, before each column by its rule.
            Map<String, Object> named = new LinkedHashMap<>(moodle);
            named.put("firstname", Records.text(user, "firstname"));
            named.put("lastname", Records.text(user, "lastname"));
            named.put("email", Records.text(user, "email"));
            check(named);
            checkUsername((String) moodle.get("username"), extendedUsernameChars);
            MoodleFields.USERS.put(fields, moodle);
        } catch (BadRecordException e) {
            throw e.forRecord(user, moodle);
        }
        return moodle;
    }

    /**
     * With usernames from emails, two users of one batch with one email would both ask for one Moodle account:
     * the later one is refused here, so it is retried alone after the other and meets the other's account.
     */
    private void checkOneAccountPerEmail(List<Map<String, Object>> users) {
        if (!usernameFromEmail) {
            return;
        }
        Map<String, Long> userIdByUsername = new LinkedHashMap<>();
        for (Map<String, Object> user : users) {
            long id = Records.id(user, "user_id");
            Long other = userIdByUsername.putIfAbsent(username(user), id);
            if (other != null) {
                throw new BadRecordException("emailshared", "The user has the same email as accessplanit user "
                        + other + " (" + username(user) + "); with moodle.user.username-from=email the username is the"
                        + " email, so only one of them can have a Moodle account.").forRecord(user, moodleUser(user));
            }
        }
    }

    /** What Moodle would reject for the whole call, found before sending it. */
    private static void check(Map<String, Object> moodle) {
        String forenames = Records.required(moodle, "firstname", "noforenames", "The user has no forenames.");
        String surname = Records.required(moodle, "lastname", "nosurname", "The user has no surname.");
        String email = Records.required(moodle, "email", "noemail",
                "The user has no email address; Moodle needs one to send the login.");
        Records.maxLength(forenames, FIELD_MAX, "forenamestoolong", "The user's forenames");
        Records.maxLength(surname, FIELD_MAX, "surnametoolong", "The user's surname");
        Records.maxLength(email, FIELD_MAX, "emailtoolong", "The user's email address");
        // Moodle's validate_email() rejects the whole call for one address it does not like.
        if (!MoodleRules.isValidEmail(email)) {
            throw new BadRecordException("invalidemail", "The user's email address '" + email + "' is not one Moodle"
                    + " accepts: Moodle refuses accented letters and spaces, more than 64 characters before the @,"
                    + " and a domain not written like example.org. Correct it in accessplanit, then replay.");
        }
        // firstname and lastname are PARAM_NOTAGS in core_user_create_users.
        Records.noMarkup(forenames, "markupinforenames", "The user's forenames");
        Records.noMarkup(surname, "markupinsurname", "The user's surname");
    }

    /**
     * Moodle's rule for a username (PARAM_USERNAME): only a-z 0-9 _ . @ - unless the site allows extended
     * characters (extendedusernamechars), when it takes any. Moodle would refuse the whole call for one.
     */
    static void checkUsername(String username, boolean extendedUsernameChars) {
        if (extendedUsernameChars ? username.isBlank() : !MOODLE_USERNAME.matcher(username).matches()) {
            throw new BadRecordException("invalidusername", "The Moodle username '" + username + "' (made from the"
                    + " email, moodle.user.username-from=email) holds characters Moodle takes in a username only when"
                    + " its \"Allow extended characters in usernames\" (extendedusernamechars) is on; otherwise only"
                    + " a-z 0-9 _ . @ - (so a '+' of plus addressing is refused). Turn it on in Moodle (Site"
                    + " administration > Security > Site security settings) and set moodle.extended-username-chars=true,"
                    + " or give the learner another email in accessplanit, then replay.");
        }
    }

    /** The parameters of one core_user_get_users_by_field call that looks up these users by their usernames. */
    public Map<String, Object> lookUpRequest(List<Map<String, Object>> users) {
        List<String> usernames = new ArrayList<>();
        for (Map<String, Object> user : users) {
            usernames.add(username(user));
        }
        return Map.of("field", "username", "values", usernames);
    }

    /**
     * The users of the batch that are in Moodle already (created by an earlier attempt whose answer never came
     * back): rows of user_id and moodle_id, ready to be written back instead of creating them twice. A username
     * held by someone else (another ID number, and another email) is a record Moodle can never take.
     *
     * <p>With usernames from emails, the account may also be one the learner made by signing in before being
     * booked: it has no ID number, and its username is the learner's email, so it is theirs and is adopted. An
     * account whose ID number is another accessplanit user's belongs to that user (one email, two users): refused.
     */
    public List<Map<String, Object>> alreadyInMoodle(List<Map<String, Object>> users, JsonNode found) {
        Map<String, JsonNode> byUsername = new LinkedHashMap<>();
        for (JsonNode moodleUser : found) {
            byUsername.put(moodleUser.path("username").asText(), moodleUser);
        }
        List<Map<String, Object>> adopted = new ArrayList<>();
        for (Map<String, Object> user : users) {
            long id = Records.id(user, "user_id");
            JsonNode moodleUser = byUsername.get(username(user));
            if (moodleUser == null) {
                continue;
            }
            if (usernameFromEmail && !isSameLearner(id, moodleUser)) {
                throw new BadRecordException("emailshared", "The Moodle account " + username(user) + " (Moodle user"
                        + " id " + moodleUser.path("id").asLong() + ", " + moodleUser.path("fullname").asText()
                        + ") has the ID number " + moodleUser.path("idnumber").asText() + ", not this user's: with"
                        + " moodle.user.username-from=email the username is the email, and another person (accessplanit"
                        + " user " + moodleUser.path("idnumber").asText() + ") has this email. Give one of them another"
                        + " email in accessplanit, then replay.").forRecord(user, moodleUser(user));
            }
            if (!usernameFromEmail && !isSamePerson(id, Records.text(user, "email"), moodleUser)) {
                throw new BadRecordException("usernametaken", "The Moodle username " + username(user)
                        + " is already used by another person in Moodle (Moodle user id " + moodleUser.path("id").asLong()
                        + ", " + moodleUser.path("fullname").asText() + "): rename or remove that Moodle account,"
                        + " then replay.").forRecord(user, moodleUser(user));
            }
            adopted.add(savedRow(user, moodleUser.path("id").asLong()));
        }
        return adopted;
    }

    /** Username from email: the account is the learner's unless it carries another ID number. */
    private static boolean isSameLearner(long id, JsonNode moodleUser) {
        String idnumber = moodleUser.path("idnumber").asText("");
        return idnumber.isEmpty() || idnumber.equals(Long.toString(id));
    }

    private static boolean isSamePerson(long id, String email, JsonNode moodleUser) {
        String idnumber = moodleUser.path("idnumber").asText("");
        if (!idnumber.isEmpty()) {
            return idnumber.equals(Long.toString(id));
        }
        return email != null && email.equalsIgnoreCase(moodleUser.path("email").asText());
    }

    /** The Moodle username of an accessplanit user named by ID (usernames from IDs). */
    public String username(long userId) {
        return (usernamePrefix + userId).toLowerCase(Locale.ROOT);
    }

    /** The Moodle username of an accessplanit user: from the ID, or the email in lower case. */
    public String username(Map<String, Object> user) {
        if (usernameFromEmail) {
            String email = Records.text(user, "email");
            return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        }
        return username(Records.id(user, "user_id"));
    }

    /** Whether a username prefix gives usernames Moodle accepts; checked once at start-up. */
    public static boolean isValidPrefix(String prefix) {
        return MOODLE_USERNAME.matcher(prefix.toLowerCase(Locale.ROOT) + "0").matches();
    }

    /**
     * Pairs Moodle's answer ({@code [{"id":..,"username":..}]}) with the users sent:
     * rows of user_id and moodle_id, ready to be written back.
     */
    public List<Map<String, Object>> createdUsers(List<Map<String, Object>> users, JsonNode answer) {
        Map<String, Long> moodleIdByUsername = new LinkedHashMap<>();
        for (JsonNode created : answer) {
            moodleIdByUsername.put(created.path("username").asText(), created.path("id").asLong());
        }
        List<Map<String, Object>> saved = new ArrayList<>();
        if (!users.isEmpty()) {
            authAccepted.set(true);
        }
        for (Map<String, Object> user : users) {
            long id = Records.id(user, "user_id");
            Long moodleId = moodleIdByUsername.get(username(user));
            if (moodleId == null) {
                throw new IllegalStateException("Moodle's answer does not name user " + username(user) + ": " + answer);
            }
            saved.add(savedRow(user, moodleId));
        }
        return saved;
    }

    /**
     * Moodle refused a core_user_create_users call for one user with {@code invalidparameter}. With a single
     * sign-on plugin that Moodle has not yet taken since start, the plugin may be the cause (Moodle answers an auth
     * plugin the site does not have exactly as a bad record, transcript 288), or the record may: one refusal cannot
     * tell. So the first user refused alone is the record's (dead-lettered, its sentence naming the setting as the
     * other possible cause), and a second, other user refused alone before Moodle took any account with the plugin
     * is the evidence that it is the plugin: a configuration error that pauses sending, with a sentence naming the
     * setting. No single record can pause the sync, however often the integration restarts.
     */
    @Override
    public SyncFailure refusedCall(List<Map<String, Object>> users, SyncFailure failure) {
        if (hasMoodlePassword() || users.size() != 1 || authAccepted.get() || !(failure instanceof BadRecordException)
                || !"invalidparameter".equals(failure.getErrorCode())) {
            return failure;
        }
        long userId = Records.id(users.get(0), "user_id");
        refusedAlone.add(userId);
        if (refusedAlone.size() < 2) {
            return new BadRecordException(failure.getErrorCode(), failure.getMessage() + ". If the record is right,"
                    + " check moodle.user.auth ('" + auth + "'): Moodle refuses every user like this when the site does"
                    + " not have that authentication plugin; the integration pauses sending if a second user is refused"
                    + " so.");
        }
        // A setting Moodle refuses, like a wrong category or role: one pause naming it, until a restart reads it again.
        return new MoodleConfigurationException("authnotaccepted", "Moodle refused to create users with the"
                + " authentication plugin '" + auth + "' and has not created any with it yet: check that the plugin is"
                + " installed and enabled on the Moodle site, or set moodle.user.auth (environment variable"
                + " MOODLE_USER_AUTH) to the plugin your learners sign in with (Moodle gave no reason: '"
                + failure.getMessage() + "'; refused alone: users " + new java.util.TreeSet<>(refusedAlone)
                + " in accessplanit)", false, "moodle.user.auth");
    }

    /**
     * A row to write back: user_id and moodle_id, and the Moodle fields sent, which save-user-moodle-id.sql notes
     * as what Moodle holds (user_sent), so only later changes are sent with core_user_update_users.
     */
    private static Map<String, Object> savedRow(Map<String, Object> user, long moodleId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", Records.id(user, "user_id"));
        row.put("moodle_id", moodleId);
        // As the SQL selected them (not stripped), so the comparison in waiting/user-update.sql finds no change.
        row.put(MoodleFields.SENT_FIELDS, MoodleFields.json(MoodleFields.USERS.of(user)));
        return row;
    }
}
