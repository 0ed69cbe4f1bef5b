package org.apitmoodle.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The groups of a Moodle site (tables groups and groups_members), kept beside {@link MoodleSite} so the site's own
 * tables stay as they are. Changed only inside the site's lock; the group functions check a whole call before
 * changing anything, as Moodle's transaction would leave nothing of a refused call.
 */
public final class MoodleGroups {

    private static final Map<MoodleSite, MoodleGroups> OF_SITE = new WeakHashMap<>();

    /** A row of Moodle's groups table. */
    public record Group(long id, long courseId, String name, String description, int descriptionformat, String idnumber) {
    }

    private final Map<Long, Group> groups = new LinkedHashMap<>();
    private final Map<Long, Set<Long>> members = new LinkedHashMap<>();
    private long nextId = 1;

    /** The groups of this site. */
    public static synchronized MoodleGroups of(MoodleSite site) {
        return OF_SITE.computeIfAbsent(site, s -> new MoodleGroups());
    }

    /** A course's groups, in id order. */
    public synchronized List<Group> inCourse(long courseId) {
        return groups.values().stream().filter(g -> g.courseId() == courseId).toList();
    }

    public synchronized Optional<Group> byId(long id) {
        return Optional.ofNullable(groups.get(id));
    }

    /** The user ids of a group's members, in the order they were added. */
    public synchronized List<Long> members(long groupId) {
        return new ArrayList<>(members.getOrDefault(groupId, Set.of()));
    }

    /** Test set-up: a group someone made in Moodle. */
    public synchronized Group add(long courseId, String name, String idnumber) {
        return insert(courseId, name, "", 1, idnumber);
    }

    synchronized Group insert(long courseId, String name, String description, int format, String idnumber) {
        Group group = new Group(nextId++, courseId, name, description, format, idnumber);
        groups.put(group.id(), group);
        return group;
    }

    synchronized void addMember(long groupId, long userId) {
        members.computeIfAbsent(groupId, id -> new LinkedHashSet<>()).add(userId);
    }

    synchronized void removeMember(long groupId, long userId) {
        members.getOrDefault(groupId, new LinkedHashSet<>()).remove(userId);
    }
}
