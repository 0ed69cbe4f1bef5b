package org.apitmoodle.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
