package org.apitmoodle.emulator;

import static org.apitmoodle.emulator.ExternalDescription.multiple;
import static org.apitmoodle.emulator.ExternalDescription.multipleWithDefault;
import static org.apitmoodle.emulator.ExternalDescription.optional;
import static org.apitmoodle.emulator.ExternalDescription.optionalMultiple;
import static org.apitmoodle.emulator.ExternalDescription.single;
import static org.apitmoodle.emulator.ExternalDescription.value;
import static org.apitmoodle.emulator.ExternalDescription.withDefault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** course/externallib.php: categories and courses. */
final class CoreCourseExternal {

    private static final Set<Long> TEXT_FORMATS = Set.of(0L, 1L, 2L, 4L);

    private CoreCourseExternal() {
    }

    // ---- core_course_get_categories ----------------------------------------------------------------------------

    static final ExternalFunction GET_CATEGORIES = new ExternalFunction("core_course_get_categories", "2022112810",
            single(
                    "criteria", multipleWithDefault(single("key", value(Param.ALPHA), "value", value(Param.RAW)),
                            List.of()),
                    "addsubcategories", withDefault(Param.BOOL, true)),
            CoreCourseExternal::getCategories);

    private static JsonNode getCategories(WsCall call) {
        MoodleSite site = call.site();
        Predicate<MoodleSite.Category> wanted = category -> true;
        for (Params criterion : call.params().structures("criteria")) {
            String value = criterion.string("value");
            Predicate<MoodleSite.Category> test = switch (criterion.string("key")) {
                case "id" -> c -> c.id() == Param.phpInt(value);
                case "ids" -> c -> sequence(value).contains(c.id());
                case "name" -> c -> c.name().equals(Param.TEXT.clean(value));
                case "parent" -> c -> Param.phpInt(value) == 0;
                case "visible" -> {
                    if (!call.capable()) { // moodle/category:viewhiddencategories
                        throw criteriaError();
                    }
                    yield c -> Param.phpInt(value) == 1;
                }
                // idnumber and theme need moodle/category:manage, which the service user lacks.
                default -> throw criteriaError();
            };
            wanted = wanted.and(test);
        }
        ArrayNode categories = Json.array();
        for (MoodleSite.Category category : site.categories()) {
            if (wanted.test(category)) {
                categories.add(Json.object()
                        .put("id", category.id())
                        .put("name", category.name())
                        .put("description", category.description())
                        .put("descriptionformat", 1)
                        .put("parent", 0)
                        .put("sortorder", category.sortorder())
                        .put("coursecount", site.courseCount(category.id()))
                        .put("depth", 1)
                        .put("path", "/" + category.id()));
            }
        }
        return categories;
    }

    private static MoodleException criteriaError() {
        return MoodleException.moodle("criteriaerror", "Missing permissions to search on a criterion.");
    }

    // ---- core_course_create_courses ----------------------------------------------------------------------------

    static final ExternalFunction CREATE_COURSES = new ExternalFunction("core_course_create_courses", "2022112810",
            single("courses", multiple(single(
                    "fullname", value(Param.TEXT),
                    "shortname", value(Param.TEXT),
                    "categoryid", value(Param.INT),
                    "idnumber", optional(Param.RAW),
                    "summary", optional(Param.RAW),
                    "summaryformat", withDefault(Param.INT, 1L),
                    "format", withDefault(Param.PLUGIN, "topics"),
                    "showgrades", withDefault(Param.INT, 1L),
                    "newsitems", withDefault(Param.INT, 5L),
                    "startdate", optional(Param.INT),
                    "enddate", optional(Param.INT),
                    "numsections", optional(Param.INT),
                    "maxbytes", withDefault(Param.INT, 0L),
                    "showreports", withDefault(Param.INT, 0L),
                    "visible", optional(Param.INT),
                    "hiddensections", optional(Param.INT),
                    "groupmode", withDefault(Param.INT, 0L),
                    "groupmodeforce", withDefault(Param.INT, 0L),
                    "defaultgroupingid", withDefault(Param.INT, 0L),
                    "enablecompletion", optional(Param.INT),
                    "completionnotify", optional(Param.INT),
                    "lang", optional(Param.SAFEDIR),
                    "forcetheme", optional(Param.PLUGIN),
                    "courseformatoptions", optionalMultiple(single(
                            "name", value(Param.ALPHANUMEXT), "value", value(Param.RAW))),
                    "customfields", optionalMultiple(single(
                            "shortname", value(Param.ALPHANUMEXT), "value", value(Param.RAW)))))),
            CoreCourseExternal::createCourses);

    private static JsonNode createCourses(WsCall call) {
        MoodleSite site = call.site();
        return site.transaction(() -> {
            ArrayNode created = Json.array();
            for (Params course : call.params().structures("courses")) {
                long categoryId = course.longValue("categoryid");
                if (site.findCategory(categoryId).isEmpty()) {
                    throw MoodleException.moodle("errorcatcontextnotvalid",
                            "You cannot execute functions in the category context (category id:" + categoryId
                            + "). The context error message was: Invalid parameter value detected");
                }
                if (!call.capable()) {
                    throw MoodleException.noPermissions("Create courses");
                }
                if (course.string("fullname").trim().isEmpty()) {
                    throw MoodleException.errorInvalidParam("fullname");
                }
                if (course.string("shortname").trim().isEmpty()) {
                    throw MoodleException.errorInvalidParam("shortname");
                }
                if (course.has("lang") && !Param.INSTALLED_LANGUAGES.contains(course.string("lang"))) {
                    throw MoodleException.errorInvalidParam("lang");
                }
                long summaryformat = validateFormat(course.longValue("summaryformat"));
                // The site default for new courses (moodlecourse/enablecompletion) is on.
                boolean enablecompletion = !course.has("enablecompletion") || course.longValue("enablecompletion") != 0;
                boolean visible = !course.has("visible") || course.longValue("visible") != 0;
                String shortname = course.string("shortname");
                String idnumber = course.has("idnumber") ? course.string("idnumber") : "";
                Long startdate = course.optionalLong("startdate");
                Long enddate = course.optionalLong("enddate");
                // create_course()
                if (site.shortnameTaken(shortname, 0)) {
                    throw shortnameTaken(shortname);
                }
                if (site.idnumberTaken(idnumber, 0)) {
                    throw idnumberTaken(idnumber);
                }
                validateDates(startdate, enddate);
                long now = MoodleSite.now();
                int numsections = course.has("numsections") ? (int) course.longValue("numsections")
                        : Course.DEFAULT_NUMSECTIONS;
                Course inserted = site.insertCourse(new Course(0, shortname, course.string("fullname"), idnumber,
                        categoryId, course.has("summary") ? course.string("summary") : "", (int) summaryformat,
                        course.string("format"), visible, nonZero(startdate), nonZero(enddate), enablecompletion,
                        now, now, numsections, course.has("lang") ? course.string("lang") : "",
                        customFieldData(site, course)));
                call.createdCourse();
                created.add(Json.object().put("id", inserted.id()).put("shortname", inserted.shortname()));
            }
            return created;
        });
    }

    // ---- core_course_update_courses ----------------------------------------------------------------------------

    static final ExternalFunction UPDATE_COURSES = new ExternalFunction("core_course_update_courses", "2022112810",
            single("courses", multiple(single(
                    "id", value(Param.INT),
                    "fullname", optional(Param.TEXT),
                    "shortname", optional(Param.TEXT),
                    "categoryid", optional(Param.INT),
                    "idnumber", optional(Param.RAW),
                    "summary", optional(Param.RAW),
                    "summaryformat", optional(Param.INT),
                    "format", optional(Param.PLUGIN),
                    "showgrades", optional(Param.INT),
                    "newsitems", optional(Param.INT),
                    "startdate", optional(Param.INT),
                    "enddate", optional(Param.INT),
                    "numsections", optional(Param.INT),
                    "maxbytes", optional(Param.INT),
                    "showreports", optional(Param.INT),
                    "visible", optional(Param.INT),
                    "hiddensections", optional(Param.INT),
                    "groupmode", optional(Param.INT),
                    "groupmodeforce", optional(Param.INT),
                    "defaultgroupingid", optional(Param.INT),
                    "enablecompletion", optional(Param.INT),
                    "completionnotify", optional(Param.INT),
                    "lang", optional(Param.SAFEDIR),
                    "forcetheme", optional(Param.PLUGIN),
                    "courseformatoptions", optionalMultiple(single(
                            "name", value(Param.ALPHANUMEXT), "value", value(Param.RAW))),
                    "customfields", optionalMultiple(single(
                            "shortname", value(Param.ALPHANUMEXT), "value", value(Param.RAW)))))),
            CoreCourseExternal::updateCourses);

    /** Each course on its own, no transaction: a failure becomes a warning and may follow a partial write. */
    private static JsonNode updateCourses(WsCall call) {
        ArrayNode warnings = Json.array();
        for (Params course : call.params().structures("courses")) {
            long id = course.longValue("id");
            try {
                call.site().locked(() -> updateCourse(call, course));
            } catch (MoodleException e) {
                warnings.add(Json.object()
                        .put("item", "course")
                        .put("itemid", id)
                        .put("warningcode", e.errorcode())
                        .put("message", e.getMessage()));
            }
        }
        return Json.object().set("warnings", warnings);
    }

    private static Void updateCourse(WsCall call, Params data) {
        MoodleSite site = call.site();
        Course old = site.findCourse(data.longValue("id")).orElseThrow(() -> MoodleException.missingRecord("course"));
        call.validateCourseContext(old.id());
        String fullname = data.has("fullname") ? data.string("fullname") : old.fullname();
        String shortname = data.has("shortname") ? data.string("shortname") : old.shortname();
        String idnumber = data.has("idnumber") ? data.string("idnumber") : old.idnumber();
        if (!fullname.equals(old.fullname()) && fullname.trim().isEmpty()) {
            throw MoodleException.errorInvalidParam("fullname");
        }
        if (!shortname.equals(old.shortname()) && shortname.trim().isEmpty()) {
            throw MoodleException.errorInvalidParam("shortname");
        }
        int summaryformat = data.has("summaryformat") ? (int) validateFormat(data.longValue("summaryformat"))
                : old.summaryformat();
        if (data.has("lang") && !Param.INSTALLED_LANGUAGES.contains(data.string("lang"))) {
            throw MoodleException.errorInvalidParam("lang");
        }
        // update_course()
        long categoryId = data.has("categoryid") && data.longValue("categoryid") != 0 ? data.longValue("categoryid")
                : old.categoryId();
        boolean moved = categoryId != old.categoryId();
        boolean visible = data.has("visible") ? data.longValue("visible") != 0 : old.visible();
        if (visible == old.visible() && moved && site.findCategory(categoryId).isEmpty()) {
            visible = false; // A course moved into a hidden (here: missing) category is hidden with it.
        }
        if (!shortname.isEmpty() && !shortname.equals(old.shortname()) && site.shortnameTaken(shortname, old.id())) {
            throw shortnameTaken(shortname);
        }
        if (!idnumber.equals(old.idnumber()) && site.idnumberTaken(idnumber, old.id())) {
            throw idnumberTaken(idnumber);
        }
        validateDates(data.optionalLong("startdate"), data.optionalLong("enddate"));
        boolean enablecompletion = data.has("enablecompletion") ? data.longValue("enablecompletion") != 0
                : old.enablecompletion();
        boolean lostCategory = moved && site.findCategory(categoryId).isEmpty();
        Course updated = new Course(old.id(), shortname, fullname, idnumber, categoryId,
                data.has("summary") ? data.string("summary") : old.summary(), summaryformat,
                data.has("format") ? data.string("format") : old.format(), visible,
                data.has("startdate") ? nonZero(data.optionalLong("startdate")) : old.startdate(),
                data.has("enddate") ? nonZero(data.optionalLong("enddate")) : old.enddate(),
                enablecompletion, old.timecreated(), MoodleSite.now(), old.numsections(),
                data.has("lang") ? data.string("lang") : old.lang(), old.customfields());
        // update_course() saves the custom fields (instance_form_save) after the row and the context move.
        site.putCourse(lostCategory ? updated : updated.withCustomFields(customFieldData(site, data)));
        if (lostCategory) {
            // The row is written before the new category's context is looked up, so the move sticks.
            throw MoodleException.missingRecord("course_categories");
        }
        return null;
    }

    // ---- core_course_get_courses_by_field ----------------------------------------------------------------------

    static final ExternalFunction GET_COURSES_BY_FIELD = new ExternalFunction("core_course_get_courses_by_field",
            "2022112810",
            single("field", withDefault(Param.ALPHA, ""), "value", withDefault(Param.RAW, "")),
            CoreCourseExternal::getCoursesByField);

    private static JsonNode getCoursesByField(WsCall call) {
        MoodleSite site = call.site();
        String field = call.params().string("field");
        String value = call.params().string("value");
        ArrayNode warnings = Json.array();
        List<Course> courses = new ArrayList<>();
        switch (field) {
            case "" -> courses.addAll(site.courses());
            case "id" -> site.findCourse(Param.phpInt(value)).ifPresent(courses::add);
            case "category" -> site.courses().stream().filter(c -> c.categoryId() == Param.phpInt(value))
                    .forEach(courses::add);
            case "shortname" -> site.courses().stream()
                    .filter(c -> c.shortname().equals(Param.TEXT.clean(value))).forEach(courses::add);
            case "idnumber" -> site.courses().stream().filter(c -> c.idnumber().equals(value)).forEach(courses::add);
            case "ids" -> {
                // external_util::validate_courses(): a course the caller cannot enter is a warning, kept for its
                // public information; one that does not exist is only a warning.
                for (long id : sequence(value)) {
                    var course = site.findCourse(id);
                    if (course.isEmpty() || !call.capable()) {
                        warnings.add(Json.object().put("item", "course").put("itemid", id).put("warningcode", "1")
                                .put("message", "No access rights in course context"));
                    }
                    course.ifPresent(courses::add);
                }
            }
            default -> throw MoodleException.invalidParameter("Invalid field name");
        }
        ArrayNode result = Json.array();
        for (Course course : courses) {
            if (!course.visible() && !call.capable()) {
                continue; // moodle/course:viewhiddencourses
            }
            ObjectNode info = publicInformation(site, course);
            if (call.capable()) {
                addAccessibleInformation(site, course, info);
            }
            result.add(info);
        }
        ObjectNode answer = Json.object();
        answer.set("courses", result);
        answer.set("warnings", warnings);
        return answer;
    }

    /** get_course_public_information(): what anyone who may see the course listed gets. */
    private static ObjectNode publicInformation(MoodleSite site, Course course) {
        ObjectNode info = Json.object()
                .put("id", course.id())
                .put("fullname", course.fullname())
                .put("displayname", course.fullname())
                .put("shortname", course.shortname())
                .put("categoryid", course.categoryId())
                .put("categoryname", site.findCategory(course.categoryId()).map(MoodleSite.Category::name).orElse(""))
                .put("sortorder", site.sortorder(course))
                .put("summary", course.summary())
                .put("summaryformat", course.summaryformat());
        info.set("summaryfiles", Json.array());
        info.set("overviewfiles", Json.array());
        info.put("showactivitydates", false);
        if (course.enablecompletion()) {
            info.put("showcompletionconditions", true);
        } else {
            info.putNull("showcompletionconditions");
        }
        info.set("contacts", Json.array());
        ArrayNode methods = Json.array();
        if (site.hasManualInstance(course.id())) {
            methods.add("manual");
        }
        info.set("enrollmentmethods", methods);
        List<MoodleSite.CourseCustomField> defined = site.courseCustomFields();
        if (!defined.isEmpty()) { // Every field defined, set or not (300, 302); no key on a site without any.
            ArrayNode customfields = Json.array();
            for (MoodleSite.CourseCustomField field : defined) {
                String raw = course.customField(field.shortname());
                ObjectNode data = Json.object().put("name", field.name()).put("shortname", field.shortname())
                        .put("type", "text").put("valueraw", raw);
                if (raw.isEmpty()) {
                    data.putNull("value"); // export_value() of an empty field
                } else {
                    data.put("value", MoodleLib.escapeAmpersands(raw)); // format_string()
                }
                customfields.add(data);
            }
            info.set("customfields", customfields);
        }
        return info;
    }

    /**
     * The course handler's instance_form_save(): each defined field sent as {@code customfields[i][shortname]}
     * gets the value (the last one sent for it); a shortname no field has is ignored without a word (301-302).
     */
    private static Map<String, String> customFieldData(MoodleSite site, Params course) {
        Map<String, String> sent = new LinkedHashMap<>();
        for (Params field : course.structures("customfields")) {
            sent.put(field.string("shortname"), field.string("value"));
        }
        Map<String, String> data = new LinkedHashMap<>();
        for (MoodleSite.CourseCustomField field : site.courseCustomFields()) {
            String value = sent.get(field.shortname());
            if (value != null) {
                data.put(field.shortname(), value);
            }
        }
        return data;
    }

    /** What a user who can enter the course and update it (the service user) gets on top. */
    private static void addAccessibleInformation(MoodleSite site, Course course, ObjectNode info) {
        boolean siteCourse = course.id() == MoodleSite.SITEID;
        info.put("idnumber", course.idnumber())
                .put("format", course.format())
                .put("showgrades", 1)
                .put("newsitems", site.newsItems(course))
                .put("startdate", course.startdate() == null ? 0 : course.startdate())
                .put("enddate", course.enddate() == null ? 0 : course.enddate())
                .put("maxbytes", 0)
                .put("showreports", 0)
                .put("visible", course.visible() ? 1 : 0)
                .put("groupmode", 0)
                .put("groupmodeforce", 0)
                .put("defaultgroupingid", 0)
                .put("enablecompletion", course.enablecompletion() ? 1 : 0)
                .put("completionnotify", 0)
                .put("lang", course.lang())
                .put("theme", "")
                .put("marker", 0)
                .put("legacyfiles", 0)
                .put("calendartype", "")
                .put("timecreated", course.timecreated())
                .put("timemodified", course.timemodified())
                .put("requested", 0)
                .put("cacherev", course.timemodified());
        ArrayNode filters = Json.array();
        for (String filter : List.of("displayh5p", "activitynames", "mathjaxloader", "emoticon", "urltolink",
                "mediaplugin")) {
            filters.add(Json.object().put("filter", filter).put("localstate", 0).put("inheritedstate", 1));
        }
        info.set("filters", filters);
        if (!siteCourse) { // The site format has no options.
            ArrayNode options = Json.array();
            options.add(Json.object().put("name", "hiddensections").put("value", 1));
            options.add(Json.object().put("name", "coursedisplay").put("value", 0));
            options.add(Json.object().put("name", "indentation").put("value", "1"));
            info.set("courseformatoptions", options);
        }
    }

    // ---- core_course_duplicate_course --------------------------------------------------------------------------

    /** What a backup may be told to include (core_course_external::duplicate_course's $backupdefaults). */
    private static final Set<String> BACKUP_SETTINGS = Set.of("activities", "blocks", "filters", "users",
            "enrolments", "role_assignments", "comments", "userscompletion", "logs", "grade_histories");

    /**
     * The capabilities a copy needs, in the order they are checked, with their names in Moodle's language strings.
     * The first three core_course_external checks itself; the backup and restore controllers check the others.
     */
    private static final List<Map.Entry<String, String>> COPY_CAPABILITIES = List.of(
            Map.entry("moodle/course:create", "Create courses"),
            Map.entry("moodle/restore:restorecourse", "Restore courses"),
            Map.entry("moodle/backup:backupcourse", "Backup courses"),
            Map.entry("moodle/backup:backuptargetimport", "Back up for import"),
            Map.entry("moodle/restore:restoretargetimport", "Restore from files targeted as imports"));

    static final ExternalFunction DUPLICATE_COURSE = new ExternalFunction("core_course_duplicate_course",
            "2022112810",
            single(
                    "courseid", value(Param.INT),
                    "fullname", value(Param.TEXT),
                    "shortname", value(Param.TEXT),
                    "categoryid", value(Param.INT),
                    "visible", withDefault(Param.INT, 1L),
                    "options", multipleWithDefault(single("name", value(Param.ALPHANUMEXT), "value", value(Param.RAW)),
                            List.of())),
            CoreCourseExternal::duplicateCourse);

    /**
     * A copy of a course without its users (transcripts of Moodle 4.1): the checks, then the backup, then
     * create_new_course() (the copy's row, at once: not in one transaction with the rest), then the restore of its
     * sections and activities. Enrolled users, groups and grades are not copied; the copy gets its own (empty)
     * enrolment methods. Its modelled time passes as it goes (the backup, then the restore), so a caller that gave
     * up waiting finds the copy by its shortname while or after it is made.
     */
    private static JsonNode duplicateCourse(WsCall call) {
        MoodleSite site = call.site();
        Params params = call.params();
        Course template = site.locked(() -> site.findCourse(params.longValue("courseid")))
                .orElseThrow(() -> MoodleException.moodle("invalidcourseid", "You are trying to use an invalid course ID"));
        long categoryId = params.longValue("categoryid");
        if (site.findCategory(categoryId).isEmpty()) {
            throw MoodleException.moodle("errorcatcontextnotvalid",
                    "You cannot execute functions in the category context (category id:" + categoryId
                    + "). The context error message was: Invalid parameter value detected");
        }
        call.validateCourseContext(template.id());
        List<Params> options = params.structures("options");
        for (Params option : options) {
            String value = option.string("value").trim();
            if (!(value.equals("0") || value.equals("1")) || !BACKUP_SETTINGS.contains(option.string("name"))) {
                throw MoodleException.moodle("invalidextparam", "Invalid external api parameter: "
                        + option.string("name"));
            }
        }
        for (Map.Entry<String, String> capability : COPY_CAPABILITIES.subList(0, 3)) {
            if (!site.holds(capability.getKey())) {
                throw MoodleException.noPermissions(capability.getValue());
            }
        }
        String shortname = params.string("shortname");
        List<String> holders = site.locked(() -> site.courses().stream()
                .filter(c -> c.shortname().equals(shortname)).map(Course::fullname).toList());
        if (!holders.isEmpty()) {
            throw MoodleException.moodle("shortnametaken", "Short name is already used for another course ("
                    + String.join(",", holders) + ")");
        }
        if (!options.isEmpty()) {
            // The service user's role lacks moodle/backup:configure (and backup:userinfo): every backup setting is
            // locked by permission, so setting one, even users=0, throws (transcripts: options refused).
            throw new MoodleException("base_setting_exception", "setting_locked_by_permission",
                    "error/setting_locked_by_permission", null);
        }
        for (Map.Entry<String, String> capability : COPY_CAPABILITIES.subList(3, COPY_CAPABILITIES.size())) {
            if (!site.holds(capability.getKey())) {
                throw MoodleException.noPermissions(capability.getValue());
            }
        }
        if (params.string("fullname").trim().isEmpty() || shortname.trim().isEmpty()) {
            throw MoodleException.errorInvalidParam(params.string("fullname").trim().isEmpty() ? "fullname"
                    : "shortname");
        }
        // The backup.
        call.spend(LatencyModel.Work.NOTHING);
        Course copy = site.insertCopy(template, params.string("fullname"), shortname, categoryId,
                params.longValue("visible") != 0);
        call.createdCourse();
        // The restore: its time grows with the template's activities.
        call.spend(LatencyModel.Work.copy(site.activities(template.id()).size()));
        site.restoreContent(template.id(), copy.id());
        return Json.object().put("id", copy.id()).put("shortname", copy.shortname());
    }

    // ---- core_course_get_contents ------------------------------------------------------------------------------

    static final ExternalFunction GET_CONTENTS = new ExternalFunction("core_course_get_contents", "2022112810",
            single("courseid", value(Param.INT),
                    "options", multipleWithDefault(single("name", value(Param.ALPHANUMEXT), "value", value(Param.RAW)),
                            List.of())),
            CoreCourseExternal::getContents);

    /** The course page: each section and the activities in it, as the recorded copy's answer shows them. */
    private static JsonNode getContents(WsCall call) {
        MoodleSite site = call.site();
        long courseId = call.params().longValue("courseid");
        site.findCourse(courseId).orElseThrow(() -> MoodleException.missingRecord("course"));
        call.validateCourseContext(courseId);
        ArrayNode sections = Json.array();
        for (MoodleSite.Section section : site.sections(courseId)) {
            ObjectNode json = Json.object()
                    .put("id", section.id())
                    .put("name", section.name())
                    .put("visible", 1)
                    .put("summary", "")
                    .put("summaryformat", 1)
                    .put("section", section.number())
                    .put("hiddenbynumsections", 0)
                    .put("uservisible", true);
            ArrayNode modules = Json.array();
            for (MoodleSite.Activity activity : section.activities()) {
                modules.add(module(call.siteUrl(), activity));
            }
            json.set("modules", modules);
            sections.add(json);
        }
        return sections;
    }

    private static ObjectNode module(String siteUrl, MoodleSite.Activity activity) {
        boolean label = activity.modname().equals("label");
        ObjectNode json = Json.object().put("id", activity.cmid());
        if (!label) {
            json.put("url", siteUrl + "/mod/" + activity.modname() + "/view.php?id=" + activity.cmid());
        }
        json.put("name", activity.name())
                .put("instance", activity.instance())
                .put("contextid", activity.contextid());
        if (label) {
            json.put("description", "<div class=\"no-overflow\">" + activity.intro() + "</div>");
        }
        json.put("visible", 1)
                .put("uservisible", true)
                .put("visibleoncoursepage", 1)
                .put("modicon", siteUrl + "/theme/image.php/boost/" + activity.modname() + "/1/monologo?filtericon=1")
                .put("modname", activity.modname())
                .put("modplural", switch (activity.modname()) {
                    case "label" -> "Text and media areas";
                    case "quiz" -> "Quizzes";
                    default -> Character.toUpperCase(activity.modname().charAt(0)) + activity.modname().substring(1)
                            + "s";
                })
                .putNull("availability")
                .put("indent", 0)
                .put("onclick", "")
                .putNull("afterlink")
                .put("customdata", "\"\"")
                .put("noviewlink", label)
                .put("completion", 0)
                .put("downloadcontent", 1);
        json.set("dates", Json.array());
        if (activity.modname().equals("page")) {
            long modified = MoodleSite.now();
            ArrayNode contents = Json.array();
            contents.add(Json.object().put("type", "file").put("filename", "index.html").put("filepath", "/")
                    .put("filesize", 0)
                    .put("fileurl", siteUrl + "/webservice/pluginfile.php/" + activity.contextid()
                            + "/mod_page/content/index.html?forcedownload=1")
                    .putNull("timecreated").put("timemodified", modified).put("sortorder", 1).putNull("userid")
                    .putNull("author").putNull("license"));
            json.set("contents", contents);
            ObjectNode info = Json.object().put("filescount", 1).put("filessize", 0).put("lastmodified", modified);
            info.set("mimetypes", Json.array());
            info.put("repositorytype", "");
            json.set("contentsinfo", info);
        }
        return json;
    }

    // ---- Shared checks -----------------------------------------------------------------------------------------

    /** course_validate_dates() on the values sent. */
    private static void validateDates(Long startdate, Long enddate) {
        boolean hasStart = startdate != null && startdate != 0;
        boolean hasEnd = enddate != null && enddate != 0;
        if (hasStart && hasEnd && enddate < startdate) {
            throw MoodleException.moodle("enddatebeforestartdate", "The course end date must be after the start date.");
        }
        if (!hasStart && hasEnd) {
            throw MoodleException.moodle("nostartdatenoenddate",
                    "A course end date can only be set if a start date is also set.");
        }
    }

    /** external_validate_format(): FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN or FORMAT_MARKDOWN. */
    private static long validateFormat(long format) {
        if (!TEXT_FORMATS.contains(format)) {
            throw MoodleException.invalidParameter("Text format is invalid");
        }
        return format;
    }

    private static MoodleException shortnameTaken(String shortname) {
        return MoodleException.moodle("shortnametaken", "Short name is already used for another course (" + shortname
                + ")");
    }

    private static MoodleException idnumberTaken(String idnumber) {
        return MoodleException.moodle("courseidnumbertaken", "ID number is already used for another course ("
                + idnumber + ")");
    }

    /** A PARAM_SEQUENCE of ids, each once. */
    private static Set<Long> sequence(String value) {
        Set<Long> ids = new LinkedHashSet<>();
        for (String part : value.replaceAll("[^0-9,]", "").split(",")) {
            if (!part.isEmpty()) {
                ids.add(Param.phpInt(part));
            }
        }
        return ids;
    }

    /** Moodle stores "no date" as 0; the Course record says null. */
    private static Long nonZero(Long date) {
        return date == null || date == 0 ? null : date;
    }
}
