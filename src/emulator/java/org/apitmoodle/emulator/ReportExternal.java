package org.apitmoodle.emulator;

import static org.apitmoodle.emulator.ExternalDescription.single;
import static org.apitmoodle.emulator.ExternalDescription.value;
import static org.apitmoodle.emulator.ExternalDescription.withDefault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** grade/report/user/externallib.php and completion/classes/external.php. */
final class ReportExternal {

    private ReportExternal() {
    }

    // ---- gradereport_user_get_grade_items ----------------------------------------------------------------------

    static final ExternalFunction GET_GRADE_ITEMS = new ExternalFunction("gradereport_user_get_grade_items",
            "2022112800",
            single("courseid", value(Param.INT),
                    "userid", withDefault(Param.INT, 0L),
                    "groupid", withDefault(Param.INT, 0L)),
            ReportExternal::getGradeItems);

    /**
     * One usergrades entry per user: the given one (enrolled or not), or every actively enrolled user of the course
     * (suspended ones are left out, as the user report does for a viewer without moodle/course:viewsuspendedusers).
     */
    private static JsonNode getGradeItems(WsCall call) {
        MoodleSite site = call.site();
        long courseId = call.params().longValue("courseid");
        long userId = call.params().longValue("userid");
        Course course = site.findCourse(courseId).orElseThrow(() -> MoodleException.missingRecord("course"));
        call.validateCourseContext(courseId);
        List<User> users;
        if (userId != 0) {
            users = List.of(site.findUser(userId).orElseThrow(MoodleException::invalidUser));
        } else {
            users = site.enrolmentsIn(courseId).stream().filter(EnrolExternal::isActive)
                    .map(e -> site.findUser(e.userId()).orElseThrow()).toList();
        }
        call.reported(users.size());
        ArrayNode usergrades = Json.array();
        for (User user : users) {
            ObjectNode entry = Json.object()
                    .put("courseid", course.id())
                    .put("courseidnumber", course.idnumber())
                    .put("userid", user.id())
                    // The report of all users names them "lastname, firstname".
                    .put("userfullname", userId != 0 ? user.fullname() : user.lastname() + ", " + user.firstname())
                    .put("useridnumber", user.idnumber())
                    .put("maxdepth", 2);
            ArrayNode items = Json.array();
            Optional<MoodleSite.Grade> grade = site.gradeOf(courseId, user.id());
            double grademax = site.hasGradedItems(courseId) ? 100 : 0;
            site.manualItem(courseId).ifPresent(item -> items.add(gradeItem(item, grade, grademax)));
            items.add(gradeItem(site.courseTotal(courseId), grade, grademax));
            entry.set("gradeitems", items);
            usergrades.add(entry);
        }
        ObjectNode answer = Json.object();
        answer.set("usergrades", usergrades);
        answer.set("warnings", Json.array());
        return answer;
    }

    private static ObjectNode gradeItem(MoodleSite.GradeItem item, Optional<MoodleSite.Grade> grade, double grademax) {
        boolean manual = item.itemtype().equals("manual");
        ObjectNode node = Json.object().put("id", item.id());
        putNullable(node, "itemname", item.itemname());
        node.put("itemtype", item.itemtype());
        node.putNull("itemmodule");
        if (manual) {
            node.putNull("iteminstance");
            node.put("itemnumber", 0);
        } else {
            node.put("iteminstance", item.gradeCategoryId());
            node.putNull("itemnumber");
        }
        putNullable(node, "idnumber", item.idnumber());
        if (manual) {
            node.put("categoryid", item.gradeCategoryId());
        } else {
            node.putNull("categoryid");
        }
        node.putNull("outcomeid");
        node.putNull("scaleid");
        node.put("locked", false);
        if (manual && grade.isPresent()) { // The weight shows once the item counts towards the total.
            node.put("weightraw", 1);
            node.put("weightformatted", "100.00 %");
        }
        if (grade.isPresent()) {
            node.set("graderaw", Json.number(grade.get().value()));
        } else {
            node.putNull("graderaw");
        }
        node.putNull("gradedatesubmitted");
        if (grade.isPresent()) {
            node.put("gradedategraded", grade.get().timegraded());
        } else {
            node.putNull("gradedategraded");
        }
        node.put("gradehiddenbydate", false)
                .put("gradeneedsupdate", false)
                .put("gradeishidden", false)
                .put("gradeislocked", false)
                .put("gradeisoverridden", false)
                .put("gradeformatted", grade.map(g -> decimals(g.value())).orElse("-"));
        node.set("grademin", Json.number(0));
        node.set("grademax", Json.number(grademax));
        node.put("rangeformatted", "0&ndash;" + (long) grademax)
                .put("percentageformatted", grade.filter(g -> grademax > 0)
                        .map(g -> decimals(100 * g.value() / grademax) + " %").orElse("-"))
                .put("feedback", "")
                .put("feedbackformat", 0);
        return node;
    }

    // ---- core_completion_get_course_completion_status ----------------------------------------------------------

    static final ExternalFunction GET_COURSE_COMPLETION_STATUS = new ExternalFunction(
            "core_completion_get_course_completion_status", "2022112810",
            single("courseid", value(Param.INT), "userid", value(Param.INT)),
            ReportExternal::getCourseCompletionStatus);

    private static JsonNode getCourseCompletionStatus(WsCall call) {
        MoodleSite site = call.site();
        long courseId = call.params().longValue("courseid");
        long userId = call.params().longValue("userid");
        Course course = site.findCourse(courseId).orElseThrow(() -> MoodleException.missingRecord("course"));
        site.findUser(userId).orElseThrow(MoodleException::invalidUser);
        call.validateCourseContext(courseId);
        CompletionMode mode = site.completionMode(course);
        if (mode == CompletionMode.DISABLED) {
            throw MoodleException.moodle("cannotviewreport", "You cannot view this report");
        }
        if (site.enrolment(userId, courseId).filter(EnrolExternal::isActive).isEmpty()) {
            throw MoodleException.moodle("usernotenroled", "User is not enrolled in this course");
        }
        if (mode == CompletionMode.NO_CRITERIA) {
            throw MoodleException.moodle("nocriteriaset", "No completion criteria set for this course");
        }
        Optional<MoodleSite.CourseCompletion> completion = site.completion(courseId, userId);
        Long criterionTime = completion.map(MoodleSite.CourseCompletion::criterionTimeCompleted).orElse(null);
        String grade = site.gradeOf(courseId, userId).map(g -> decimals(g.value())).orElse(null);
        String required = decimals(MoodleSite.REQUIRED_COURSE_GRADE);

        ObjectNode details = Json.object()
                .put("type", "Course grade")
                .put("criteria", "Required course grade")
                .put("requirement", required)
                .put("status", grade == null ? "" : grade);
        ObjectNode criterion = Json.object()
                .put("type", 6) // COMPLETION_CRITERIA_TYPE_GRADE
                .put("title", "Course grade")
                .put("status", (grade == null ? "No grade" : grade) + " (" + required + " required)")
                .put("complete", criterionTime != null);
        if (criterionTime != null) {
            criterion.put("timecompleted", criterionTime);
        } else {
            criterion.putNull("timecompleted");
        }
        criterion.set("details", details);
        ArrayNode completions = Json.array().add(criterion);
        ObjectNode status = Json.object()
                .put("completed", completion.map(MoodleSite.CourseCompletion::completed).orElse(false))
                .put("aggregation", 1); // COMPLETION_AGGREGATION_ALL
        status.set("completions", completions);
        ObjectNode answer = Json.object();
        answer.set("completionstatus", status);
        answer.set("warnings", Json.array());
        return answer;
    }

    private static String decimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static void putNullable(ObjectNode node, String key, String value) {
        if (value == null) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }
}
