package org.apitmoodle.emulator;

/**
 * A row of Moodle's course table, the columns the emulator keeps. {@code startdate} and {@code enddate} are epoch
 * seconds, null where Moodle stores 0 (not set).
 */
public record Course(long id, String shortname, String fullname, String idnumber, long categoryId, String summary,
                     int summaryformat, String format, boolean visible, Long startdate, Long enddate,
                     boolean enablecompletion, long timecreated, long timemodified) {
}
