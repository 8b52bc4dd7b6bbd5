package dev.graft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.safetensors.SafetensorsWriter;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.TensorSpec;
import dev.graft.testmodels.TinyLlama;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiffCommandTest {
    @TempDir
    Path dir;

    /** One tensor of a hand-made file: float values, or raw bytes for a raw-only dtype. */
    private record T(String name, DType dtype, long[] shape, float[] values, byte[] raw) {
        static T floats(String name, DType dtype, float... values) {
            return new T(name, dtype, new long[] {values.length}, values, null);
        }

        static T bytes(String name, byte... raw) {
            return new T(name, DType.F8_E8M0, new long[] {raw.length}, null, raw);
        }
    }

    private Path file(String name, T... tensors) {
        Path p = dir.resolve(name);
        List<TensorSpec> specs = new ArrayList<>();
        for (T t : tensors) {
            specs.add(new TensorSpec(t.name(), t.dtype(), Shape.of(t.shape())));
        }
        try (SafetensorsWriter w = SafetensorsWriter.create(p, specs, SafetensorsWriter.PT_METADATA, false)) {
            for (T t : tensors) {
                if (t.raw() != null) {
                    try (SafetensorsWriter.TensorSink s = w.sink(t.name())) {
                        s.writeBytes(MemorySegment.ofArray(t.raw()));
                    }
                } else {
                    w.writeFloats(t.name(), t.values());
                }
            }
            w.commit();
        }
        return p;
    }

    /**
     * t1 changes by (0, 1) against a norm of 5, t2 and the rest not at all: per tensor 1/5, over all numeric
     * tensors √1/√(25 + 144 + 0) = 1/13.
     */
    private Path[] handMadePair() {
        Path a = file("a.safetensors",
                T.floats("t1", DType.F32, 3, 4),
                T.floats("t2", DType.F32, 0, 0, 12),
                T.floats("gone", DType.F32, 1),
                T.floats("reshaped", DType.F32, 1, 2),
                T.floats("recast", DType.F32, 0, 0),
                T.bytes("scales", (byte) 1, (byte) 2),
                T.bytes("codes", (byte) 1, (byte) 2));
        Path b = file("b.safetensors",
                T.floats("t1", DType.F32, 3, 5),
                T.floats("t2", DType.F32, 0, 0, 12),
                T.floats("reshaped", DType.F32, 1, 2, 3),
                T.floats("recast", DType.BF16, 0, 0),
                T.bytes("scales", (byte) 1, (byte) 2),
                T.bytes("codes", (byte) 1, (byte) 3),
                T.floats("new", DType.F32, 7));
        return new Path[] {a, b};
    }

    @Test
    void reportsExactRelativeChanges() {
        Path[] ab = handMadePair();
        Cli.Result r = Cli.graft("diff", ab[0].toString(), ab[1].toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                A           %s
                B           %s
                Compared    5 tensors with the same name and shape, 3 identical
                Overall     ||B-A|| / ||A|| = 7.692e-02 (all compared tensors as one vector)
                Only in A   gone
                Only in B   new
                Mismatched  recast: A F32 [2], B BF16 [2] (compared as float32)
                            reshaped: A F32 [2], B F32 [3]

                Tensors by relative change
                  TENSOR  DTYPE      SHAPE  ||B-A||/||A||  MAX |B-A|
                  codes   F8_E8M0    [2]          differs          -
                  t1      F32        [2]        2.000e-01  1.000e+00
                  recast  F32->BF16  [2]        0.000e+00  0.000e+00
                  scales  F8_E8M0    [2]        identical          -
                  t2      F32        [3]        0.000e+00  0.000e+00
                """.formatted(ab[0], ab[1]));
    }

    @Test
    void jsonCarriesExactNumbers() throws Exception {
        Path[] ab = handMadePair();
        JsonNode j = new ObjectMapper().readTree(Cli.graft("diff", ab[0].toString(), ab[1].toString(), "--json").out());
        assertThat(j.get("compared").asInt()).isEqualTo(5);
        assertThat(j.get("identical").asInt()).isEqualTo(3);
        assertThat(j.get("relative_delta").asDouble()).isEqualTo(1.0 / 13);
        assertThat(j.get("only_in_a").toString()).isEqualTo("[\"gone\"]");
        assertThat(j.get("only_in_b").toString()).isEqualTo("[\"new\"]");
        assertThat(j.get("mismatched").toString()).isEqualTo("[{\"name\":\"recast\",\"a\":{\"dtype\":\"F32\",\"shape\":[2]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2]},\"compared\":true},{\"name\":\"reshaped\",\"a\":{\"dtype\":\"F32\","
                + "\"shape\":[2]},\"b\":{\"dtype\":\"F32\",\"shape\":[3]},\"compared\":false}]");
        JsonNode t1 = j.get("tensors").get(1);
        assertThat(t1.toString()).isEqualTo("{\"name\":\"t1\",\"dtype_a\":\"F32\",\"dtype_b\":\"F32\",\"shape\":[2],"
                + "\"identical\":false,\"relative_delta\":0.2,\"max_abs_delta\":1.0,\"norm_a\":5.0,\"norm_delta\":1.0}");
        JsonNode codes = j.get("tensors").get(0);
        assertThat(codes.get("name").asText()).isEqualTo("codes");
        assertThat(codes.get("relative_delta").isNull()).isTrue();
        assertThat(codes.get("identical").asBoolean()).isFalse();
    }

    @Test
    void topLimitsTheRows() throws Exception {
        Path[] ab = handMadePair();
        Cli.Result r = Cli.graft("diff", ab[0].toString(), ab[1].toString(), "--top", "2");
        assertThat(r.out()).endsWith("""
                Tensors by relative change (top 2 of 5)
                  TENSOR  DTYPE    SHAPE  ||B-A||/||A||  MAX |B-A|
                  codes   F8_E8M0  [2]          differs          -
                  t1      F32      [2]        2.000e-01  1.000e+00
                """);
        JsonNode j = new ObjectMapper().readTree(
                Cli.graft("diff", ab[0].toString(), ab[1].toString(), "--top", "1", "--json").out());
        assertThat(j.get("tensors")).hasSize(1);
        assertThat(j.get("compared").asInt()).isEqualTo(5);
    }

    @Test
    void identicalModelsDifferByZero() {
        TinyLlama model = TinyLlama.builder().layers(1).hidden(8).intermediate(16).vocab(32).heads(2).seed(3);
        Path a = model.writeTo(dir.resolve("a"));
        Path b = model.writeTo(dir.resolve("b"));
        Cli.Result r = Cli.graft("diff", a.toString(), b.toString(), "--top", "1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("""
                A           %s
                B           %s
                Compared    12 tensors with the same name and shape, 12 identical
                Overall     ||B-A|| / ||A|| = 0.000e+00 (all compared tensors as one vector)
                Only in A   none
                Only in B   none
                Mismatched  none
                """.formatted(a, b));
    }

    @Test
    void topMustBePositive() {
        Path[] ab = handMadePair();
        Cli.Result r = Cli.graft("diff", ab[0].toString(), ab[1].toString(), "--top", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("graft: --top must be at least 1, not 0\n");
    }

    @Test
    void missingModelIsAOneLineFailure() {
        Path[] ab = handMadePair();
        Path missing = dir.resolve("nothing-here");
        Cli.Result r = Cli.graft("diff", ab[0].toString(), missing.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("graft: " + missing + ": no such folder\n");
    }
}
