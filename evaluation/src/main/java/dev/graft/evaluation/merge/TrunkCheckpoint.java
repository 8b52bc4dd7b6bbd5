package dev.graft.evaluation.merge;

import dev.graft.evaluation.net.Params;
import dev.graft.evaluation.net.Trunk;
import dev.graft.evaluation.net.TrunkShape;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.safetensors.SafetensorsFile;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A trunk as a float32 safetensors file, the form in which Graft's merge code reads and writes it. */
public final class TrunkCheckpoint {
    private TrunkCheckpoint() {
    }

    /** Writes {@code trunk} to {@code file} (atomically, replacing it). */
    public static Path write(Trunk trunk, Path file) {
        TrunkShape shape = trunk.shape();
        List<String> names = shape.names();
        List<long[]> shapes = shape.shapes();
        List<TensorSpec> specs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            specs.add(new TensorSpec(names.get(i), DType.F32, Shape.of(shapes.get(i))));
        }
        try (SafetensorsWriter w = SafetensorsWriter.create(file, specs, SafetensorsWriter.PT_METADATA, true)) {
            for (int i = 0; i < names.size(); i++) {
                w.writeFloats(names.get(i), trunk.params().tensor(i));
            }
            return w.commit();
        }
    }

    /** Reads a trunk of {@code shape} from {@code file}, converting to float32. */
    public static Trunk read(TrunkShape shape, Path file) {
        List<String> names = shape.names();
        float[][] t = new float[names.size()][];
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (int i = 0; i < names.size(); i++) {
                t[i] = f.tensor(names.get(i)).toFloatArray();
            }
        }
        return new Trunk(shape, new Params(t));
    }
}
