package dev.graft.formats.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An output folder that appears under its final name complete or not at all, the folder counterpart of
 * {@link AtomicFile}.
 *
 * <p>Files are written into a hidden temp folder beside the target ({@link #temp()}); {@link #commit()} renames it
 * into place, swapping out an existing folder in one rename when {@code overwrite} is set. Closing without
 * committing deletes the temp folder, and a shutdown hook ({@link PendingOutputs}) does the same for a JVM stopped
 * mid-write. The published folder holds an {@link OutputManifest} of its files, and only those are ever deleted
 * when a later {@code --force} replaces it: whatever else a user put there makes the replacement refuse.
 *
 * <pre>{@code
 * try (AtomicFolder out = AtomicFolder.create(Path.of("my-adapter"), false)) {
 *     AtomicFile.writeString(out.temp().resolve("adapter_config.json"), json, false);
 *     out.commit();
 * }
 * }</pre>
 */
public final class AtomicFolder implements AutoCloseable {
    private final OutputClaim claim;
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private boolean done;

    private AtomicFolder(OutputClaim claim, Path temp) {
        this.claim = claim;
        this.target = claim.target();
        this.temp = temp;
        this.overwrite = claim.overwrite();
    }

    /**
     * Creates the temp folder for {@code target}, claiming it first ({@link OutputClaim#folder}).
     *
     * @param overwrite replace an existing target at commit, when it holds only a previous Graft output's files;
     *                  otherwise fail now (and again at commit) if it exists
     * @throws OutputExistsException when the target exists and {@code overwrite} is false
     * @throws UnsafeOutputException when writing it could lose data
     * @throws FileAccessException   when the temp folder cannot be created
     */
    public static AtomicFolder create(Path target, boolean overwrite) {
        return create(OutputClaim.folder(target, overwrite, List.of(), 0));
    }

    /**
     * Creates the temp folder of a claimed output; the folder owns the claim and releases it once committed or
     * abandoned.
     *
     * @throws FileAccessException when the temp folder cannot be created
     */
    public static AtomicFolder create(OutputClaim claim) {
        if (!claim.isFolder()) {
            claim.close();
            throw new IllegalArgumentException(claim.target() + " was claimed as a file, not a folder");
        }
        Path temp = TempName.next(claim.target());
        try {
            Files.createDirectory(temp);
            PendingOutputs.register(temp);
        } catch (IOException e) {
            claim.close();
            throw new FileAccessException(claim.target().getParent(), "cannot create the output folder", e);
        }
        return new AtomicFolder(claim, temp);
    }

    /** The final name. */
    public Path target() {
        return target;
    }

    /** The hidden folder the files are written into until {@link #commit()}. */
    public Path temp() {
        return temp;
    }

    /**
     * Lists the files in the output's manifest and moves the temp folder into place. An existing folder is
     * checked once more (it must hold only what a previous Graft output's manifest lists), swapped out in one
     * rename, and then only the files its manifest lists are deleted.
     *
     * @return the target
     * @throws OutputExistsException when the target appeared meanwhile and {@code overwrite} is false
     * @throws UnsafeOutputException when the existing folder gained files Graft did not write
     */
    public Path commit() {
        try {
            OutputManifest.write(temp);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (!overwrite) {
                    throw new OutputExistsException(claim.shown());
                }
                OutputManifest.checkReplaceable(target, claim.shown());
                // A temp name: if this process dies between the renames, the next run removes it.
                Path old = TempName.next(target);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                PendingOutputs.register(old);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                PendingOutputs.unregister(temp);
                PendingOutputs.unregister(old);
                keepForeign(old, OutputManifest.deleteOwned(old));
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            PendingOutputs.unregister(temp);
            done = true;
            return target;
        } catch (IOException e) {
            throw new FileAccessException(target, "cannot move the finished output into place", e);
        } finally {
            if (done) {
                claim.close();
            }
        }
    }

    /** Files that reached the old folder after the last check: kept under a visible name, never deleted. */
    private void keepForeign(Path old, List<String> left) throws IOException {
        if (left.isEmpty()) {
            return;
        }
        Path kept = target.resolveSibling(target.getFileName() + ".graft-kept-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.move(old, kept, StandardCopyOption.ATOMIC_MOVE);
        OutputNotices.note("kept " + kept + ": files Graft did not write (" + left.getFirst()
                + (left.size() > 1 ? " and " + (left.size() - 1) + " more" : "")
                + ") appeared in the replaced output while it was written");
    }

    /** Deletes the temp folder unless committed. */
    @Override
    public void close() {
        if (!done) {
            deleteTree(temp);
            done = true;
        }
        claim.close();
    }

    private static void deleteTree(Path dir) {
        PendingOutputs.unregister(dir);
        // Best effort: what is left is hidden, marked .graft-tmp and removed by a later run.
        FileTrees.deleteQuietly(dir);
    }
}
