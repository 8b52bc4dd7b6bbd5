package dev.graft.formats.delta;

import dev.graft.formats.safetensors.SafetensorsFile;
import dev.graft.formats.safetensors.TensorInfo;
import dev.graft.formats.tensor.Tensor;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * A compressed delta opened for reading: the safetensors file is mapped, the {@link DeltaManifest} parsed, and every
 * part the manifest names checked to be present (and nothing else to be), so a damaged file fails here, with the
 * tensor named, rather than halfway through a decompression.
 */
public final class DeltaArtifact implements AutoCloseable {
    private final SafetensorsFile file;
    private final DeltaManifest manifest;

    private DeltaArtifact(SafetensorsFile file, DeltaManifest manifest) {
        this.file = file;
        this.manifest = manifest;
    }

    /**
     * Opens and validates a delta.
     *
     * @throws DeltaFormatException when the file is not a Graft delta or its manifest and tensors disagree
     * @throws dev.graft.formats.safetensors.SafetensorsException when it is not valid safetensors (truncated, …)
     */
    public static DeltaArtifact open(Path path) {
        SafetensorsFile f = SafetensorsFile.open(path);
        try {
            DeltaManifest m = DeltaManifest.read(path, f.metadata());
            Set<String> expected = new HashSet<>();
            for (DeltaEntry e : m.entries()) {
                long bytes = 0;
                for (String part : e.parts()) {
                    String name = DeltaManifest.partName(e.name(), part);
                    TensorInfo info = f.info(name).orElseThrow(() -> new DeltaFormatException(path,
                            "damaged delta: tensor \"" + e.name() + "\" lacks its part \"" + part + "\""));
                    expected.add(name);
                    bytes += info.byteSize();
                }
                if (bytes != e.storedBytes()) {
                    throw new DeltaFormatException(path, "damaged delta: tensor \"" + e.name() + "\" has "
                            + bytes + " bytes of parts, the manifest says " + e.storedBytes());
                }
            }
            for (TensorInfo t : f.tensors()) {
                if (!expected.contains(t.name())) {
                    throw new DeltaFormatException(path, "damaged delta: stored tensor \"" + t.name()
                            + "\" belongs to no tensor of the manifest");
                }
            }
            return new DeltaArtifact(f, m);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    public Path path() {
        return file.path();
    }

    public DeltaManifest manifest() {
        return manifest;
    }

    /** The bytes of one part of a tensor, as stored. */
    public Tensor part(DeltaEntry entry, String part) {
        return file.tensor(DeltaManifest.partName(entry.name(), part));
    }

    @Override
    public void close() {
        file.close();
    }
}
