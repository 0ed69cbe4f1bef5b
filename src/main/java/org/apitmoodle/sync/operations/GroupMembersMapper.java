package org.apitmoodle.sync.operations;

import org.apitmoodle.sync.Records;
import org.apitmoodle.sync.SyncMapper;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learners into their date's group (core_group_add_group_members, group column moodle_group_id) or out of the old
 * date's group after a move (core_group_delete_group_members, group column left_group_id): members[i] = groupid,
 * userid. Rows of claim-group-members.sql or claim-group-leaves.sql.
 */
public final class GroupMembersMapper implements SyncMapper {

    private final String groupColumn;

    public GroupMembersMapper(String groupColumn) {
        this.groupColumn = groupColumn;
    }

    @Override
    public Map<String, Object> request(List<Map<String, Object>> enrolments) {
        List<Map<String, Object>> members = new ArrayList<>();
        for (Map<String, Object> enrolment : enrolments) {
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("groupid", Records.id(enrolment, groupColumn));
            member.put("userid", Records.id(enrolment, "moodle_user_id"));
            members.add(member);
        }
        return Map.of("members", members);
    }

    @Override
    public List<Map<String, Object>> written(List<Map<String, Object>> enrolments, JsonNode answer) {
        return enrolments;
    }
}
