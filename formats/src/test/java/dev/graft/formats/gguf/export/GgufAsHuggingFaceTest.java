package dev.graft.formats.gguf.export;

import dev.graft.formats.dtype.DType;
import dev.graft.formats.dtype.FloatCodec;
import dev.graft.formats.gguf.GgufException;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Export, then read back under Hugging Face names: the names and values the folder had. */
class GgufAsHuggingFaceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"llama, F32", "llama, F16", "llama, BF16", "qwen2, BF16", "mistral, F16"})
    void exportThenReadGivesTheHuggingFaceNamesAndValues(String modelType, GgufTensorType type) throws Exception {
        Path folder = TinyHfModel.write(dir.resolve(modelType), modelType, true, true);
        Path gguf = dir.resolve(modelType + ".gguf");
        DType dtype = switch (type) {
            case F32 -> DType.F32;
            case F16 -> DType.F16;
            default -> DType.BF16;
        };
        try (ModelSource hf = ModelSource.open(folder)) {
            GgufExport.of(hf).type(type).write(gguf);
            try (ModelSource back = GgufAsHuggingFace.open(gguf)) {
                List<String> expected = hf.tensors().stream().map(TensorSpec::name)
                        .filter(n -> !TensorNames.isSkipped(n)).toList();
                assertThat(back.tensors().stream().map(TensorSpec::name)).containsExactlyElementsOf(expected);
                for (String name : expected) {
                    Tensor src = hf.tensor(name);
                    Tensor got = back.tensor(name);
                    assertThat(got.shape()).as(name).isEqualTo(src.shape());
                    if (src.shape().rank() == 1) {
                        // norms and biases: widened to F32, every bit of the bf16 value kept
                        assertThat(got.dtype()).as(name).isEqualTo(DType.F32);
                        assertThat(got.toFloatArray()).as(name).isEqualTo(src.toFloatArray());
                    } else {
                        assertThat(got.dtype()).as(name).isEqualTo(dtype);
                        assertThat(got.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).as(name)
                                .isEqualTo(bytesAs(src, dtype));
                    }
                }
            }
        }
    }

    /** The source's values stored as {@code dtype}: for BF16 the source's own bytes, so the bits come back. */
    private static byte[] bytesAs(Tensor src, DType dtype) {
        float[] v = src.toFloatArray();
        MemorySegment out = MemorySegment.ofArray(new byte[v.length * dtype.byteSize()]);
        FloatCodec.of(dtype).encode(v, 0, v.length, out, 0);
        return out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    @Test
    void gemmaIsRefusedWithTheSupportedOnes() throws Exception {
        Path folder = TinyHfModel.write(dir.resolve("gemma"), "gemma", true, false);
        Path gguf = dir.resolve("g.gguf");
        try (ModelSource hf = ModelSource.open(folder)) {
            GgufExport.of(hf).write(gguf);
        }
        assertThatThrownBy(() -> GgufAsHuggingFace.open(gguf)).isInstanceOf(GgufException.class)
                .hasMessage(gguf + ": cannot map to Hugging Face names: \"gemma\" norms are stored plus one, which "
                        + "does not read back exactly; supported: llama, mistral, qwen2");
    }
}
