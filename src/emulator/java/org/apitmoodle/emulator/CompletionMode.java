package org.apitmoodle.emulator;

/** How a course's completion is set up, which decides what core_completion_get_course_completion_status answers. */
public enum CompletionMode {
    /** enablecompletion=0: the report answers cannotviewreport. */
    DISABLED,
    /** Completion on but no criteria set: nocriteriaset. */
    NO_CRITERIA,
    /** Completion on with one criterion, "course grade of at least 50.00": the real status. */
    CRITERIA
}
