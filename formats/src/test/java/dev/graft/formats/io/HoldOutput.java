package dev.graft.formats.io;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;

import java.nio.file.Path;
import java.util.List;

/** A program that starts writing a file and then waits, to be killed with SIGKILL (no shutdown hook runs). */
public final class HoldOutput {
    private HoldOutput() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path out = Path.of(args[0]);
        SafetensorsWriter w = SafetensorsWriter.create(out,
                List.of(new TensorSpec("a", DType.F32, Shape.of(4)), new TensorSpec("b", DType.F32, Shape.of(4))),
                SafetensorsWriter.PT_METADATA, false);
        w.writeFloats("a", new float[] {1, 2, 3, 4});
        System.out.println("writing");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
