package org.apitmoodle.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import org.apitmoodle.moodle.FailureKind;
import org.apitmoodle.moodle.MoodleCall;
import org.apitmoodle.moodle.SyncFailure;

/**
 * The last answer of Moodle's core_webservice_get_site_info, asked on a schedule by the route check-moodle (not
 * per health request, so a health probe never waits for Moodle). The health check "moodle" reads it.
 */
public final class MoodleSiteCheck {

    /** What the last check found. */
    public enum State {
        /** No check has finished since start-up. */
        NOT_CHECKED,
        /** Moodle answered and accepted the token. */
        REACHABLE,
        /** Moodle could not be reached, or answered with a server error. */
        UNREACHABLE,
        /** Moodle answered but refused the integration (token, service, web services off). */
        REFUSED
    }

    /** One check's result; errorCode and message are Moodle's (or the connection's), never the token. */
    public record Result(State state, String siteName, String errorCode, String message, Instant checkedAt) {
    }

    /** The site as it last described itself: its name, release ("4.1.10 (Build: 20240422)") and version number. */
    public record Site(String name, String release, String version, Instant readAt) {
    }

    private volatile Result last = new Result(State.NOT_CHECKED, null, null, null, null);
    /** Kept when a later check fails: the page still names the site it could not reach. */
    private volatile Site site;

    /** The call the check makes. */
    public MoodleCall call() {
        return MoodleCall.SITE_INFO;
    }

    public void reachable(JsonNode siteInfo) {
        Instant now = Instant.now();
        last = new Result(State.REACHABLE, siteInfo == null ? null : siteInfo.path("sitename").asText(null),
                null, null, now);
        if (siteInfo != null) {
            site = new Site(siteInfo.path("sitename").asText(null), siteInfo.path("release").asText(null),
                    siteInfo.path("version").asText(null), now);
        }
    }

    public void failed(Throwable cause) {
        // The classified failure may come wrapped (e.g. in the exception of the bean expression that checked the answer).
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SyncFailure failure) {
                State state = failure.getKind() == FailureKind.TRANSIENT ? State.UNREACHABLE : State.REFUSED;
                last = new Result(state, null, failure.getErrorCode(), failure.getMessage(), Instant.now());
                return;
            }
        }
        Throwable root = cause;
        while (root != null && root.getCause() != null) {
            root = root.getCause();
        }
        last = new Result(State.UNREACHABLE, null, root == null ? "unknown" : root.getClass().getSimpleName(),
                root == null ? null : root.getMessage(), Instant.now());
    }

    public Result last() {
        return last;
    }

    /** The site as last read; null before Moodle first answered. */
    public Site site() {
        return site;
    }
}
