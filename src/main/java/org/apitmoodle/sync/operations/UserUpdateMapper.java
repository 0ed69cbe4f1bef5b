package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apitmoodle.moodle.BadRecordException;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.moodle.MoodleWarningException;

/**
 * Changed Moodle fields of users in Moodle (fields/user.sql: forenames, surname, email and whatever columns an
 * engineer adds) to core_user_update_users. Only the fields that changed since Moodle was last sent them are sent
 * (rows of claim-user-updates.sql carry both: sent_fields), so what a learner or an
 * administrator changed in Moodle in the other fields is never overwritten. The user is found by Moodle id, so the
 * account stays linked when the email changes.
 *
 * <p>Moodle reports a duplicate or invalid email, or an unknown user id, as a warning for that user in a
 * successful answer, and applies the rest of the batch (transcripts 169, 170, 175, 179): that user is
 * dead-lettered alone, with a sentence.
 */
public final class UserUpdateMapper implements SyncMapper {

    /** moodle.user.username-from=email: the username is the email, so a changed email changes the username too. */
    private final boolean usernameFromEmail;
    private final boolean extendedUsernameChars;

    public UserUpdateMapper() {
        this(false);
    }

    /**
     * {@code usernameFromEmail}: with single sign-on by email, the learner signs in under the new email, so the
     * account's username follows it and the link holds.
     */
    public UserUpdateMapper(boolean usernameFromEmail) {
        this(usernameFromEmail, false);
    }

    /** {@code extendedUsernameChars}: moodle.extended-username-chars (see {@link UserMapper#checkUsername}). */
    public UserUpdateMapper(boolean usernameFromEmail, boolean extendedUsernameChars) {
        this.usernameFromEmail = usernameFromEmail;
        this.extendedUsernameChars = extendedUsernameChars;
    }

    @Override
    public Map<String, Object> request(List<Map<String, Object>> users) {
        return Records.request("users", users, this::moodleUser);
    }

    /** One user of the call: its Moodle id and the Moodle fields (fields/user.sql) that changed since last sent. */
    Map<String, Object> moodleUser(Map<String, Object> user) {
        Map<String, Object> moodle = new LinkedHashMap<>();
        moodle.put("id", Records.id(user, "moodle_id"));
        Map<String, Object> changed = MoodleFields.USERS.changed(MoodleFields.USERS.of(user),
                MoodleFields.sent(user));
        try {
            // What Moodle needs of a user, with their own sentences, before each column by its rule.
            if (changed.containsKey("firstname")) {
                String forenames = Records.required(user, "firstname", "noforenames", "The user has no forenames.");
                Records.maxLength(forenames, UserMapper.FIELD_MAX, "forenamestoolong", "The user's forenames");
            }
            if (changed.containsKey("lastname")) {
                String surname = Records.required(user, "lastname", "nosurname", "The user has no surname.");
                Records.maxLength(surname, UserMapper.FIELD_MAX, "surnametoolong", "The user's surname");
            }
            if (changed.containsKey("email")) {
                String email = Records.required(user, "email", "noemail", "The user has no email address.");
                Records.maxLength(email, UserMapper.FIELD_MAX, "emailtoolong", "The user's email address");
                if (!MoodleRules.isValidEmail(email)) {
                    throw new BadRecordException("invalidemail", "The user's new email address '" + email + "' is not"
                            + " one Moodle accepts. Correct it in accessplanit, then replay.");
                }
                if (usernameFromEmail) {
                    String username = email.strip().toLowerCase(java.util.Locale.ROOT);
                    UserMapper.checkUsername(username, extendedUsernameChars);
                    moodle.put("username", username);
                }
            }
            MoodleFields.USERS.put(changed, moodle);
        } catch (BadRecordException e) {
            throw e.forRecord(user, moodle);
        }
        return moodle;
    }

    /** When changed custom profile fields were sent, those users read back, to see what Moodle kept. */
    @Override
    public List<MoodleCall> checks(List<Map<String, Object>> users, JsonNode answer) {
        return MoodleFields.USERS.readBack(users.stream()
                .filter(user -> MoodleFields.USERS.hasCustomValues(changed(user)))
                .map(user -> Records.id(user, "moodle_id")).toList());
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> users, JsonNode answer,
            List<JsonNode> checkAnswers) {
        Map<Long, Map<String, Object>> dropped = dropped(users, checkAnswers);
        return written(users.stream().filter(user -> !dropped.containsKey(Records.id(user, "user_id"))).toList(),
                answer);
    }

    /** Besides Moodle's warnings, the users some of whose values Moodle did not keep, naming the columns. */
    @Override
    public List<Refusal> refused(List<Map<String, Object>> users, JsonNode answer, List<JsonNode> checkAnswers) {
        return MoodleFields.USERS.withDropped(refused(users, answer), users, "user_id", dropped(users, checkAnswers));
    }

    private static Map<String, Object> changed(Map<String, Object> user) {
        return MoodleFields.USERS.changed(MoodleFields.USERS.of(user), MoodleFields.sent(user));
    }

    /** The changed custom fields Moodle did not keep, by accessplanit user id. */
    private static Map<Long, Map<String, Object>> dropped(List<Map<String, Object>> users, List<JsonNode> checks) {
        return checks.isEmpty() ? Map.of() : MoodleFields.USERS.droppedByRecord(users, "user_id",
                UserUpdateMapper::changed, MoodleFields.USERS.kept(checks.get(0)));
    }

    /** The users Moodle updated (no warning about them), to note what was sent. */
    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> users, JsonNode answer) {
        Map<Long, JsonNode> warnings = warningsByMoodleId(answer);
        for (Map.Entry<Long, JsonNode> warning : warnings.entrySet()) {
            if (users.stream().noneMatch(user -> Records.id(user, "moodle_id") == warning.getKey())) {
                // A warning we cannot pin on a user of the batch: none of them is known to be updated.
                throw new MoodleWarningException(warning.getValue().path("warningcode").asText("unknown"),
                        "Moodle warned about something not in the batch: " + warning.getValue());
            }
        }
        return users.stream().filter(user -> !warnings.containsKey(Records.id(user, "moodle_id")))
                .map(UserUpdateMapper::noted).toList();
    }

    /** The write-back row of a user Moodle updated: its id and every Moodle field as now sent (user_sent). */
    private static Map<String, Object> noted(Map<String, Object> user) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", Records.id(user, "user_id"));
        row.put(MoodleFields.SENT_FIELDS, MoodleFields.json(MoodleFields.USERS.of(user)));
        return row;
    }

    /** The users Moodle warned about: each goes to the dead-letter queue with a sentence. */
    @Override
    public List<Refusal> refused(List<Map<String, Object>> users, JsonNode answer) {
        Map<Long, JsonNode> warnings = warningsByMoodleId(answer);
        List<Refusal> refused = new ArrayList<>();
        for (Map<String, Object> user : users) {
            long moodleId = Records.id(user, "moodle_id");
            JsonNode warning = warnings.get(moodleId);
            if (warning != null) {
                String code = warning.path("warningcode").asText("unknown");
                refused.add(new Refusal(user, new MoodleWarningException(code, sentence(code, user, moodleId,
                        warning.path("message").asText("")))));
            }
        }
        return refused;
    }

    private static String sentence(String code, Map<String, Object> user, long moodleId, String message) {
        return switch (code) {
            case "useremailduplicate" -> "Moodle did not update the user: another Moodle account already uses the email"
                    + " address '" + user.get("email") + "'. Give the user another address in accessplanit, or merge the"
                    + " accounts in Moodle, then replay.";
            case "useremailinvalid" -> "Moodle did not update the user: it finds the email address '"
                    + user.get("email") + "' not valid. Correct it in accessplanit, then replay.";
            case "invaliduserid" -> "Moodle did not update the user: it has no user with the id " + moodleId
                    + " (deleted in Moodle?). Correct the user's Moodle ID in accessplanit, then replay.";
            default -> "Moodle did not update the user (" + code + "): " + message;
        };
    }

    private static Map<Long, JsonNode> warningsByMoodleId(JsonNode answer) {
        Map<Long, JsonNode> warnings = new HashMap<>();
        for (JsonNode warning : answer.path("warnings")) {
            warnings.put(warning.path("itemid").asLong(-1), warning);
        }
        return warnings;
    }
}
