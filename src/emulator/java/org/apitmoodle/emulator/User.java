package org.apitmoodle.emulator;

/** A row of Moodle's user table, the columns the emulator keeps ("" where Moodle stores an empty string). */
public record User(long id, String username, String firstname, String lastname, String email, String idnumber,
                   String auth, String city, String country) {

    /** Moodle's default full name format: "firstname lastname". */
    public String fullname() {
        return firstname + " " + lastname;
    }
}
