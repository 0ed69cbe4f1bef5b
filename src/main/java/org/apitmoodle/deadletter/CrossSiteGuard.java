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
    private final String configuredOrigin;

    /**
     * A guard with a token of its own, new at every start, for the server configured to listen on host and port
     * (camel.server.host, dead-letters.http-port): the address its refusals name when the request does not say which
     * address it was sent to.
     */
    public CrossSiteGuard(String host, int port) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        // A server on every address (0.0.0.0, ::) is reached as localhost from its own machine.
        String reachable = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")
                || host.equals("[::]") ? "localhost" : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        this.configuredOrigin = "http://" + reachable + ":" + port;
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
            throw DeadLetterRequestException.crossSite(ownOrigin(url));
        }
    }

    /**
     * The Origin a caller should send: the scheme and address the request was sent to (what {@link #sameOrigin}
     * compares with), or the configured address when the request does not say.
     */
    String ownOrigin(String url) {
        try {
            URI uri = url == null ? null : URI.create(url);
            if (uri != null && uri.getScheme() != null && uri.getRawAuthority() != null) {
                return uri.getScheme() + "://" + uri.getRawAuthority();
            }
        } catch (IllegalArgumentException e) {
            // the configured address, below
        }
        return configuredOrigin;
    }

    /**
     * The headers every answer of the operators' server carries: no other site may show its pages in a frame
     * (clickjacking an operator into pressing Replay), browsers take the answers for what they say they are, and
     * nothing is kept in a cache (the entries name people; the page holds the token). Cache-Control reaches the
     * client only through {@link OperatorHeaderFilter}.
     */
    public void answerHeaders(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setHeader("Cache-Control", "no-store");
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
