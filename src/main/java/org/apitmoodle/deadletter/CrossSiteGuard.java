package org.apitmoodle.deadletter;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

/**
 * Refuses a change asked by a page of another site, which the browser would send with the operator's cached
 * password (cross-site request forgery). A request that changes something (anything but GET and HEAD) needs either
 * the token the operators' pages carry (sent back in the header {@value #TOKEN_HEADER}) or an {@code Origin} header
 * naming this server's own address (what a browser sends from its own page, and what curl users add). A request
 * with neither is refused: no browser lets another site set either.
 */
public final class CrossSiteGuard {

    /** The header the pages send the token in. */
    public static final String TOKEN_HEADER = "X-CSRF-Token";

    private final String token;

    /** A guard with a token of its own, new at every start. */
    public CrossSiteGuard() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The token the pages put in their HTML; only someone who could read a page (signed in) knows it. */
    public String token() {
        return token;
    }

    /**
     * Lets a request through unless it changes something and carries neither the token nor a same-origin Origin.
     * {@code url} is the address the request was sent to (its Host header and path, as the server saw them).
     */
    public void check(@Header(Exchange.HTTP_METHOD) String method, @Header(TOKEN_HEADER) String presentedToken,
            @Header("Origin") String origin, @Header(Exchange.HTTP_URL) String url) {
        boolean change = method == null || !("GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method));
        if (change && !hasToken(presentedToken) && !sameOrigin(origin, authority(url))) {
            throw DeadLetterRequestException.crossSite();
        }
    }

    /**
     * The headers every answer of the operators' server carries: no other site may show its pages in a frame
     * (clickjacking an operator into pressing Replay), and browsers take the answers for what they say they are.
     */
    public void forbidFraming(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
        message.setHeader("X-Frame-Options", "DENY");
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
    }

    /** host[:port] of an absolute URL, or null. */
    private static String authority(String url) {
        try {
            return url == null ? null : URI.create(url).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private boolean hasToken(String presented) {
        return presented != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                presented.strip().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether Origin (scheme://host[:port]) names the host and port the request was sent to. The scheme is not
     * compared: behind a reverse proxy that ends HTTPS the server sees http while the browser says https.
     */
    static boolean sameOrigin(String origin, String host) {
        if (origin == null || host == null || origin.isBlank() || host.isBlank()) {
            return false;
        }
        try {
            URI uri = URI.create(origin.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                return false;
            }
            String authority = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            String requested = host.strip();
            return withoutDefaultPort(authority).equalsIgnoreCase(withoutDefaultPort(requested));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String withoutDefaultPort(String authority) {
        return authority.replaceFirst(":(80|443)$", "");
    }
}
