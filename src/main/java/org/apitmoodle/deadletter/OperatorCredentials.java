package org.apitmoodle.deadletter;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Function;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Header;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;
import org.apitmoodle.Settings;

/**
 * The operator name and password that open the dead-letter queue over HTTP (HTTP Basic), from the settings
 * dead-letters.username and dead-letters.password. Start-up refuses an empty password, or one shorter than 12
 * characters, while the HTTP server (camel.server.enabled) is on. The password is never part of a message.
 */
public final class OperatorCredentials {

    private final byte[] expected;
    private final LoginThrottle throttle;

    private OperatorCredentials(String username, String password, LoginThrottle throttle) {
        this.expected = password.isEmpty() ? null : (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        this.throttle = throttle;
    }

    /** The credentials of checked settings (see {@link OperatorSettings}), failed sign-ins slowed down by them. */
    public static OperatorCredentials of(OperatorSettings operators) {
        return new OperatorCredentials(operators.username(), operators.password(), new LoginThrottle(
                operators.loginFailuresBeforeDelay(), operators.loginDelayMs(), operators.loginMaximumDelayMs(),
                System::currentTimeMillis));
    }

    /** Reads and checks camel.server.enabled and dead-letters.username and .password. */
    public static OperatorCredentials read(Function<String, String> property) {
        return of(OperatorSettings.read(property));
    }

    /**
     * Lets the request through when its Authorization header carries the operator's name and password, else throws.
     * With no password configured nobody is let in. While failed sign-ins from the client's address are slowed down,
     * nothing is checked. {@code client} is the address the request came from, as the HTTP server reports it.
     */
    public void check(@Header("Authorization") String authorization,
            @Header(VertxPlatformHttpConstants.REMOTE_ADDRESS) Object client) {
        String address = address(client);
        long wait = throttle.waitMs(address);
        if (wait > 0) {
            throw new SignInsThrottledException(wait);
        }
        if (expected == null || !MessageDigest.isEqual(expected, presented(authorization))) {
            // A request without credentials is the browser's first, answered with the challenge: no guess.
            if (authorization != null) {
                throttle.failed(address);
            }
            throw new OperatorNotAuthenticatedException();
        }
        throttle.succeeded(address);
    }

    /** The IP address of the client, without its port (a new one per connection). */
    static String address(Object client) {
        if (client instanceof SocketAddress vertx) {
            return vertx.hostAddress();
        }
        if (client instanceof InetSocketAddress socket) {
            return socket.getAddress() == null ? socket.getHostString() : socket.getAddress().getHostAddress();
        }
        return client == null ? null : client.toString();
    }

    /**
     * The operator's name in a Basic Authorization header {@link #check} let through (for log lines of what they
     * did), or "" when there is none.
     */
    public static String name(String authorization) {
        String presented = new String(presented(authorization), StandardCharsets.UTF_8);
        int colon = presented.indexOf(':');
        return colon < 0 ? "" : presented.substring(0, colon);
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
}
