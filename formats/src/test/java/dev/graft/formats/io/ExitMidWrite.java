package dev.graft.formats.io;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.List;

/** A program that starts writing a file and exits the JVM half-way, as Ctrl-C or kill would. */
public final class ExitMidWrite {
    private ExitMidWrite() {
    }

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        SafetensorsWriter w = SafetensorsWriter.create(out,
                List.of(new TensorSpec("a", DType.F32, Shape.of(4)), new TensorSpec("b", DType.F32, Shape.of(4))),
                SafetensorsWriter.PT_METADATA, false);
        w.writeFloats("a", new float[] {1, 2, 3, 4});
        System.out.println("half written");
        System.out.flush();
        System.exit(3); // no close(), no commit(): only the shutdown hook runs
    }
}
