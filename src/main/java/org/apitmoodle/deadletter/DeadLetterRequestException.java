package org.apitmoodle.deadletter;

/** A request to the dead-letter queue that cannot be carried out, with the HTTP status that says why. */
public final class DeadLetterRequestException extends RuntimeException {

    private final int status;

    private DeadLetterRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static DeadLetterRequestException badRequest(String message) {
        return new DeadLetterRequestException(400, message);
    }

    /** A change without the page's token or an Origin of this server; ownOrigin is what the caller should send. */
    public static DeadLetterRequestException crossSite(String ownOrigin) {
        return new DeadLetterRequestException(403, "A change needs the page's token (header " + CrossSiteGuard.TOKEN_HEADER
                + ") or an Origin header of this server's own address, like curl -H 'Origin: " + ownOrigin + "'.");
    }

    public static DeadLetterRequestException notFound(Object id) {
        return new DeadLetterRequestException(404, "There is no dead-letter entry " + id + ".");
    }

    public static DeadLetterRequestException notOpen(Object id, Object state) {
        return new DeadLetterRequestException(409, "Dead-letter entry " + id + " is " + state
                + "; only OPEN entries can be replayed or discarded.");
    }

    public int getStatus() {
        return status;
    }
}
