package org.apitmoodle.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Function;
import org.apache.camel.Header;
import org.apitmoodle.Settings.InvalidSettingException;

/**
 * The operator name and password that open the dead-letter queue over HTTP (HTTP Basic), from the settings
 * dead-letters.username and dead-letters.password. Start-up refuses an empty password while the HTTP server
 * (camel.server.enabled) is on. The password is never part of a message.
 */
public final class OperatorCredentials {

    private final byte[] expected;

    private OperatorCredentials(String username, String password) {
        this.expected = password.isEmpty() ? null : (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    public static OperatorCredentials read(Function<String, String> property) {
        boolean serverEnabled = Boolean.parseBoolean(value(property, "camel.server.enabled"));
        String username = value(property, "dead-letters.username");
        String password = value(property, "dead-letters.password");
        if (serverEnabled && username.isEmpty()) {
            throw new InvalidSettingException("dead-letters.username is missing: set it to the name operators sign in"
                    + " with to work the dead-letter queue over HTTP, or turn the HTTP server off (camel.server.enabled).");
        }
        if (serverEnabled && password.isEmpty()) {
            throw new InvalidSettingException("dead-letters.password is missing: set it to the password operators sign"
                    + " in with to work the dead-letter queue over HTTP, or turn the HTTP server off (camel.server.enabled).");
        }
        if (username.contains(":")) {
            throw new InvalidSettingException("dead-letters.username may not contain ':' (HTTP Basic separates the name"
                    + " from the password with it).");
        }
        return new OperatorCredentials(username, password);
    }

    /**
     * Lets the request through when its Authorization header carries the operator's name and password, else throws.
     * With no password configured nobody is let in.
     */
    public void check(@Header("Authorization") String authorization) {
        if (expected == null || !MessageDigest.isEqual(expected, presented(authorization))) {
            throw new OperatorNotAuthenticatedException();
        }
    }

    /** The "name:password" of a Basic Authorization header, or nothing when the header is missing or malformed. */
    private static byte[] presented(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(authorization.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String value(Function<String, String> property, String name) {
        String value = property.apply(name);
        return value == null ? "" : value.strip();
    }
}
