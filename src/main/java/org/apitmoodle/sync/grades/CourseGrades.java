package org.apitmoodle.sync.grades;

import org.apitmoodle.sync.Records;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one grade poll learnt about the open delegates of one Moodle course: each delegate's course total from
 * the one grade-report call, then each delegate's completion, asked one delegate at a time, until the course
 * turns out to have no completion (then nobody else is asked). A course Moodle said lately has no completion
 * criteria (remembered in course_completion) is not asked at all.
 *
 * <p>A delegate Moodle's report does not list (unenrolled or suspended in Moodle) keeps the score it has.
 */
public final class CourseGrades {

    /** The values written to delegates.completion_status. */
    public static final String COMPLETE = "COMPLETE";
    public static final String INCOMPLETE = "INCOMPLETE";

    private final long moodleCourseId;
    private final List<Map<String, Object>> delegates;
    private final Map<Long, JsonNode> scoreByMoodleUser;
    private final Map<Long, Map<String, Object>> completionByDelegate = new HashMap<>();
    private int nextCompletion;
    private boolean courseHasCompletion = true;
    private boolean completionLearnt;

    /**
     * @param knownHasCompletion what Moodle said lately about the course's completion criteria (remembered between
     *                           polls); null: not known, to be asked
     */
    CourseGrades(long moodleCourseId, List<Map<String, Object>> delegates, Map<Long, JsonNode> scoreByMoodleUser,
                 Boolean knownHasCompletion) {
        this.moodleCourseId = moodleCourseId;
        this.delegates = List.copyOf(delegates);
        this.scoreByMoodleUser = scoreByMoodleUser;
        this.courseHasCompletion = !Boolean.FALSE.equals(knownHasCompletion);
    }

    CourseGrades(long moodleCourseId, List<Map<String, Object>> delegates, Map<Long, JsonNode> scoreByMoodleUser) {
        this(moodleCourseId, delegates, scoreByMoodleUser, null);
    }

    /**
     * What this poll learnt about the course's completion criteria, to remember (remember-course-completion.sql:
     * moodle_course_id, has_completion); null when Moodle was not asked or answered nothing about the course.
     */
    public Map<String, Object> learntCompletion() {
        if (!completionLearnt) {
            return null;
        }
        Map<String, Object> row = new HashMap<>();
        row.put("moodle_course_id", moodleCourseId);
        row.put("has_completion", courseHasCompletion);
        return row;
    }

    /** Whether Moodle told this poll whether the course has completion criteria. */
    public boolean isCompletionLearnt() {
        return completionLearnt;
    }

    public long moodleCourseId() {
        return moodleCourseId;
    }

    /**
     * Moodle refused the completion of the delegate last asked about: a course without completion criteria
     * (nocriteriaset, cannotviewreport) is asked no more, and a delegate no longer enrolled is skipped. Any other
     * refusal is the call's failure, returned to be thrown.
     */
    public RuntimeException completionRefused(Throwable failure) {
        String code = GradeMapper.moodleErrorCode(failure);
        if ("nocriteriaset".equals(code) || "cannotviewreport".equals(code)) {
            courseHasNoCompletion();
            return null;
        }
        if ("usernotenroled".equals(code)) {
            delegateNotEnrolled();
            return null;
        }
        return GradeMapper.unwrapped(failure);
    }

    /** Whether a delegate's completion is still to be asked. */
    public boolean hasNextCompletion() {
        return courseHasCompletion && nextCompletion < delegates.size();
    }

    /** The parameters of core_completion_get_course_completion_status for the next delegate. */
    public Map<String, Object> nextCompletionRequest() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("courseid", moodleCourseId);
        request.put("userid", Records.id(current(), "moodle_user_id"));
        return request;
    }

    /** Moodle's completion status of the delegate last asked about. */
    public void completionRead(JsonNode answer) {
        JsonNode status = answer.path("completionstatus");
        if (!status.isObject()) {
            throw new IllegalStateException("Moodle's completion answer has no completionstatus: " + answer);
        }
        boolean completed = status.path("completed").asBoolean(false);
        Long completedAt = null;
        if (completed) {
            // The answer carries no course completion time: the last criterion met is when the course was completed.
            for (JsonNode criterion : status.path("completions")) {
                if (criterion.path("timecompleted").canConvertToLong() && !criterion.path("timecompleted").isNull()) {
                    long time = criterion.path("timecompleted").asLong();
                    completedAt = completedAt == null ? time : Math.max(completedAt, time);
                }
            }
        }
        Map<String, Object> completion = new HashMap<>();
        completion.put("completion_status", completed ? COMPLETE : INCOMPLETE);
        completion.put("completed_at", completedAt);
        completionByDelegate.put(Records.id(current(), "delegate_id"), completion);
        completionLearnt = true;
        nextCompletion++;
    }

    /** The delegate last asked about is not enrolled in Moodle (any more): their completion is left as it is. */
    public void delegateNotEnrolled() {
        nextCompletion++;
    }

    /** Moodle answered that the course has no completion (off, or no criteria): nobody else is asked. */
    public void courseHasNoCompletion() {
        courseHasCompletion = false;
        completionLearnt = true;
    }

    /**
     * One row per delegate for save-delegate-grades.sql: delegate_id, score_read and score, completion_read,
     * completion_status and completed_at (Unix seconds). A course without completion clears completion_status.
     */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> delegate : delegates) {
            long delegateId = Records.id(delegate, "delegate_id");
            Map<String, Object> row = new HashMap<>();
            row.put("delegate_id", delegateId);
            JsonNode score = scoreByMoodleUser.get(Records.id(delegate, "moodle_user_id"));
            row.put("score_read", score != null);
            row.put("score", score != null && score.isNumber() ? score.decimalValue() : null);
            Map<String, Object> completion = completionByDelegate.get(delegateId);
            row.put("completion_read", completion != null || !courseHasCompletion);
            row.put("completion_status", completion == null ? null : completion.get("completion_status"));
            row.put("completed_at", completion == null ? null : completion.get("completed_at"));
            rows.add(row);
        }
        return rows;
    }

    private Map<String, Object> current() {
        return delegates.get(nextCompletion);
    }
}
