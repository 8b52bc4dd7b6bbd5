package dev.graft.formats.io;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the hidden files and folders an output is written into before it is published:
 * {@code .NAME.p<pid>-<hex>.graft-tmp}, beside the target. The writer's process id in the name is what lets a
 * later run tell a killed writer's leftovers from a running writer's work.
 */
final class TempName {
    static final String SUFFIX = ".graft-tmp";
    private static final Pattern WITH_PID = Pattern.compile("\\.(.+)\\.p(\\d+)-[0-9a-f]+" + Pattern.quote(SUFFIX));
    /** What Graft wrote before process ids were in the names: {@code .NAME.<hex>.graft-tmp}, {@code .NAME.graft-old-<hex>}. */
    private static final Pattern LEGACY = Pattern.compile("\\.(.+)\\.(?:[0-9a-f]+" + Pattern.quote(SUFFIX)
            + "|graft-old-[0-9a-f]+)");

    /** The owner of a temp name: the target's file name and the writer's process, when the name records it. */
    record Owner(String target, Optional<Long> pid) {
    }

    private TempName() {
    }

    /** A fresh temp path for {@code target} (absolute), written by this process. */
    static Path next(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".p" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + SUFFIX);
    }

    /** Whether {@code dir} is a temp folder, whose contents belong to the one writer that created it. */
    static boolean isTemp(Path dir) {
        return dir != null && dir.getFileName() != null && dir.getFileName().toString().endsWith(SUFFIX);
    }

    /** Who wrote a file of this name, when it is one of Graft's temp names. */
    static Optional<Owner> owner(String fileName) {
        Matcher m = WITH_PID.matcher(fileName);
        if (m.matches()) {
            return Optional.of(new Owner(m.group(1), Optional.of(Long.parseLong(m.group(2)))));
        }
        Matcher legacy = LEGACY.matcher(fileName);
        if (legacy.matches()) {
            return Optional.of(new Owner(legacy.group(1), Optional.empty()));
        }
        return Optional.empty();
    }
}
