package org.apitmoodle.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apitmoodle.emulator.Enrolment;
import org.apitmoodle.emulator.MoodleEmulator;
import org.apitmoodle.emulator.RecordedCall;

/** The emulator's side of enrolments: what Moodle holds, and each enrolment entry the integration sent. */
public final class MoodleEnrolments {

    private static final Pattern ENTRY = Pattern.compile("enrolments\\[(\\d+)]\\[(\\w+)]");

    private final MoodleEmulator moodle;

    public MoodleEnrolments(MoodleEmulator moodle) {
        this.moodle = moodle;
    }

    /** The enrolment of a Moodle user on a Moodle course, if Moodle has one. */
    public Optional<Enrolment> of(long userId, long courseId) {
        return moodle.site().enrolments().stream()
                .filter(e -> e.userId() == userId && e.courseId() == courseId).findFirst();
    }

    /** One enrolment entry of a call the emulator received: its function, its position among all calls, its fields. */
    public record Sent(String function, int callIndex, Map<String, String> fields) {
        public String field(String name) {
            return fields.get(name);
        }
    }

    /** Every enrolment entry sent with {@code function} for this user and course, in the order received. */
    public List<Sent> sent(String function, long userId, long courseId) {
        List<Sent> sent = new ArrayList<>();
        List<RecordedCall> calls = moodle.calls();
        for (int index = 0; index < calls.size(); index++) {
            RecordedCall call = calls.get(index);
            if (!call.wsfunction().equals(function)) {
                continue;
            }
            Map<String, Map<String, String>> entries = new LinkedHashMap<>();
            for (Map.Entry<String, String> param : call.params()) {
                Matcher entry = ENTRY.matcher(param.getKey());
                if (entry.matches()) {
                    entries.computeIfAbsent(entry.group(1), i -> new LinkedHashMap<>()).put(entry.group(2), param.getValue());
                }
            }
            for (Map<String, String> fields : entries.values()) {
                if (Long.toString(userId).equals(fields.get("userid")) && Long.toString(courseId).equals(fields.get("courseid"))) {
                    sent.add(new Sent(function, index, fields));
                }
            }
        }
        return sent;
    }

    /** Every entry sent for this user and course with any of the enrolment functions. */
    public List<Sent> sentAny(long userId, long courseId) {
        List<Sent> all = new ArrayList<>(sent("enrol_manual_enrol_users", userId, courseId));
        all.addAll(sent("enrol_manual_unenrol_users", userId, courseId));
        all.sort(java.util.Comparator.comparingInt(Sent::callIndex));
        return all;
    }
}
