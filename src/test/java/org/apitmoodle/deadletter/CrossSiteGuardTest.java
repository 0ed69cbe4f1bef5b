package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CrossSiteGuardTest {

    private final CrossSiteGuard guard = new CrossSiteGuard("127.0.0.1", 8080);

    @Test
    void aChangeNeedsThePagesTokenOrItsOwnOrigin() {
        assertThatCode(() -> guard.check("POST", guard.token(), null, "http://127.0.0.1:8080/dead-letters/1/discard")).as("the page's token")
                .doesNotThrowAnyException();
        assertThatCode(() -> guard.check("POST", null, "http://127.0.0.1:8080", "http://127.0.0.1:8080/dead-letters/1/discard")).as("same origin")
                .doesNotThrowAnyException();
        assertThatCode(() -> guard.check("POST", null, "https://ops.example.org", "http://ops.example.org:443/dead-letters/replay"))
                .as("the default port written out").doesNotThrowAnyException();

        assertRefused("POST", null, null, "http://127.0.0.1:8080/dead-letters/1/discard");                       // a form without Origin (or curl)
        assertRefused("POST", null, "https://evil.example", "http://127.0.0.1:8080/dead-letters/1/discard");      // another site's page
        assertRefused("POST", null, "http://127.0.0.1:9999", "http://127.0.0.1:8080/dead-letters/1/discard");     // another port is another origin
        assertRefused("POST", null, "null", "http://127.0.0.1:8080/dead-letters/1/discard");                     // a sandboxed or file page
        assertRefused("POST", "guessed", "https://evil.example", "http://127.0.0.1:8080/dead-letters/1/discard"); // a wrong token
        assertRefused("DELETE", "", null, "http://127.0.0.1:8080/dead-letters/1/discard");
    }

    @Test
    void readingNeedsNeither() {
        assertThatCode(() -> guard.check("GET", null, "https://evil.example", "http://127.0.0.1:8080/dead-letters/1/discard")).doesNotThrowAnyException();
        assertThatCode(() -> guard.check("HEAD", null, null, null)).doesNotThrowAnyException();
    }

    @Test
    void aRefusalNamesTheOriginToSendTheAddressTheRequestWentTo() {
        CrossSiteGuard onAPort = new CrossSiteGuard("127.0.0.1", 9191);
        assertThatThrownBy(() -> onAPort.check("POST", null, null, "http://localhost:9191/dead-letters/1/replay"))
                .hasMessageEndingWith("like curl -H 'Origin: http://localhost:9191'.");
        assertThatThrownBy(() -> onAPort.check("POST", null, "https://evil.example", "http://10.1.2.3:9191/dead-letters/replay"))
                .hasMessageEndingWith("like curl -H 'Origin: http://10.1.2.3:9191'.");

        assertThatThrownBy(() -> onAPort.check("POST", null, null, null)).as("no URL: the configured address")
                .hasMessageEndingWith("like curl -H 'Origin: http://127.0.0.1:9191'.");
        assertThatThrownBy(() -> new CrossSiteGuard("0.0.0.0", 8443).check("POST", null, null, null))
                .as("every address: this machine's own name").hasMessageEndingWith("like curl -H 'Origin: http://localhost:8443'.");
    }

    @Test
    void eachStartHasATokenOfItsOwn() {
        assertThat(guard.token()).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(new CrossSiteGuard("127.0.0.1", 8080).token());
    }

    private void assertRefused(String method, String token, String origin, String host) {
        assertThatThrownBy(() -> guard.check(method, token, origin, host)).as(method + " " + token + " " + origin)
                .isInstanceOf(DeadLetterRequestException.class)
                .extracting(e -> ((DeadLetterRequestException) e).getStatus()).isEqualTo(403);
    }
}
