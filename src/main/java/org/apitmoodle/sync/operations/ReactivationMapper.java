package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enrolments the integration suspended whose booking is active again, to enrol_manual_enrol_users with suspend=0
 * (transcript 165: active again; the dates the suspension cleared stay cleared). Records are rows of
 * claim-reactivations.sql (enrolment_id, moodle_user_id, moodle_course_id).
 */
public final class ReactivationMapper implements SyncMapper {

    private final long roleId;

    public ReactivationMapper(long roleId) {
        this.roleId = roleId;
    }

    @Override
    public Map<String, Object> request(List<Map<String, Object>> enrolments) {
        List<Map<String, Object>> sent = new ArrayList<>();
        for (Map<String, Object> enrolment : enrolments) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("roleid", roleId);
            one.put("userid", Records.id(enrolment, "moodle_user_id"));
            one.put("courseid", Records.id(enrolment, "moodle_course_id"));
            one.put("suspend", 0);
            sent.add(one);
        }
        return Map.of("enrolments", sent);
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> enrolments, JsonNode answer) {
        return enrolments;
    }
}
