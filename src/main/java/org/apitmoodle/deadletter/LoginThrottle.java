package org.apitmoodle.deadletter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing on the operators' server, per client address: after {@code failuresBeforeDelay} failed
 * sign-ins in a row from one address, every sign-in from it (right or wrong) is refused for {@code delayMs}; each
 * further failure doubles the wait, up to {@code maximumDelayMs}. A good sign-in from the address resets it. So a
 * guesser slows only themselves, never an operator signing in from elsewhere. IPv6 addresses count by their /64
 * network, as one machine holds a whole /64 and could otherwise take a fresh address per guess.
 *
 * <p>Memory is bounded: at most {@code maximumAddresses} addresses are remembered (the one quiet longest is forgotten
 * first), and an address quiet for {@code forgetAfterMs} is forgotten. Behind a reverse proxy every request comes from
 * the proxy's address, and the throttle counts for all of them together, as before.
 */
public final class LoginThrottle {

    /** Addresses remembered unless told otherwise: a few megabytes at most. */
    public static final int DEFAULT_MAXIMUM_ADDRESSES = 10_000;
    /** An address quiet this long starts afresh. */
    public static final long DEFAULT_FORGET_AFTER_MS = 24 * 60 * 60 * 1000L;

    private final int failuresBeforeDelay;
    private final long delayMs;
    private final long maximumDelayMs;
    private final int maximumAddresses;
    private final long forgetAfterMs;
    private final LongSupplier clock;
    /** Least recently seen first, so the one quiet longest is the first forgotten. */
    private final LinkedHashMap<String, Failures> byAddress = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Failures {
        int count;
        long refusedUntil;
        long lastFailedAt;
    }

    public LoginThrottle(int failuresBeforeDelay, long delayMs, long maximumDelayMs, LongSupplier clock) {
        this(failuresBeforeDelay, delayMs, maximumDelayMs, DEFAULT_MAXIMUM_ADDRESSES, DEFAULT_FORGET_AFTER_MS, clock);
    }

    public LoginThrottle(int failuresBeforeDelay, long delayMs, long maximumDelayMs, int maximumAddresses,
            long forgetAfterMs, LongSupplier clock) {
        this.failuresBeforeDelay = failuresBeforeDelay;
        this.delayMs = delayMs;
        this.maximumDelayMs = maximumDelayMs;
        this.maximumAddresses = maximumAddresses;
        this.forgetAfterMs = Math.max(forgetAfterMs, maximumDelayMs);
        this.clock = clock;
    }

    /** Milliseconds until a sign-in from this address may be tried again; 0 when it may be tried now. */
    public synchronized long waitMs(String address) {
        Failures failures = byAddress.get(key(address));
        return failures == null ? 0 : Math.max(0, failures.refusedUntil - clock.getAsLong());
    }

    /** A wrong name or password came from this address. */
    public synchronized void failed(String address) {
        long now = clock.getAsLong();
        forgetQuiet(now);
        Failures failures = byAddress.computeIfAbsent(key(address), k -> new Failures());
        failures.count++;
        failures.lastFailedAt = now;
        int over = failures.count - failuresBeforeDelay;
        if (over >= 0) {
            long wait = delayMs << Math.min(over, 30);
            failures.refusedUntil = now + (wait <= 0 || wait > maximumDelayMs ? maximumDelayMs : wait);
        }
        while (byAddress.size() > maximumAddresses) {
            Iterator<String> oldest = byAddress.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The right name and password came from this address. */
    public synchronized void succeeded(String address) {
        byAddress.remove(key(address));
    }

    /** How many addresses are remembered now. */
    synchronized int addresses() {
        return byAddress.size();
    }

    private void forgetQuiet(long now) {
        byAddress.values().removeIf(failures -> now - failures.lastFailedAt >= forgetAfterMs
                && failures.refusedUntil <= now);
    }

    /** The address, or its /64 network for IPv6. */
    static String key(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String literal = address.strip();
        if (literal.indexOf(':') < 0) {
            return literal;
        }
        try {
            // A literal IPv6 address: no name is looked up.
            byte[] bytes = InetAddress.getByName(literal.replaceAll("^\\[|]$", "")).getAddress();
            if (bytes.length != 16) {
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        } catch (UnknownHostException | SecurityException e) {
            return literal;
        }
    }
}
