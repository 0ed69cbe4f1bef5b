package org.apitmoodle.emulator;

import static org.apitmoodle.emulator.ExternalDescription.multiple;
import static org.apitmoodle.emulator.ExternalDescription.optional;
import static org.apitmoodle.emulator.ExternalDescription.optionalMultiple;
import static org.apitmoodle.emulator.ExternalDescription.single;
import static org.apitmoodle.emulator.ExternalDescription.value;
import static org.apitmoodle.emulator.ExternalDescription.withDefault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** user/externallib.php and user_get_user_details() from user/lib.php. */
final class CoreUserExternal {

    /** Auth plugins whose accounts keep a Moodle password, so one must be given or created. */
    private static final Set<String> INTERNAL_AUTH_PLUGINS = Set.of("manual", "email", "nologin", "none");

    private CoreUserExternal() {
    }

    // ---- core_user_create_users --------------------------------------------------------------------------------

    static final ExternalFunction CREATE_USERS = new ExternalFunction("core_user_create_users", "2022112810",
            single("users", multiple(single(
                    "createpassword", optional(Param.BOOL),
                    "username", value(Param.USERNAME),
                    "auth", withDefault(Param.AUTH, "manual"),
                    "password", optional(Param.RAW),
                    "firstname", value(Param.NOTAGS),
                    "lastname", value(Param.NOTAGS),
                    "email", value(Param.RAW_TRIMMED),
                    "maildisplay", optional(Param.INT),
                    "city", optional(Param.TEXT),
                    "country", optional(Param.ALPHA),
                    "timezone", optional(Param.TIMEZONE),
                    "description", optional(Param.RAW),
                    "firstnamephonetic", optional(Param.NOTAGS),
                    "lastnamephonetic", optional(Param.NOTAGS),
                    "middlename", optional(Param.NOTAGS),
                    "alternatename", optional(Param.NOTAGS),
                    "interests", optional(Param.TEXT),
                    "idnumber", withDefault(Param.RAW, ""),
                    "institution", optional(Param.TEXT),
                    "department", optional(Param.TEXT),
                    "phone1", optional(Param.NOTAGS),
                    "phone2", optional(Param.NOTAGS),
                    "address", optional(Param.TEXT),
                    "lang", withDefault(Param.LANG, "en"),
                    "calendartype", withDefault(Param.PLUGIN, "gregorian"),
                    "theme", optional(Param.THEME),
                    "mailformat", optional(Param.INT),
                    "customfields", optionalMultiple(single(
                            "type", value(Param.ALPHANUMEXT), "value", value(Param.RAW))),
                    "preferences", optionalMultiple(single(
                            "type", value(Param.RAW), "value", value(Param.RAW)))))),
            CoreUserExternal::createUsers);

    private static JsonNode createUsers(WsCall call) {
        if (!call.capable()) {
            throw MoodleException.noPermissions("Create users");
        }
        MoodleSite site = call.site();
        return site.transaction(() -> {
            ArrayNode created = Json.array();
            for (Params user : call.params().structures("users")) {
                String username = user.string("username");
                for (String field : List.of("username", "firstname", "lastname")) {
                    if (user.string(field).trim().isEmpty()) {
                        throw MoodleException.invalidParameter("The field " + field + " cannot be blank");
                    }
                }
                if (site.findUserByUsername(username).isPresent()) {
                    throw MoodleException.invalidParameter("Username already exists: " + username);
                }
                String auth = user.string("auth");
                if (auth.equals("mnet") || auth.equals("webservice")) {
                    throw MoodleException.invalidParameter("Invalid authentication type: " + auth);
                }
                boolean internal = INTERNAL_AUTH_PLUGINS.contains(auth);
                boolean createpassword = user.bool("createpassword");
                if (internal && phpEmpty(user.string("password")) && !createpassword) {
                    throw MoodleException.invalidParameter(
                            "Invalid password: you must provide a password, or set createpassword.");
                }
                String email = user.string("email");
                if (!MoodleLib.validateEmail(email)) {
                    throw MoodleException.invalidParameter("Email address is invalid: " + email);
                }
                if (!site.allowAccountsSameEmail() && site.emailTaken(email)) {
                    throw MoodleException.invalidParameter("Email address already exists: " + email);
                }
                // user_create_user(): the policy applies to a password given for an internal account.
                if (internal && !createpassword) {
                    String policyErrors = MoodleLib.checkPasswordPolicy(user.string("password"));
                    if (!policyErrors.isEmpty()) {
                        throw new MoodleException("moodle_exception", policyErrors, "error/" + policyErrors, null);
                    }
                }
                User draft = new User(0, username, user.string("firstname"), user.string("lastname"), email,
                        user.string("idnumber"), auth, Objects.requireNonNullElse(user.string("city"), ""),
                        Countries.clean(Objects.requireNonNullElse(user.string("country"), "")));
                for (String column : User.COLUMNS.keySet()) {
                    if (user.has(column)) {
                        draft = draft.with(column, user.string(column));
                    }
                }
                // profile_save_data() after user_create_user(), in the same transaction.
                User inserted = site.insertUser(draft.withProfile(profileData(site, user)));
                // user_create_user() hashes a given password (bcrypt, the cost of a manual account); an SSO
                // account without one is stored unhashed (transcripts 285-286).
                call.createdUser(createpassword || !phpEmpty(user.string("password")));
                created.add(Json.object().put("id", inserted.id()).put("username", inserted.username()));
            }
            return created;
        });
    }

    // ---- core_user_update_users --------------------------------------------------------------------------------

    static final ExternalFunction UPDATE_USERS = new ExternalFunction("core_user_update_users", "2022112810",
            single("users", multiple(single(
                    "id", value(Param.INT),
                    "username", optional(Param.USERNAME),
                    "auth", optional(Param.AUTH),
                    "password", optional(Param.RAW),
                    "firstname", optional(Param.NOTAGS),
                    "lastname", optional(Param.NOTAGS),
                    "email", optional(Param.RAW_TRIMMED),
                    "idnumber", optional(Param.RAW),
                    "city", optional(Param.NOTAGS),
                    "country", optional(Param.ALPHA),
                    "timezone", optional(Param.TIMEZONE),
                    "description", optional(Param.RAW),
                    "firstnamephonetic", optional(Param.NOTAGS),
                    "lastnamephonetic", optional(Param.NOTAGS),
                    "middlename", optional(Param.NOTAGS),
                    "alternatename", optional(Param.NOTAGS),
                    "institution", optional(Param.TEXT),
                    "department", optional(Param.TEXT),
                    "phone1", optional(Param.NOTAGS),
                    "phone2", optional(Param.NOTAGS),
                    "address", optional(Param.TEXT),
                    "lang", optional(Param.LANG),
                    "customfields", optionalMultiple(single(
                            "type", value(Param.ALPHANUMEXT), "value", value(Param.RAW)))))),
            CoreUserExternal::updateUsers);

    /**
     * Each user in a transaction of its own; what fails becomes a warning and the rest go on (179). A malformed
     * or taken email is a warning (169, 170), a username taken fails at the unique index (178), a value too long
     * for its column too. An unknown country is stored as "0" (core_user::clean_field), custom profile fields as in
     * create_users (profile_save_data). Not emulated: suspended, userpicture, interests, maildisplay, calendartype,
     * theme, mailformat and preferences (a call sending them is refused).
     */
    private static JsonNode updateUsers(WsCall call) {
        if (!call.capable()) {
            throw MoodleException.noPermissions("Update user profiles");
        }
        MoodleSite site = call.site();
        ArrayNode warnings = Json.array();
        for (Params change : call.params().structures("users")) {
            long id = change.longValue("id");
            try {
                site.transaction(() -> {
                    User old = site.findUser(id).filter(u -> u.id() > 1)
                            .orElseThrow(() -> MoodleException.moodle("invaliduserid", "Invalid user ID"));
                    String email = change.has("email") ? change.string("email") : old.email();
                    if (!email.equals(old.email())) {
                        if (!MoodleLib.validateEmail(email)) {
                            throw MoodleException.moodle("useremailinvalid", "error/useremailinvalid");
                        }
                        if (!site.allowAccountsSameEmail() && site.users().stream()
                                .anyMatch(u -> u.id() != id && u.email().equalsIgnoreCase(email))) {
                            throw MoodleException.moodle("useremailduplicate", "Duplicate address");
                        }
                    }
                    String username = change.has("username") ? change.string("username") : old.username();
                    if (!username.equals(old.username()) && site.findUserByUsername(username).isPresent()) {
                        throw MoodleException.dmlWrite("ERROR:  duplicate key value violates unique constraint"
                                + " \"mdl_user_mneuse_uix\"");
                    }
                    User updated = new User(id, username, changed(change, "firstname", old.firstname()),
                            changed(change, "lastname", old.lastname()), email,
                            changed(change, "idnumber", old.idnumber()), changed(change, "auth", old.auth()),
                            changed(change, "city", old.city()),
                            change.has("country") ? Countries.clean(change.string("country")) : old.country(),
                            old.fields(), old.profile());
                    for (String column : User.COLUMNS.keySet()) {
                        if (change.has(column)) {
                            updated = updated.with(column, change.string(column));
                        }
                    }
                    site.updateUser(updated.withProfile(profileData(site, change)));
                    return null;
                });
            } catch (MoodleException e) {
                warnings.add(Json.object().put("item", "user").put("itemid", id).put("warningcode", e.errorcode())
                        .put("message", e.getMessage()));
            }
        }
        return Json.object().set("warnings", warnings);
    }

    /**
     * profile_save_data(): each defined profile field sent as {@code customfields[i][type]} = its shortname gets
     * the value (the last one sent for it); a shortname no field has is ignored without a word (292-293). A menu
     * field stores a value that is not one of its options as its default, "" (294-295).
     */
    private static Map<String, String> profileData(MoodleSite site, Params user) {
        Map<String, String> sent = new LinkedHashMap<>();
        for (Params field : user.structures("customfields")) {
            sent.put(field.string("type"), field.string("value"));
        }
        Map<String, String> data = new LinkedHashMap<>();
        for (MoodleSite.ProfileField field : site.userProfileFields()) {
            String value = sent.get(field.shortname());
            if (value != null) {
                data.put(field.shortname(), field.datatype().equals("menu") && !field.options().contains(value)
                        ? "" : value);
            }
        }
        return data;
    }

    private static String changed(Params change, String field, String otherwise) {
        return change.has(field) ? change.string(field) : otherwise;
    }

    // ---- core_user_get_users_by_field --------------------------------------------------------------------------

    static final ExternalFunction GET_USERS_BY_FIELD = new ExternalFunction("core_user_get_users_by_field",
            "2022112810",
            single("field", value(Param.ALPHA), "values", multiple(value(Param.RAW))),
            CoreUserExternal::getUsersByField);

    private static JsonNode getUsersByField(WsCall call) {
        String field = call.params().string("field");
        Param type = switch (field) {
            case "id" -> Param.INT;
            case "idnumber" -> Param.RAW;
            case "username" -> Param.USERNAME;
            case "email" -> Param.RAW_TRIMMED;
            default -> throw MoodleException.codingError("invalid field parameter",
                    "The search field '" + field + "' is not supported, look at the web service documentation");
        };
        List<String> values = call.params().strings("values");
        for (String value : values) {
            String cleaned = type.clean(value);
            if (type == Param.INT ? !isPhpInteger(value) : !cleaned.equals(value)) {
                throw MoodleException.invalidParameter("The field '" + field + "' value is invalid: " + value
                        + "(cleaned value: " + cleaned + ")");
            }
        }
        ArrayNode result = Json.array();
        if (!call.capable()) {
            return result; // user_get_user_details_courses() gives nothing to a caller who may not view profiles.
        }
        // By id, each user is found by its key (the same answer as a scan, in id order); the other fields scan.
        java.util.stream.Stream<User> candidates = field.equals("id")
                ? values.stream().map(Param::phpInt).distinct().map(id -> call.site().findUser(id))
                        .flatMap(java.util.Optional::stream)
                : call.site().users().stream().filter(user -> values.stream().anyMatch(v -> matches(user, field, v)));
        candidates
                .sorted(Comparator.comparingLong(User::id))
                .map(user -> details(call, user, null, null))
                // Only users whose searched field the caller gets back: otherwise the search would disclose it.
                .filter(details -> details.hasNonNull(field) && !details.get(field).asText().isEmpty())
                .forEach(result::add);
        return result;
    }

    private static boolean matches(User user, String field, String value) {
        return switch (field) {
            case "id" -> user.id() == Param.phpInt(value);
            case "idnumber" -> user.idnumber().equals(value);
            case "username" -> user.username().equals(value);
            default -> user.email().equals(value); // PostgreSQL compares case-sensitively.
        };
    }

    /** PHP's {@code $value != (int) $value} for a numeric id: " 15" and "015" pass, "15.5" and "abc" do not. */
    private static boolean isPhpInteger(String value) {
        return value.matches("\\s*[+-]?\\d+\\s*");
    }

    // ---- user_get_user_details() -------------------------------------------------------------------------------

    /**
     * A user as the service user sees them, all default fields or only {@code fields} (id and fullname always).
     * In a course (get_enrolled_users) the profile comes with the course's roles and the user's courses; outside
     * one (get_users_by_field) with the account settings.
     */
    static ObjectNode details(WsCall call, User user, Course course, Set<String> fields) {
        MoodleSite site = call.site();
        ObjectNode d = Json.object();
        put(d, fields, "id", () -> d.put("id", user.id()), true);
        put(d, fields, "username", () -> d.put("username", user.username()), false);
        put(d, fields, "fullname", () -> d.put("fullname", user.fullname()), true);
        if (call.seesEmails()) {
            put(d, fields, "email", () -> d.put("email", user.email()), false);
        }
        // Department is returned even empty (isset); institution and idnumber only when set (278, 286, 291).
        put(d, fields, "department", () -> d.put("department", user.department()), false);
        if (!phpEmpty(user.institution())) {
            put(d, fields, "institution", () -> d.put("institution", user.institution()), false);
        }
        if (!phpEmpty(user.idnumber())) {
            put(d, fields, "idnumber", () -> d.put("idnumber", user.idnumber()), false);
        }
        put(d, fields, "firstaccess", () -> d.put("firstaccess", 0), false);
        put(d, fields, "lastaccess", () -> d.put("lastaccess", 0), false);
        if (course != null) {
            put(d, fields, "lastcourseaccess", () -> d.put("lastcourseaccess", 0), false);
        } else {
            put(d, fields, "auth", () -> d.put("auth", user.auth()), false);
            put(d, fields, "suspended", () -> d.put("suspended", site.isUserSuspended(user.id())), false);
            put(d, fields, "confirmed", () -> d.put("confirmed", true), false);
            put(d, fields, "lang", () -> d.put("lang", Param.LANG.clean(user.lang())), false);
            put(d, fields, "theme", () -> d.put("theme", ""), false);
            put(d, fields, "timezone", () -> d.put("timezone", user.timezone()), false);
            put(d, fields, "mailformat", () -> d.put("mailformat", 1), false);
        }
        // The description only of a user who holds a role somewhere ($CFG->profilesforenrolledusersonly, on by
        // default), or of the caller. Address, phone1 and phone2 need moodle/user:viewhiddendetails (or the field
        // in showuseridentity), which the recording site's service user did not have: never returned (291).
        if (user.fields().containsKey("description")
                && (user.id() == call.user().id() || !site.enrolmentsOf(user.id()).isEmpty())) {
            put(d, fields, "description", () -> d.put("description", user.description()), false);
            put(d, fields, "descriptionformat", () -> d.put("descriptionformat", 1), false);
        }
        if (!phpEmpty(user.city())) {
            put(d, fields, "city", () -> d.put("city", user.city()), false);
        }
        if (!phpEmpty(user.country())) { // "0", the default stored for an unknown code, is left out (298)
            put(d, fields, "country", () -> d.put("country", user.country()), false);
        }
        String pictures = call.siteUrl() + "/theme/image.php/boost/core/1/u/";
        put(d, fields, "profileimageurlsmall", () -> d.put("profileimageurlsmall", pictures + "f2"), false);
        put(d, fields, "profileimageurl", () -> d.put("profileimageurl", pictures + "f1"), false);
        ArrayNode customfields = customfields(site, user);
        if (!customfields.isEmpty()) { // left out when the user has no profile data that is not empty (291)
            put(d, fields, "customfields", () -> d.set("customfields", customfields), false);
        }
        if (course != null) {
            put(d, fields, "roles", () -> d.set("roles", roles(site, user, course)), false);
            put(d, fields, "enrolledcourses", () -> d.set("enrolledcourses", enrolledCourses(site, user)), false);
        }
        return d;
    }

    /**
     * The user's profile data that is not empty ("0" is not empty), in the order of the fields: a text field's
     * value as display_data() formats it (format_text: a bare '&' becomes "&amp;"), a menu's as stored.
     */
    private static ArrayNode customfields(MoodleSite site, User user) {
        ArrayNode list = Json.array();
        for (MoodleSite.ProfileField field : site.userProfileFields()) {
            String data = user.profile().get(field.shortname());
            if (data == null || data.isEmpty()) {
                continue;
            }
            String value = field.datatype().equals("text") ? MoodleLib.escapeAmpersands(data) : data;
            list.add(Json.object().put("type", field.datatype()).put("value", value).put("name", field.name())
                    .put("shortname", field.shortname()));
        }
        return list;
    }

    private static void put(ObjectNode d, Set<String> fields, String field, Runnable add, boolean always) {
        if (always || fields == null || fields.contains(field)) {
            add.run();
        }
    }

    private static ArrayNode roles(MoodleSite site, User user, Course course) {
        ArrayNode roles = Json.array();
        site.enrolment(user.id(), course.id()).flatMap(e -> site.findRole(e.roleId())).ifPresent(role ->
                roles.add(Json.object().put("roleid", role.id()).put("name", "").put("shortname", role.shortname())
                        .put("sortorder", 0)));
        return roles;
    }

    /** The visible courses the user is actively enrolled in, in course listing order. */
    private static ArrayNode enrolledCourses(MoodleSite site, User user) {
        ArrayNode courses = Json.array();
        site.enrolmentsOf(user.id()).stream()
                .filter(EnrolExternal::isActive)
                .map(e -> site.findCourse(e.courseId()).orElseThrow())
                .filter(Course::visible)
                .sorted(Comparator.comparingLong(site::sortorder))
                .forEach(c -> courses.add(Json.object().put("id", c.id()).put("fullname", c.fullname())
                        .put("shortname", c.shortname())));
        return courses;
    }

    /** PHP's empty() on a string: absent, "" or "0". */
    private static boolean phpEmpty(String value) {
        return value == null || value.isEmpty() || value.equals("0");
    }
}
