package dev.graft.formats.io;

import dev.graft.formats.shard.ByteSize;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Removes the hidden temp files and folders a killed writer left in an output's folder ({@code kill -9} runs no
 * cleanup), each with a one-line note. A temp name is stale when the process it names no longer runs, or, for
 * the output being claimed, whenever another process wrote it: that writer would hold the output's lock, which
 * the caller now holds.
 */
final class StaleTemps {
    private StaleTemps() {
    }

    /**
     * @param target the output being written (absolute), whose lock the caller holds
     */
    static void clean(Path target) {
        Path dir = target.getParent();
        String name = target.getFileName().toString();
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*")) {
            for (Path p : entries) {
                Optional<TempName.Owner> owner = TempName.owner(p.getFileName().toString());
                if (owner.isPresent() && isStale(owner.get(), name)) {
                    stale.add(p);
                }
            }
        } catch (IOException e) {
            return; // an unreadable folder fails clearly when the output is created in it
        }
        stale.sort(Comparator.naturalOrder());
        for (Path p : stale) {
            long bytes = size(p);
            if (FileTrees.deleteQuietly(p)) {
                OutputNotices.note("removed " + p + " (" + ByteSize.format(bytes)
                        + "), left by an earlier run that did not finish");
            }
        }
    }

    private static boolean isStale(TempName.Owner owner, String target) {
        if (owner.pid().isEmpty()) {
            return owner.target().equals(target);
        }
        long pid = owner.pid().get();
        if (pid == WriterProcess.self()) {
            return false;
        }
        return owner.target().equals(target) || !WriterProcess.alive(pid, 0);
    }

    private static long size(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.mapToLong(q -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(q, BasicFileAttributes.class);
                    return a.isRegularFile() ? a.size() : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
