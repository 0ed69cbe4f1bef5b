package org.apitmoodle.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A row of Moodle's course table, the columns the emulator keeps. {@code startdate} and {@code enddate} are epoch
 * seconds, null where Moodle stores 0 (not set). {@code numsections} is the number of sections create_course() made
 * (the site default 4 unless sent); {@code lang} the forced language ("" for none). {@code customfields} holds the
 * course custom field data by the field's shortname (customfield_data), only fields defined on the site.
 */
public record Course(long id, String shortname, String fullname, String idnumber, long categoryId, String summary,
                     int summaryformat, String format, boolean visible, Long startdate, Long enddate,
                     boolean enablecompletion, long timecreated, long timemodified, int numsections, String lang,
                     Map<String, String> customfields) {

    /** moodlecourse/numsections: the number of sections of a new course when none is sent. */
    static final int DEFAULT_NUMSECTIONS = 4;

    public Course {
        customfields = Map.copyOf(customfields);
    }

    /** A course with the default number of sections, no forced language and no custom field data. */
    public Course(long id, String shortname, String fullname, String idnumber, long categoryId, String summary,
                  int summaryformat, String format, boolean visible, Long startdate, Long enddate,
                  boolean enablecompletion, long timecreated, long timemodified) {
        this(id, shortname, fullname, idnumber, categoryId, summary, summaryformat, format, visible, startdate,
                enddate, enablecompletion, timecreated, timemodified, DEFAULT_NUMSECTIONS, "", Map.of());
    }

    /** The course's value of the custom field with this shortname, "" when none is stored. */
    public String customField(String shortname) {
        return customfields.getOrDefault(shortname, "");
    }

    /** This course under another id (the rest kept). */
    Course withId(long newId) {
        return new Course(newId, shortname, fullname, idnumber, categoryId, summary, summaryformat, format, visible,
                startdate, enddate, enablecompletion, timecreated, timemodified, numsections, lang, customfields);
    }

    /** This course with these custom field data written over the stored ones. */
    Course withCustomFields(Map<String, String> data) {
        Map<String, String> changed = new LinkedHashMap<>(customfields);
        changed.putAll(data);
        return new Course(id, shortname, fullname, idnumber, categoryId, summary, summaryformat, format, visible,
                startdate, enddate, enablecompletion, timecreated, timemodified, numsections, lang, changed);
    }
}
