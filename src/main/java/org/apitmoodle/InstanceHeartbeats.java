package org.apitmoodle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import javax.sql.DataSource;

/**
 * The instances' heartbeats (sync_instance) at start and stop, so claims never wait out a timeout they need not: a
 * claim holds while its instance's heartbeat is fresh, and a heartbeat marked stopped frees its claims at once.
 * At start, the instances this one can tell are gone are marked stopped: a previous process under this instance's
 * own id (an instance runs once under an id), and earlier processes of this machine (host name and process id, the
 * default id) whose process no longer runs, e.g. this instance before a kill -9 and a restart; what is still claimed
 * under this instance's own id is released, and this instance's heartbeat is noted. At a clean stop,
 * this instance's own heartbeat is marked stopped after its last batch.
 */
public final class InstanceHeartbeats {

    private InstanceHeartbeats() {
    }

    /** Marks stopped the instances of this machine that no longer run, and a previous process under {@code me}. */
    public static List<String> forgetStopped(DataSource database, String me, String host, LongPredicate processRuns)
            throws SQLException {
        List<String> stopped = new ArrayList<>();
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT instance_id FROM sync_instance WHERE instance_id = ? OR instance_id LIKE ?")) {
            select.setString(1, me);
            select.setString(2, host.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%");
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    if (id.equals(me) || isStoppedProcess(id, host, processRuns)) {
                        stopped.add(id);
                    }
                }
            }
            for (String id : stopped) {
                markStopped(connection, id);
            }
            // What a previous process left claimed under this id is free at once; then this instance is alive, so
            // the claims it makes hold from its first one (not only from its first timed heartbeat).
            try (PreparedStatement release = connection.prepareStatement("UPDATE sync_state SET claimed_by = NULL,"
                    + " lease_until = now() WHERE state = 'IN_PROGRESS' AND claimed_by = ?");
                    PreparedStatement alive = connection.prepareStatement("INSERT INTO sync_instance (instance_id,"
                            + " heartbeat_at) VALUES (?, now()) ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()")) {
                release.setString(1, me);
                release.executeUpdate();
                alive.setString(1, me);
                alive.executeUpdate();
            }
        }
        return stopped;
    }

    /** Marks this instance's heartbeat stopped: its claims left (none, after a clean stop) are free at once. */
    public static void stopped(DataSource database, String me) throws SQLException {
        try (Connection connection = database.getConnection()) {
            markStopped(connection, me);
        }
    }

    /** Whether {@code id} is "host-pid" of this machine with a process that no longer runs. */
    static boolean isStoppedProcess(String id, String host, LongPredicate processRuns) {
        String pid = id.substring(Math.min(id.length(), host.length() + 1));
        if (!id.startsWith(host + "-") || pid.isEmpty() || !pid.chars().allMatch(Character::isDigit) || pid.length() > 18) {
            return false;
        }
        return !processRuns.test(Long.parseLong(pid));
    }

    private static void markStopped(Connection connection, String id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE sync_instance SET heartbeat_at = '-infinity' WHERE instance_id = ?")) {
            update.setString(1, id);
            update.executeUpdate();
        }
    }
}
