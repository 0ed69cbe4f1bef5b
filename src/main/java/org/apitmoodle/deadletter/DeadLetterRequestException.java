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

    public static DeadLetterRequestException crossSite() {
        return new DeadLetterRequestException(403, "Changes to the dead-letter queue are accepted only from its own page"
                + " or from a tool such as curl, not from another site.");
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
