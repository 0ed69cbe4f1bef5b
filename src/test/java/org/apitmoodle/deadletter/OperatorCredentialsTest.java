package org.apitmoodle.deadletter;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apitmoodle.Settings.InvalidSettingException;
import org.apitmoodle.support.OperatorHttp;
import org.junit.jupiter.api.Test;

class OperatorCredentialsTest {

    private static final String HERE = "192.0.2.10";

    private final Map<String, String> properties = new HashMap<>(Map.of(
            "camel.server.enabled", "true", "dead-letters.username", "operator", "dead-letters.password", "s3cret: yes, long",
            "dead-letters.login-failures-before-delay", "100", "dead-letters.login-delay-ms", "1000",
            "dead-letters.login-maximum-delay-ms", "300000"));

    @Test
    void letsInTheOperatorsNameAndPassword() {
        OperatorCredentials credentials = OperatorCredentials.read(properties::get);

        assertThatCode(() -> credentials.check(OperatorHttp.basic("operator", "s3cret: yes, long"), HERE)).doesNotThrowAnyException();
        assertThatCode(() -> credentials.check("basic " + OperatorHttp.basic("operator", "s3cret: yes, long").substring(6), HERE))
                .as("the scheme is case-insensitive").doesNotThrowAnyException();
    }

    @Test
    void refusesAMissingWrongOrMalformedAuthorization() {
        OperatorCredentials credentials = OperatorCredentials.read(properties::get);

        for (String authorization : new String[] {null, "", OperatorHttp.basic("operator", "s3cret"),
                OperatorHttp.basic("admin", "s3cret: yes, long"), OperatorHttp.basic("operator", "s3cret: yes, long!"),
                "Basic %%%", "Bearer s3cret: yes", "Basic"}) {
            assertThatThrownBy(() -> credentials.check(authorization, HERE)).as(String.valueOf(authorization))
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
    void startUpRefusesAPasswordShorterThanTwelveCharacters() {
        properties.put("dead-letters.password", "eleven-char");

        assertThatThrownBy(() -> OperatorCredentials.read(properties::get))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("dead-letters.password is shorter than 12 characters (environment variable"
                        + " DEAD_LETTERS_PASSWORD)")
                .message().doesNotContain("eleven-char");
        properties.put("dead-letters.password", "twelve-chars");
        assertThatCode(() -> OperatorCredentials.read(properties::get)).doesNotThrowAnyException();
        properties.put("dead-letters.password", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9");
        assertThatCode(() -> OperatorCredentials.read(properties::get)).as("characters, not bytes").doesNotThrowAnyException();
        properties.put("camel.server.enabled", "false");
        properties.put("dead-letters.password", "short");
        assertThatCode(() -> OperatorCredentials.read(properties::get)).as("the server off: the password is not used")
                .doesNotThrowAnyException();
    }

    @Test
    void aGuesserSlowsOnlyTheirOwnAddress() {
        properties.put("dead-letters.login-failures-before-delay", "2");
        OperatorCredentials credentials = OperatorCredentials.read(properties::get);
        String guesser = "198.51.100.7";

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> credentials.check(OperatorHttp.basic("operator", "guess"), guesser))
                    .isInstanceOf(RuntimeException.class);
        }
        assertThatThrownBy(() -> credentials.check(OperatorHttp.basic("operator", "s3cret: yes, long"), guesser))
                .isInstanceOf(SignInsThrottledException.class);
        assertThatCode(() -> credentials.check(OperatorHttp.basic("operator", "s3cret: yes, long"), HERE))
                .as("the operator elsewhere signs in at once").doesNotThrowAnyException();
        assertThatCode(() -> credentials.check(OperatorHttp.basic("operator", "s3cret: yes, long"),
                io.vertx.core.net.SocketAddress.inetSocketAddress(50123, "192.0.2.10"))).as("as the server reports it; the port plays no part")
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> credentials.check(OperatorHttp.basic("operator", "s3cret: yes, long"), guesser))
                .as("the guesser still waits").isInstanceOf(SignInsThrottledException.class);
    }

    @Test
    void withTheServerOffNoPasswordIsNeededAndNobodyIsLetIn() {
        properties.put("camel.server.enabled", "false");
        properties.remove("dead-letters.password");

        OperatorCredentials credentials = OperatorCredentials.read(properties::get);

        assertThatThrownBy(() -> credentials.check(OperatorHttp.basic("operator", ""), HERE))
                .isInstanceOf(OperatorNotAuthenticatedException.class);
    }

    @Test
    void afterRepeatedFailuresEvenTheRightPasswordWaits() {
        properties.put("dead-letters.login-failures-before-delay", "2");
        OperatorCredentials credentials = OperatorCredentials.read(properties::get);

        assertThatThrownBy(() -> credentials.check(null, HERE)).as("the browser's first request is no guess")
                .isInstanceOf(OperatorNotAuthenticatedException.class);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> credentials.check(OperatorHttp.basic("operator", "guess"), HERE))
                    .isInstanceOf(OperatorNotAuthenticatedException.class);
        }
        assertThatThrownBy(() -> credentials.check(OperatorHttp.basic("operator", "s3cret: yes, long"), HERE))
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
