package org.apitmoodle.emulator;

/** What the user behind a web-service token may do, as the recording site's test accounts were set up. */
public enum TokenProfile {
    /** The integration user: the apitws role with every capability the service needs (apit). */
    FULL,
    /** A user holding only webservice/rest:use, authorised on the service (apitweak). */
    WEAK,
    /** A user authorised on the service but lacking webservice/rest:use (apitnorest). */
    NO_REST,
    /** A user with webservice/rest:use who is not an authorised user of the restricted service (apitunauth). */
    NOT_AUTHORISED
}
