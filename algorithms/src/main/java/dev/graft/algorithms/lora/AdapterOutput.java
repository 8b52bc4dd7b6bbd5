package dev.graft.algorithms.lora;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.AtomicFolder;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.peft.AdapterConfig;
import dev.graft.formats.peft.PeftAdapterWriter;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PEFT adapter folder built module by module, from several threads, whose tensor list is known only at the end
 * (ranks chosen by energy, modules pruned). Factors are encoded to the adapter dtype as they come and spilled to
 * a scratch file inside the hidden output folder, so memory stays at one module per thread; {@link #commit}
 * writes {@code adapter_model.safetensors} from the spill, then the config and any extra files, then renames the
 * folder into place. Nothing appears under the target name before that.
 */
final class AdapterOutput implements AutoCloseable {
    private static final String SPILL = ".factors.spill";

    private record Spilled(TensorSpec spec, long offset) {
    }

    private final AtomicFolder folder;
    private final FileChannel spill;
    private final AtomicLong spillEnd = new AtomicLong();
    private final Map<String, Spilled> spilled = new ConcurrentHashMap<>();
    private final Map<String, Tensor> copied = new ConcurrentHashMap<>();

    private AdapterOutput(AtomicFolder folder, FileChannel spill) {
        this.folder = folder;
        this.spill = spill;
    }

    /**
     * Starts an adapter folder, claimed before any work (see {@link OutputClaim}).
     *
     * @param inputs the models or adapters it is made from, which it must stay clear of
     * @throws dev.graft.formats.io.OutputExistsException when it exists and {@code overwrite} is false
     * @throws dev.graft.formats.io.UnsafeOutputException when it would replace or hold an input
     */
    static AdapterOutput create(Path target, boolean overwrite, List<Path> inputs) {
        AtomicFolder folder = AtomicFolder.create(OutputClaim.folder(target, overwrite, inputs, 0));
        try {
            Path file = folder.temp().resolve(SPILL);
            return new AdapterOutput(folder, FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException e) {
            folder.close();
            throw new FileAccessException(folder.temp(), "cannot create a scratch file", e);
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    /** Encodes a tensor (row-major float32 values) to {@code dtype} and spills it. Thread-safe. */
    void put(String name, DType dtype, Shape shape, float[] values) {
        TensorSpec spec = new TensorSpec(name, dtype, shape);
        Tensor encoded = Tensor.fromFloats(name, dtype, shape, values);
        long bytes = spec.byteSize();
        long offset = spillEnd.getAndAdd(bytes);
        ByteBuffer buf = encoded.data().asByteBuffer();
        try {
            long pos = offset;
            while (buf.hasRemaining()) {
                pos += spill.write(buf, pos);
            }
        } catch (IOException e) {
            throw new FileAccessException(folder.temp().resolve(SPILL), "cannot write scratch data", e);
        }
        if (spilled.putIfAbsent(name, new Spilled(spec, offset)) != null || copied.containsKey(name)) {
            throw new IllegalStateException("tensor " + name + " written twice");
        }
    }

    /** Writes {@code source} unchanged under {@code name} at commit; it must stay readable until then. */
    void copy(String name, Tensor source) {
        if (copied.putIfAbsent(name, source) != null || spilled.containsKey(name)) {
            throw new IllegalStateException("tensor " + name + " written twice");
        }
    }

    /** Whether no tensor was added. */
    boolean isEmpty() {
        return spilled.isEmpty() && copied.isEmpty();
    }

    /**
     * Writes the adapter files and publishes the folder.
     *
     * @param extraFiles text files by name (report, model card)
     */
    Path commit(AdapterConfig config, Map<String, String> extraFiles) {
        Path dir = folder.temp();
        List<TensorSpec> specs = new ArrayList<>();
        spilled.values().forEach(s -> specs.add(s.spec()));
        copied.forEach((name, t) -> specs.add(new TensorSpec(name, t.dtype(), t.shape())));
        try (Arena arena = Arena.ofConfined();
             PeftAdapterWriter w = PeftAdapterWriter.create(dir, config, specs, false)) {
            MemorySegment data = spillEnd.get() == 0 ? MemorySegment.NULL
                    : spill.map(FileChannel.MapMode.READ_ONLY, 0, spillEnd.get(), arena);
            for (Spilled s : spilled.values()) {
                try (SafetensorsWriter.TensorSink sink = w.sink(s.spec().name())) {
                    sink.writeBytes(data.asSlice(s.offset(), s.spec().byteSize()));
                }
            }
            for (Map.Entry<String, Tensor> e : copied.entrySet()) {
                try (SafetensorsWriter.TensorSink sink = w.sink(e.getKey())) {
                    sink.writeFrom(e.getValue());
                }
            }
            w.commit();
        } catch (IOException e) {
            throw new FileAccessException(dir.resolve(SPILL), "cannot read scratch data", e);
        }
        closeSpill();
        extraFiles.forEach((name, text) -> AtomicFile.writeString(dir.resolve(name), text, false));
        return folder.commit();
    }

    private void closeSpill() {
        try {
            spill.close();
            Files.deleteIfExists(folder.temp().resolve(SPILL));
        } catch (IOException e) {
            throw new FileAccessException(folder.temp().resolve(SPILL), "cannot delete scratch file", e);
        }
    }

    @Override
    public void close() {
        try {
            spill.close();
        } catch (IOException ignored) {
            // the folder is deleted next
        }
        folder.close();
    }
}
