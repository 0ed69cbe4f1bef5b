package org.apitmoodle.deadletter;

import org.apitmoodle.SettingsReader;

/** dead-letters.*: the dead-letter queue over HTTP. */
public record DeadLetterSettings(int httpPort, String httpHost, int listLimit) {

    public static DeadLetterSettings read(SettingsReader settings) {
        return new DeadLetterSettings(settings.port("dead-letters.http-port"), settings.address("camel.server.host"),
                settings.positiveInt("dead-letters.list-limit", "entries listed per request"));
    }
}
