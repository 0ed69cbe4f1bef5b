package org.apitmoodle.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;

/**
 * accessplanit users to Moodle's core_user_create_users, and Moodle's answer back to the user ids to write
 * to accessplanit.
 *
 * <p>username = username prefix + user ID in lower case, firstname = forenames, lastname = surname, email,
 * idnumber = user ID, auth manual, createpassword=1 so Moodle makes a password and mails the login.
 */
public final class UserMapper implements SyncMapper {

    /** Moodle's user name, email and names columns hold 100 characters. */
    static final int FIELD_MAX = 100;

    /** What Moodle accepts as a username (PARAM_USERNAME): it rejects anything else rather than cleaning it. */
    static final Pattern MOODLE_USERNAME = Pattern.compile("[a-z0-9_.@-]+");

    /** Moodle's validate_email(), which rejects the whole call for one address it does not like. */
    static final Pattern MOODLE_EMAIL = Pattern.compile(
            "^[-!#$%&'*+\\\\/0-9=?A-Z^_`a-z{|}~]+(\\.[-!#$%&'*+\\\\/0-9=?A-Z^_`a-z{|}~]+)*"
                    + "@[-!#$%&'*+\\\\/0-9=?A-Z^_`a-z{|}~]+\\.[-!#$%&'*+\\\\./0-9=?A-Z^_`a-z{|}~]+$");

    private final String usernamePrefix;

    public UserMapper(String usernamePrefix) {
        this.usernamePrefix = usernamePrefix;
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

    /** One look-up of the whole batch by username. */
    @Override
    public List<MoodleCall> lookUps(List<Map<String, Object>> users) {
        return List.of(new MoodleCall(LOOK_UP_FUNCTION, lookUpRequest(users)));
    }

    @Override
    public List<Map<String, Object>> adopted(List<Map<String, Object>> users, List<JsonNode> lookUpAnswers) {
        return alreadyInMoodle(users, lookUpAnswers.get(0));
    }

    /** The parameters of one core_user_create_users call for these users. */
    public Map<String, Object> createUsersRequest(List<Map<String, Object>> users) {
        List<Map<String, Object>> moodleUsers = new ArrayList<>();
        for (Map<String, Object> user : users) {
            moodleUsers.add(moodleUser(user));
        }
        return Map.of("users", moodleUsers);
    }

    Map<String, Object> moodleUser(Map<String, Object> user) {
        long id = Records.id(user, "user_id");
        Map<String, Object> moodle = new LinkedHashMap<>();
        moodle.put("username", username(id));
        moodle.put("firstname", Records.text(user, "forenames"));
        moodle.put("lastname", Records.text(user, "surname"));
        moodle.put("email", Records.text(user, "email"));
        moodle.put("auth", "manual");
        moodle.put("createpassword", 1);
        moodle.put("idnumber", Long.toString(id));
        try {
            check(moodle);
        } catch (BadRecordException e) {
            throw e.forRecord(user, moodle);
        }
        return moodle;
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
        if (!MOODLE_EMAIL.matcher(email).matches()) {
            throw new BadRecordException("invalidemail", "The user's email address '" + email + "' is not valid.");
        }
    }

    /** The parameters of one core_user_get_users_by_field call that looks up these users by their usernames. */
    public Map<String, Object> lookUpRequest(List<Map<String, Object>> users) {
        List<String> usernames = new ArrayList<>();
        for (Map<String, Object> user : users) {
            usernames.add(username(Records.id(user, "user_id")));
        }
        return Map.of("field", "username", "values", usernames);
    }

    /**
     * The users of the batch that are in Moodle already (created by an earlier attempt whose answer never came
     * back): rows of user_id and moodle_id, ready to be written back instead of creating them twice. A username
     * held by someone else (another ID number, and another email) is a record Moodle can never take.
     */
    public List<Map<String, Object>> alreadyInMoodle(List<Map<String, Object>> users, JsonNode found) {
        Map<String, JsonNode> byUsername = new LinkedHashMap<>();
        for (JsonNode moodleUser : found) {
            byUsername.put(moodleUser.path("username").asText(), moodleUser);
        }
        List<Map<String, Object>> adopted = new ArrayList<>();
        for (Map<String, Object> user : users) {
            long id = Records.id(user, "user_id");
            JsonNode moodleUser = byUsername.get(username(id));
            if (moodleUser == null) {
                continue;
            }
            if (!isSamePerson(id, Records.text(user, "email"), moodleUser)) {
                throw new BadRecordException("usernametaken", "The Moodle username " + username(id)
                        + " is already used by another person in Moodle (Moodle user id " + moodleUser.path("id").asLong()
                        + ", " + moodleUser.path("fullname").asText() + "): rename or remove that Moodle account,"
                        + " then replay.").forRecord(user, moodleUser(user));
            }
            adopted.add(savedRow(user, moodleUser.path("id").asLong()));
        }
        return adopted;
    }

    private static boolean isSamePerson(long id, String email, JsonNode moodleUser) {
        String idnumber = moodleUser.path("idnumber").asText("");
        if (!idnumber.isEmpty()) {
            return idnumber.equals(Long.toString(id));
        }
        return email != null && email.equalsIgnoreCase(moodleUser.path("email").asText());
    }

    /** The Moodle username of an accessplanit user. */
    public String username(long userId) {
        return (usernamePrefix + userId).toLowerCase(Locale.ROOT);
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
        for (Map<String, Object> user : users) {
            long id = Records.id(user, "user_id");
            Long moodleId = moodleIdByUsername.get(username(id));
            if (moodleId == null) {
                throw new IllegalStateException("Moodle's answer does not name user " + username(id) + ": " + answer);
            }
            saved.add(savedRow(user, moodleId));
        }
        return saved;
    }

    /**
     * A row to write back: user_id and moodle_id, and the names and email sent, which save-user-moodle-id.sql
     * notes as what Moodle holds (user_sent), so only later changes are sent with core_user_update_users.
     */
    private static Map<String, Object> savedRow(Map<String, Object> user, long moodleId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", Records.id(user, "user_id"));
        row.put("moodle_id", moodleId);
        // As accessplanit holds them (not stripped), so the comparison in waiting/user-update.sql finds no change.
        row.put("forenames", user.get("forenames"));
        row.put("surname", user.get("surname"));
        row.put("email", user.get("email"));
        return row;
    }
}
