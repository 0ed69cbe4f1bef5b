package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apitmoodle.Settings.InvalidSettingException;
import org.apitmoodle.support.OperatorHttp;
import org.junit.jupiter.api.Test;

class OperatorCredentialsTest {

    private final Map<String, String> properties = new HashMap<>(Map.of(
            "camel.server.enabled", "true", "dead-letters.username", "operator", "dead-letters.password", "s3cret: yes",
            "dead-letters.login-failures-before-delay", "100", "dead-letters.login-delay-ms", "1000",
            "dead-letters.login-maximum-delay-ms", "300000"));

    @Test
    void letsInTheOperatorsNameAndPassword() {
        OperatorCredentials credentials = OperatorCredentials.read(properties::get);

        assertThatCode(() -> credentials.check(OperatorHttp.basic("operator", "s3cret: yes"))).doesNotThrowAnyException();
        assertThatCode(() -> credentials.check("basic " + OperatorHttp.basic("operator", "s3cret: yes").substring(6)))
                .as("the scheme is case-insensitive").doesNotThrowAnyException();
    }

    @Test
    void refusesAMissingWrongOrMalformedAuthorization() {
        OperatorCredentials credentials = OperatorCredentials.read(properties::get);

        for (String authorization : new String[] {null, "", OperatorHttp.basic("operator", "s3cret"),
                OperatorHttp.basic("admin", "s3cret: yes"), OperatorHttp.basic("operator", "s3cret: yes!"),
                "Basic %%%", "Bearer s3cret: yes", "Basic"}) {
            assertThatThrownBy(() -> credentials.check(authorization)).as(String.valueOf(authorization))
                    .isInstanceOf(OperatorNotAuthenticatedException.class)
                    .message().doesNotContain("s3cret");
        }
    }

    @Test
    void startUpRefusesAnEmptyPasswordWhileTheHttpServerIsOn() {
        properties.put("dead-letters.password", " ");

        assertThatThrownBy(() -> OperatorCredentials.read(properties::get))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("dead-letters.password is missing");
        properties.put("dead-letters.password", "x");
        properties.remove("dead-letters.username");
        assertThatThrownBy(() -> OperatorCredentials.read(properties::get))
                .hasMessageStartingWith("dead-letters.username is missing");
    }

    @Test
    void withTheServerOffNoPasswordIsNeededAndNobodyIsLetIn() {
        properties.put("camel.server.enabled", "false");
        properties.remove("dead-letters.password");

        OperatorCredentials credentials = OperatorCredentials.read(properties::get);

        assertThatThrownBy(() -> credentials.check(OperatorHttp.basic("operator", "")))
                .isInstanceOf(OperatorNotAuthenticatedException.class);
    }

    @Test
    void afterRepeatedFailuresEvenTheRightPasswordWaits() {
        properties.put("dead-letters.login-failures-before-delay", "2");
        OperatorCredentials credentials = OperatorCredentials.read(properties::get);

        assertThatThrownBy(() -> credentials.check(null)).as("the browser's first request is no guess")
                .isInstanceOf(OperatorNotAuthenticatedException.class);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> credentials.check(OperatorHttp.basic("operator", "guess")))
                    .isInstanceOf(OperatorNotAuthenticatedException.class);
        }
        assertThatThrownBy(() -> credentials.check(OperatorHttp.basic("operator", "s3cret: yes")))
                .isInstanceOf(SignInsThrottledException.class).hasMessageContaining("try again in 1 s")
                .extracting(e -> ((SignInsThrottledException) e).getRetryAfterSeconds()).isEqualTo(1L);
    }

    @Test
    void aNameWithAColonIsRefusedBecauseBasicCannotCarryIt() {
        properties.put("dead-letters.username", "ops:team");

        assertThatThrownBy(() -> OperatorCredentials.read(properties::get))
                .hasMessageStartingWith("dead-letters.username may not contain ':'");
    }
}
