package dev.graft.formats.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A path with every symbolic link resolved, also when its last parts do not exist yet: the deepest existing
 * ancestor is resolved and the rest appended. What decides whether an output and an input are the same place.
 */
final class RealPath {
    private RealPath() {
    }

    static Path of(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            // A dangling link: the link's own location is as real as it gets.
            real = existing;
        }
        return rest == null ? real : real.resolve(rest).normalize();
    }
}
