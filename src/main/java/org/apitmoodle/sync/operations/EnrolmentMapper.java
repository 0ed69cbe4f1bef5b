package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apitmoodle.moodle.MoodleCall;

/** accessplanit bookings (delegates) to Moodle's enrol_manual_enrol_users, with the configured role. */
public final class EnrolmentMapper implements SyncMapper {

    private final long roleId;

    public EnrolmentMapper(long roleId) {
        this.roleId = roleId;
    }

    @Override
    public Map<String, Object> request(List<Map<String, Object>> delegates) {
        return enrolUsersRequest(delegates);
    }

    /** Lists a Moodle course's enrolled users, suspended ones too (onlyactive 0, transcript 254). */
    public static final String LOOK_UP_FUNCTION = "core_enrol_get_enrolled_users";

    /**
     * No look-up for a first send. Before re-sending bookings that may have reached Moodle (a retry of this batch,
     * a claim taken over or released before, a replayed dead letter: claim-new-enrolments.sql's
     * {@code may_have_reached}), each Moodle course of the batch is asked who is enrolled: re-sending an enrolment
     * would re-activate a suspended learner and clear the enrolment dates (transcripts 087-091, 158-166).
     */
    @Override
    public List<MoodleCall> lookUps(List<Map<String, Object>> delegates, boolean retried) {
        boolean mayHaveReached = retried || delegates.stream().anyMatch(d -> Boolean.TRUE.equals(d.get("may_have_reached")));
        if (!mayHaveReached) {
            return List.of();
        }
        List<MoodleCall> calls = new ArrayList<>();
        for (Long course : courses(delegates)) {
            calls.add(new MoodleCall(LOOK_UP_FUNCTION, Map.of("courseid", course)));
        }
        return calls;
    }

    /** The bookings whose learner Moodle already lists in the course: adopted as enrolled, not sent again. */
    @Override
    public List<Map<String, Object>> adopted(List<Map<String, Object>> delegates, List<JsonNode> lookUpAnswers) {
        List<Long> courses = courses(delegates);
        Set<String> enrolled = new HashSet<>();
        for (int i = 0; i < lookUpAnswers.size() && i < courses.size(); i++) {
            for (JsonNode user : lookUpAnswers.get(i)) {
                enrolled.add(courses.get(i) + "/" + user.path("id").asLong());
            }
        }
        return delegates.stream().filter(d -> enrolled.contains(Records.id(d, "moodle_course_id") + "/"
                + Records.id(d, "moodle_user_id"))).toList();
    }

    private static List<Long> courses(List<Map<String, Object>> delegates) {
        Set<Long> courses = new LinkedHashSet<>();
        delegates.forEach(d -> courses.add(Records.id(d, "moodle_course_id")));
        return List.copyOf(courses);
    }

    /** The bookings themselves: mark-delegate-enrolled.sql marks each one enrolled. */
    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> delegates, JsonNode answer) {
        return delegates;
    }

    /**
     * The parameters of one enrol_manual_enrol_users call. Only roleid, userid and courseid are sent: an
     * enrolment is sent once, and re-sending one would reset what a Moodle teacher changed (suspension, dates).
     */
    public Map<String, Object> enrolUsersRequest(List<Map<String, Object>> delegates) {
        List<Map<String, Object>> enrolments = new ArrayList<>();
        for (Map<String, Object> delegate : delegates) {
            Map<String, Object> enrolment = new LinkedHashMap<>();
            enrolment.put("roleid", roleId);
            enrolment.put("userid", Records.id(delegate, "moodle_user_id"));
            enrolment.put("courseid", Records.id(delegate, "moodle_course_id"));
            enrolments.add(enrolment);
        }
        return Map.of("enrolments", enrolments);
    }
}
