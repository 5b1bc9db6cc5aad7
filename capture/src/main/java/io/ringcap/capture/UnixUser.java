package io.ringcap.capture;

import io.ringcap.linux.Capabilities;
import io.ringcap.linux.LinuxException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The unprivileged user a capture process becomes once set-up is done ({@code --user}), as
 * {@code tcpdump -Z} does: every thread of the JVM loses every capability, while the sockets, mappings
 * and ring it opened stay usable.
 *
 * @param name the user's name, or its number when given as one
 * @param uid  user id, not 0
 * @param gid  the user's primary group id
 */
public record UnixUser(String name, int uid, int gid) {
    private static final Path PASSWD = Path.of("/etc/passwd");

    /** Looks {@code name} up in /etc/passwd; a number is taken as a uid with the same gid if it is not listed. */
    public static UnixUser lookup(String name) {
        return lookup(name, PASSWD);
    }

    static UnixUser lookup(String name, Path passwd) {
        List<String> lines;
        try {
            lines = Files.readAllLines(passwd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + passwd + " to look up user '" + name + "'", e);
        }
        for (String line : lines) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 4 && (fields[0].equals(name) || fields[2].equals(name))) {
                return checked(new UnixUser(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3])));
            }
        }
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
            int id = Integer.parseInt(name);
            return checked(new UnixUser(name, id, id));
        }
        throw new IllegalArgumentException("no user '" + name + "' in " + passwd + ": give an existing user, e.g."
            + " nobody, or a numeric uid");
    }

    /**
     * Becomes this user: every thread gives up every capability for good. Call after the last privileged
     * step of set-up and before the capture loop starts.
     */
    public void become() {
        try {
            Capabilities.dropAll(uid, gid);
        } catch (LinuxException e) {
            throw new CaptureException("cannot switch to user " + name + " (uid " + uid + "): " + e.getMessage(), e);
        }
    }

    private static UnixUser checked(UnixUser user) {
        if (user.uid == 0) {
            throw new IllegalArgumentException("user '" + user.name + "' is root (uid 0): dropping privileges needs"
                + " another user, e.g. nobody");
        }
        return user;
    }
}
