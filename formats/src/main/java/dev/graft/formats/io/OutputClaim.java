package dev.graft.formats.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The right to write one output, checked before any work and held until it is published or abandoned.
 *
 * <p>Claiming runs every check that keeps an output from destroying data or failing late, in this order: the
 * output is not an input, does not contain one and is not inside an input folder (the inputs named plus every
 * file this JVM has open, see {@link OpenInputs}); it does not exist, or {@code overwrite} is set and it is a file,
 * or a folder holding only what its {@link OutputManifest} lists; no other process is writing it (its
 * {@link OutputLock} is taken); and its file system has room for {@code expectedBytes}. Stale temp files of
 * killed runs in its folder are removed on the way ({@link StaleTemps}). {@link AtomicFile} and
 * {@link AtomicFolder} claim their target themselves; a writer that does long work before it creates them claims
 * first and hands the claim over.
 *
 * <p>Files inside a temp folder of an output being written need none of this: they belong to the one writer
 * that owns the folder, and claiming them is free.
 */
public final class OutputClaim implements AutoCloseable {
    private final Path target;
    private final Path shown;
    private final boolean overwrite;
    private final boolean folder;
    private final OutputLock lock;

    private OutputClaim(Path target, Path shown, boolean overwrite, boolean folder, OutputLock lock) {
        this.target = target;
        this.shown = shown;
        this.overwrite = overwrite;
        this.folder = folder;
        this.lock = lock;
    }

    /**
     * Claims a single output file.
     *
     * @param inputs        the inputs the output must stay clear of, besides the files open in this JVM
     * @param expectedBytes the output's size, or 0 when unknown
     * @throws OutputExistsException when it exists and {@code overwrite} is false
     * @throws UnsafeOutputException when writing it could lose data or could not finish
     */
    public static OutputClaim file(Path target, boolean overwrite, Collection<Path> inputs, long expectedBytes) {
        return claim(target, overwrite, false, inputs, expectedBytes);
    }

    /** Claims an output folder; as {@link #file}, and an existing folder must hold only a Graft output's files. */
    public static OutputClaim folder(Path target, boolean overwrite, Collection<Path> inputs, long expectedBytes) {
        return claim(target, overwrite, true, inputs, expectedBytes);
    }

    private static OutputClaim claim(Path target, boolean overwrite, boolean folder, Collection<Path> inputs,
                                     long expectedBytes) {
        Path abs = target.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            throw new UnsafeOutputException(target, UnsafeOutputException.Reason.CONTAINS_INPUT,
                    "is the root of the file system; choose an output path below it");
        }
        if (TempName.isTemp(abs.getParent())) {
            return new OutputClaim(abs, target, overwrite, folder, null);
        }
        List<Path> all = new ArrayList<>(inputs);
        all.addAll(OpenInputs.snapshot());
        InputOverlap.check(target, all);
        checkExisting(abs, target, overwrite, folder);
        try {
            Files.createDirectories(abs.getParent());
        } catch (IOException e) {
            throw new FileAccessException(abs.getParent(), "cannot create the output's folder", e);
        }
        OutputLock lock = OutputLock.acquire(abs, target);
        try {
            StaleTemps.clean(abs);
            // Again under the lock: another writer may have published meanwhile.
            checkExisting(abs, target, overwrite, folder);
            FreeSpace.require(abs, expectedBytes, target);
            return new OutputClaim(abs, target, overwrite, folder, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static void checkExisting(Path abs, Path shown, boolean overwrite, boolean folder) {
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!overwrite) {
            throw new OutputExistsException(shown);
        }
        if (folder) {
            OutputManifest.checkReplaceable(abs, shown);
        } else if (Files.isDirectory(abs)) {
            throw new UnsafeOutputException(shown, UnsafeOutputException.Reason.WRONG_KIND,
                    "is a folder, and a file output never replaces a folder; remove it or choose another output path");
        }
    }

    /** The output, absolute. */
    public Path target() {
        return target;
    }

    /** The output as the caller named it, for messages. */
    public Path shown() {
        return shown;
    }

    /** Whether an existing output may be replaced. */
    public boolean overwrite() {
        return overwrite;
    }

    boolean isFolder() {
        return folder;
    }

    /** Releases the claim; the output itself is left as it is. */
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
        }
    }
}
