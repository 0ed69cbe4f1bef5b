package org.apitmoodle.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row of Moodle's user table, the columns the emulator keeps ("" where Moodle stores an empty string), with the
 * user's custom profile field data (user_info_data).
 *
 * <p>{@code fields} holds the other columns the web service writes, by their Moodle column names (see
 * {@link #COLUMNS}), only those set; the readers below give Moodle's column default for the others. {@code profile}
 * holds the custom profile field data by the field's shortname, as stored: a menu value outside the field's options
 * is stored as the field's default (""), as Moodle does (transcripts 294-295).
 */
public record User(long id, String username, String firstname, String lastname, String email, String idnumber,
                   String auth, String city, String country, Map<String, String> fields,
                   Map<String, String> profile) {

    /** The columns kept in {@link #fields}, with their length in Moodle's user table (0: a text column). */
    static final Map<String, Integer> COLUMNS = columns(
            "department", 255, "institution", 255, "address", 255, "phone1", 20, "phone2", 20,
            "middlename", 255, "alternatename", 255, "firstnamephonetic", 255, "lastnamephonetic", 255,
            "description", 0, "lang", 30, "timezone", 100);

    public User {
        fields = Map.copyOf(fields);
        profile = Map.copyOf(profile);
    }

    /** A user with no other column set and no profile data. */
    public User(long id, String username, String firstname, String lastname, String email, String idnumber,
                String auth, String city, String country) {
        this(id, username, firstname, lastname, email, idnumber, auth, city, country, Map.of(), Map.of());
    }

    /** Moodle's default full name format: "firstname lastname". */
    public String fullname() {
        return firstname + " " + lastname;
    }

    public String department() {
        return fields.getOrDefault("department", "");
    }

    public String institution() {
        return fields.getOrDefault("institution", "");
    }

    public String address() {
        return fields.getOrDefault("address", "");
    }

    public String phone1() {
        return fields.getOrDefault("phone1", "");
    }

    public String phone2() {
        return fields.getOrDefault("phone2", "");
    }

    public String middlename() {
        return fields.getOrDefault("middlename", "");
    }

    public String alternatename() {
        return fields.getOrDefault("alternatename", "");
    }

    public String firstnamephonetic() {
        return fields.getOrDefault("firstnamephonetic", "");
    }

    public String lastnamephonetic() {
        return fields.getOrDefault("lastnamephonetic", "");
    }

    /** The profile description; "" when none was given (Moodle's column is then NULL). */
    public String description() {
        return fields.getOrDefault("description", "");
    }

    /** The user's language: "en" (the site's) unless another was given. */
    public String lang() {
        return fields.getOrDefault("lang", "en");
    }

    /** The user's time zone: "99" (the server's) unless another was given. */
    public String timezone() {
        return fields.getOrDefault("timezone", "99");
    }

    /** The user's data for the custom profile field with this shortname, "" when none is stored. */
    public String profile(String shortname) {
        return profile.getOrDefault(shortname, "");
    }

    /** This user with one column of {@link #COLUMNS} (or city, country, idnumber) set. */
    User with(String column, String value) {
        switch (column) {
            case "city" -> {
                return new User(id, username, firstname, lastname, email, idnumber, auth, value, country, fields,
                        profile);
            }
            case "country" -> {
                return new User(id, username, firstname, lastname, email, idnumber, auth, city, value, fields,
                        profile);
            }
            case "idnumber" -> {
                return new User(id, username, firstname, lastname, email, value, auth, city, country, fields,
                        profile);
            }
            default -> {
                if (!COLUMNS.containsKey(column)) {
                    throw new IllegalArgumentException("Not a kept user column: " + column);
                }
                Map<String, String> changed = new LinkedHashMap<>(fields);
                changed.put(column, value);
                return new User(id, username, firstname, lastname, email, idnumber, auth, city, country, changed,
                        profile);
            }
        }
    }

    /** This user under another id and username (the other columns and the profile data kept). */
    User withIdAndUsername(long newId, String newUsername) {
        return new User(newId, newUsername, firstname, lastname, email, idnumber, auth, city, country, fields,
                profile);
    }

    /** This user with these profile data written over the stored ones. */
    User withProfile(Map<String, String> data) {
        Map<String, String> changed = new LinkedHashMap<>(profile);
        changed.putAll(data);
        return new User(id, username, firstname, lastname, email, idnumber, auth, city, country, fields, changed);
    }

    private static Map<String, Integer> columns(Object... pairs) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            columns.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(columns);
    }
}
