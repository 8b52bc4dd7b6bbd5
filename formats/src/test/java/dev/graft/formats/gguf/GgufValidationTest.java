package dev.graft.formats.gguf;

import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed GGUF files, each refused with its own error kind and a one-line message. */
class GgufValidationTest {
    @TempDir
    Path dir;

    private Path file(byte[] bytes) throws IOException {
        Path p = dir.resolve("x.gguf");
        Files.write(p, bytes);
        return p;
    }

    private void refused(byte[] bytes, GgufError error, String message) throws IOException {
        Path p = file(bytes);
        assertThatThrownBy(() -> GgufFile.open(p).close()).isInstanceOf(GgufException.class)
                .hasMessage(p + ": " + message)
                .satisfies(e -> assertThat(((GgufException) e).error()).isEqualTo(error));
    }

    /** One F32 tensor "w" of 8 elements at offset 0, alignment 32. */
    private static byte[] valid() {
        return RawGguf.header(3, 1, 1).kvU32("general.alignment", 32).tensor("w", 0, 0, 8).pad(32).zeros(32).build();
    }

    @Test
    void aValidFileOpens() throws IOException {
        try (GgufFile f = GgufFile.open(file(valid()))) {
            assertThat(f.specs()).hasSize(1);
            assertThat(f.tensor("w").shape()).isEqualTo(Shape.of(8));
        }
        byte[] v2 = valid();
        v2[4] = 2;
        try (GgufFile f = GgufFile.open(file(v2))) {
            assertThat(f.header().version()).isEqualTo(2);
        }
    }

    @Test
    void everyTruncationIsRefusedAsTruncated() throws IOException {
        byte[] good = valid();
        for (int n = 4; n < good.length; n++) {
            Path p = file(Arrays.copyOf(good, n));
            assertThatThrownBy(() -> GgufFile.open(p).close()).as("length %d", n).isInstanceOf(GgufException.class)
                    .satisfies(e -> assertThat(((GgufException) e).error()).isEqualTo(GgufError.TRUNCATED));
        }
    }

    @Test
    void wrongMagicAndVersions() throws IOException {
        refused("PK\3\4 not gguf".getBytes(), GgufError.NOT_GGUF, "not a GGUF file: it does not start with the bytes GGUF");
        refused(new byte[2], GgufError.NOT_GGUF, "not a GGUF file: it does not start with the bytes GGUF");
        refused(RawGguf.header(1, 0, 0).build(), GgufError.UNSUPPORTED_VERSION, "unsupported GGUF version: version 1; "
                + "Graft reads versions 2 and 3 (version 1 is the 2023 draft; convert the file with a current llama.cpp)");
        refused(RawGguf.header(0x0300_0000, 0, 0).build(), GgufError.UNSUPPORTED_VERSION, "unsupported GGUF version: "
                + "version 50331648; Graft reads versions 2 and 3 (a big-endian file; Graft reads little-endian GGUF only)");
    }

    @Test
    void countsAndLengthsLargerThanTheFileAllocateNothing() throws IOException {
        refused(RawGguf.header(3, Long.MAX_VALUE, 0).build(), GgufError.TRUNCATED, "truncated header: "
                + "9223372036854775807 tensor infos declared at byte 24, but 0 bytes remain in the file");
        refused(RawGguf.header(3, 0, -1L).build(), GgufError.TRUNCATED, "truncated header: "
                + "18446744073709551615 metadata entries declared at byte 24, but 0 bytes remain in the file");
        refused(RawGguf.header(3, 0, 1).u64(1L << 40).zeros(20).build(), GgufError.TRUNCATED, "truncated header: "
                + "metadata key 0 declares 1099511627776 bytes at byte 24, but 20 remain in the file");
        refused(RawGguf.header(3, 0, 1).string("a").u32(GgufValueType.ARRAY.id()).u32(GgufValueType.UINT64.id())
                .u64(1L << 60).zeros(8).build(), GgufError.TRUNCATED, "truncated header: 1152921504606846976 "
                + "elements of \"a\" declared at byte 49, but 8 bytes remain in the file");
    }

    @Test
    void unknownTypesAndNestedArrays() throws IOException {
        refused(RawGguf.header(3, 0, 1).string("k").u32(13).zeros(8).build(), GgufError.UNKNOWN_VALUE_TYPE,
                "unknown metadata value type: \"k\" has type id 13; GGUF defines 0 to 12");
        refused(RawGguf.header(3, 0, 1).string("k").u32(9).u32(9).u64(0).build(), GgufError.UNKNOWN_VALUE_TYPE,
                "unknown metadata value type: \"k\" is an array of arrays, which ggml does not read either");
        refused(RawGguf.header(3, 1, 0).tensor("w", 31, 0, 8).pad(32).zeros(32).build(), GgufError.UNKNOWN_TENSOR_TYPE,
                "unknown tensor type (tensor \"w\"): type id 31 is not a ggml type Graft knows");
    }

    @Test
    void duplicatesAndBadUtf8() throws IOException {
        refused(RawGguf.header(3, 0, 2).kvU32("a", 1).kvU32("a", 2).build(), GgufError.DUPLICATE_KEY,
                "duplicate metadata key: \"a\" appears twice");
        refused(RawGguf.header(3, 2, 0).tensor("w", 0, 0, 8).tensor("w", 0, 32, 8).pad(32).zeros(64).build(),
                GgufError.DUPLICATE_TENSOR, "duplicate tensor name (tensor \"w\"): the name appears twice");
        refused(RawGguf.header(3, 0, 1).u64(2).bytes(new byte[] {(byte) 0xC3, 0x28}).u32(4).u32(0).build(),
                GgufError.INVALID_UTF8, "invalid UTF-8: metadata key 0 at byte 32");
    }

    @Test
    void misalignedOverlappingAndOutOfFileData() throws IOException {
        refused(RawGguf.header(3, 1, 0).tensor("w", 0, 4, 8).pad(32).zeros(64).build(), GgufError.INVALID_OFFSET,
                "invalid tensor offset (tensor \"w\"): offset 4 is not a multiple of the alignment 32");
        refused(RawGguf.header(3, 2, 0).tensor("a", 0, 0, 16).tensor("b", 0, 32, 8).pad(32).zeros(96).build(),
                GgufError.INVALID_OFFSET, "invalid tensor offset (tensor \"b\"): its data at offset 32 overlaps \"a\", "
                        + "which runs to 64");
        refused(RawGguf.header(3, 1, 0).tensor("w", 0, 0, 9).pad(32).zeros(32).build(), GgufError.TRUNCATED,
                "truncated header (tensor \"w\"): its 36 bytes at offset 0 run past the end of the file (32 bytes of data)");
        refused(RawGguf.header(3, 1, 1).kvU32("general.alignment", 24).tensor("w", 0, 0, 8).pad(32).zeros(32).build(),
                GgufError.INVALID_METADATA, "invalid metadata: general.alignment is 24; it must be a power of two");
        refused(RawGguf.header(3, 1, 0).tensor("q", 8, 0, 48).pad(32).zeros(64).build(), GgufError.INVALID_SHAPE,
                "invalid tensor shape (tensor \"q\"): rows of 48 elements are not whole Q8_0 blocks of 32");
        refused(RawGguf.header(3, 1, 0).tensor("w", 0, 0, 1, 1, 1, 1, 1).pad(32).zeros(32).build(),
                GgufError.INVALID_SHAPE, "invalid tensor shape (tensor \"w\"): 5 dimensions; ggml tensors have 1 to 4");
        refused(RawGguf.header(3, 1, 0).tensor("w", 0, 0, 1L << 62, 1L << 62).pad(32).zeros(32).build(),
                GgufError.INVALID_SHAPE, "invalid tensor shape (tensor \"w\"): the element count overflows 64 bits");
    }

    @Test
    void typesGraftDoesNotConvertListButDoNotRead() throws IOException {
        Path p = file(RawGguf.header(3, 1, 0).tensor("k", GgufTensorType.Q5_K.id(), 0, 256).pad(32).zeros(192).build());
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.header().tensors()).extracting(GgufTensorInfo::type).containsExactly(GgufTensorType.Q5_K);
            assertThatThrownBy(f::specs).isInstanceOf(GgufException.class).hasMessage(p + ": unsupported tensor type "
                    + "(tensor \"k\"): Q5_K is not among the types Graft reads (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K)");
            assertThatThrownBy(() -> f.tensor("k")).isInstanceOf(GgufException.class);
            assertThatThrownBy(() -> f.tensor("nope")).hasMessage(p + ": tensor not found (tensor \"nope\"): "
                    + "no such tensor in this file");
        }
    }

    @Test
    void aWrittenFileWithEveryConvertibleTypeOpens() {
        Path p = dir.resolve("all.gguf");
        List<GgufLayout.Entry> entries = List.of(new GgufLayout.Entry("a", GgufTensorType.F32, Shape.of(3)),
                new GgufLayout.Entry("b", GgufTensorType.Q4_0, Shape.of(2, 32)),
                new GgufLayout.Entry("c", GgufTensorType.BF16, Shape.of(1)));
        try (GgufWriter w = GgufWriter.create(p, GgufLayout.plan(p, Map.of(), entries), false)) {
            w.writeFloats("a", new float[] {1, 2, 3});
            w.writeFloats("b", new float[64]);
            w.writeFloats("c", new float[] {0.5f});
            w.commit();
        }
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.header().tensors()).extracting(GgufTensorInfo::offset).containsExactly(0L, 32L, 96L);
            assertThat(f.tensor("c").toFloatArray()).containsExactly(0.5f);
        }
    }
}
