package dev.graft.formats.delta;

import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.io.OutputExistsException;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a compressed delta tensor by tensor, from several threads at once, with memory independent of the model.
 *
 * <p>A safetensors header must precede the data, but a delta's header holds what only compression finds out (each
 * tensor's error, the size of its sparse positions), so the parts first go to a hidden spill file beside the
 * target, and {@link #commit} writes the final file from it: header (the {@link DeltaManifest}), then the parts
 * sorted by tensor name, so the file's bytes do not depend on thread timing. The spill is the size of the
 * compressed delta, a fraction of the model. Both files are atomic: nothing appears under the target name until
 * the commit succeeds, and an abandoned write leaves no temp file behind.
 */
public final class DeltaArtifactWriter implements AutoCloseable {
    private record Stored(DeltaEntry entry, List<TensorSpec> parts, long offset) {
    }

    private final OutputClaim claim;
    private final Path target;
    private final AtomicFile spill;
    private final AtomicLong spillEnd = new AtomicLong();
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();
    private boolean handedOver;

    private DeltaArtifactWriter(OutputClaim claim, AtomicFile spill) {
        this.claim = claim;
        this.target = claim.target();
        this.spill = spill;
    }

    /**
     * Starts a delta.
     *
     * @param overwrite replace an existing target; otherwise fail now (before any work) if it exists
     * @throws OutputExistsException when the target exists and {@code overwrite} is false
     */
    public static DeltaArtifactWriter create(Path target, boolean overwrite) {
        return create(OutputClaim.file(target, overwrite, List.of(), 0));
    }

    /**
     * Starts a delta for an output claimed before any work (see {@link OutputClaim}); the writer owns the claim
     * and holds it until the delta is published or abandoned.
     */
    public static DeltaArtifactWriter create(OutputClaim claim) {
        Path abs = claim.target();
        try {
            // Never committed: closing it deletes the spill.
            AtomicFile spill = AtomicFile.create(abs.resolveSibling(abs.getFileName() + ".spill"), true);
            return new DeltaArtifactWriter(claim, spill);
        } catch (RuntimeException e) {
            claim.close();
            throw e;
        }
    }

    /** The file being written. */
    public Path target() {
        return target;
    }

    /**
     * Adds one tensor. Thread-safe; each tensor name once.
     *
     * @param entry the tensor's entry; its {@link DeltaEntry#parts()} and {@link DeltaEntry#storedBytes()} are
     *              replaced by those of {@code parts}
     * @param parts its parts, in order
     */
    public void add(DeltaEntry entry, List<DeltaPart> parts) {
        long bytes = parts.stream().mapToLong(p -> p.data().byteSize()).sum();
        DeltaEntry e = new DeltaEntry(entry.spec(), entry.encoding(), entry.attributes(),
                parts.stream().map(DeltaPart::part).toList(), entry.baseChecksum(), bytes, entry.norm(), entry.error());
        long offset = spillEnd.getAndAdd(bytes);
        long pos = offset;
        for (DeltaPart p : parts) {
            write(p.data(), pos);
            pos += p.data().byteSize();
        }
        // Only the specs stay in memory; the data is read back from the spill at commit.
        List<TensorSpec> specs = parts.stream().map(p -> p.spec(e.name())).toList();
        if (stored.putIfAbsent(e.name(), new Stored(e, specs, offset)) != null) {
            throw new IllegalStateException(target + ": tensor \"" + e.name() + "\" was already added");
        }
    }

    private void write(MemorySegment data, long position) {
        try {
            FileChannel ch = spill.channel();
            for (long off = 0; off < data.byteSize(); ) {
                ByteBuffer buf = data.asSlice(off, Math.min(1L << 26, data.byteSize() - off)).asByteBuffer();
                while (buf.hasRemaining()) {
                    off += ch.write(buf, position + off);
                }
            }
        } catch (IOException e) {
            throw new FileAccessException(spill.target(), "cannot write", e);
        }
    }

    /**
     * Writes the final file and publishes it.
     *
     * @param method     the method name recorded in the manifest
     * @param parameters the method's parameters
     * @return the manifest written
     */
    public DeltaManifest commit(String method, Map<String, String> parameters) {
        List<Stored> all = new ArrayList<>(stored.values());
        all.sort(Comparator.comparing(s -> s.entry().name()));
        DeltaManifest manifest = new DeltaManifest(DeltaManifest.VERSION, method, parameters,
                all.stream().map(Stored::entry).toList());
        List<TensorSpec> specs = new ArrayList<>();
        for (Stored s : all) {
            specs.addAll(s.parts());
        }
        try (Arena arena = Arena.ofConfined();
             SafetensorsWriter w = startFile(specs, manifest)) {
            long size = spillEnd.get();
            MemorySegment data = size == 0 ? MemorySegment.NULL
                    : spill.channel().map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            for (Stored s : all) {
                long pos = s.offset();
                for (TensorSpec p : s.parts()) {
                    try (SafetensorsWriter.TensorSink sink = w.sink(p.name())) {
                        long n = p.byteSize();
                        sink.writeBytes(data.asSlice(pos, n));
                        pos += n;
                    }
                }
            }
            w.commit();
        } catch (IOException e) {
            throw new FileAccessException(spill.target(), "cannot read back", e);
        } finally {
            spill.close();
        }
        return manifest;
    }

    private SafetensorsWriter startFile(List<TensorSpec> specs, DeltaManifest manifest) {
        handedOver = true;
        return SafetensorsWriter.create(claim, specs, manifest.toMetadata());
    }

    /** Abandons the delta unless committed, deleting the spill. */
    @Override
    public void close() {
        spill.close();
        if (!handedOver) {
            claim.close();
        }
    }
}
