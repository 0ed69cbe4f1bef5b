package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Enrolments the integration made whose booking was cancelled, deleted or moved away, to Moodle: suspended with
 * enrol_manual_enrol_users suspend=1 (grades and history stay), or removed with enrol_manual_unenrol_users, as
 * changes.cancelled-booking says. Records are rows of claim-cancellations.sql (enrolment_id, moodle_user_id,
 * moodle_course_id).
 *
 * <p>Moodle clears an enrolment's start and end dates when it is suspended (transcript 162), whatever dates a
 * teacher set. The Moodle web services give no way to read those dates first, so nothing but suspend=1 is sent,
 * and the README says so; a site whose teachers set enrolment dates chooses unenrol or keep.
 */
public final class CancellationMapper implements SyncMapper {

    /** What a cancelled booking does to its Moodle enrolment (changes.cancelled-booking). */
    public enum Action {
        SUSPEND("enrol_manual_enrol_users", "SUSPENDED"),
        UNENROL("enrol_manual_unenrol_users", "UNENROLLED"),
        KEEP(null, null);

        private final String moodleFunction;
        private final String state;

        Action(String moodleFunction, String state) {
            this.moodleFunction = moodleFunction;
            this.state = state;
        }

        /** The Moodle function that makes the change; null for keep. */
        public String moodleFunction() {
            return moodleFunction;
        }

        /** The setting's value: suspend, unenrol or keep. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The action named {@code key}, or null when it names none. */
        public static Action of(String key) {
            for (Action action : values()) {
                if (action.key().equals(key)) {
                    return action;
                }
            }
            return null;
        }
    }

    private final Action action;
    private final long roleId;

    public CancellationMapper(Action action, long roleId) {
        if (action == Action.KEEP) {
            throw new IllegalArgumentException("Under keep nothing is cancelled in Moodle");
        }
        this.action = action;
        this.roleId = roleId;
    }

    @Override
    public Map<String, Object> request(List<Map<String, Object>> enrolments) {
        List<Map<String, Object>> sent = new ArrayList<>();
        for (Map<String, Object> enrolment : enrolments) {
            Map<String, Object> one = new LinkedHashMap<>();
            if (action == Action.SUSPEND) {
                one.put("roleid", roleId);
            }
            one.put("userid", Records.id(enrolment, "moodle_user_id"));
            one.put("courseid", Records.id(enrolment, "moodle_course_id"));
            if (action == Action.SUSPEND) {
                one.put("suspend", 1);
            }
            sent.add(one);
        }
        return Map.of("enrolments", sent);
    }

    /** Each enrolment with the state it now has in Moodle (new_state for save-cancellation.sql). */
    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> enrolments, JsonNode answer) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> enrolment : enrolments) {
            Map<String, Object> row = new LinkedHashMap<>(enrolment);
            row.put("new_state", action.state);
            rows.add(row);
        }
        return rows;
    }
}
