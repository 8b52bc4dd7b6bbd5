package dev.graft.cli.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.formats.gguf.GgufLayout;
import dev.graft.formats.gguf.GgufTensorInfo;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.gguf.GgufValue;
import dev.graft.formats.gguf.GgufValueType;
import dev.graft.formats.gguf.GgufWriter;
import dev.graft.formats.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A third-party parser reads what Graft writes: Hugging Face's {@code @huggingface/gguf} (the parser behind the
 * Hub's GGUF viewer, pinned in {@code cli/src/test/gguf-oracle/package-lock.json}, installed by
 * {@code scripts/install-gguf-oracle.sh}) parses Graft-written files under Node.js, and every metadata entry (type
 * and value) and tensor info (name, ggml-order shape, type, offset) it reports is the one Graft planned.
 *
 * <p>Fails, rather than skips, when Node.js or the package is missing ({@link NodeOracle}); {@code GRAFT_SKIP_NODE=1}
 * skips it on machines without Node.js.
 */
class GgufOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Map<String, GgufValue> everyValueType() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.string("llama"));
        m.put("general.name", GgufValue.string("oracle ✓"));
        m.put("general.alignment", GgufValue.u32(64));
        m.put("t.u8", new GgufValue(GgufValueType.UINT8, null, 200L));
        m.put("t.i8", new GgufValue(GgufValueType.INT8, null, -100L));
        m.put("t.u16", new GgufValue(GgufValueType.UINT16, null, 60000L));
        m.put("t.i16", new GgufValue(GgufValueType.INT16, null, -30000L));
        m.put("t.u32", GgufValue.u32(4000000000L));
        m.put("t.i32", GgufValue.i32(-2000000000));
        m.put("t.f32", GgufValue.f32(1e-5f));
        m.put("t.bool", GgufValue.bool(true));
        m.put("t.u64", GgufValue.u64(1L << 40));
        m.put("t.i64", new GgufValue(GgufValueType.INT64, null, -(1L << 40)));
        m.put("t.f64", new GgufValue(GgufValueType.FLOAT64, null, Math.PI));
        m.put("tokenizer.ggml.tokens", GgufValue.strings(List.of("<s>", "Ġthe", "▁a", "")));
        m.put("tokenizer.ggml.token_type", GgufValue.i32s(new int[] {3, 1, 1, 5}));
        m.put("tokenizer.ggml.scores", GgufValue.f32s(new float[] {0f, -1.5f, -1000f, 0.25f}));
        return m;
    }

    private static List<GgufLayout.Entry> everyTensorType() {
        return List.of(new GgufLayout.Entry("token_embd.weight", GgufTensorType.Q8_0, Shape.of(3, 64)),
                new GgufLayout.Entry("blk.0.attn_norm.weight", GgufTensorType.F32, Shape.of(7)),
                new GgufLayout.Entry("blk.0.attn_q.weight", GgufTensorType.Q4_0, Shape.of(2, 32)),
                new GgufLayout.Entry("blk.0.ffn_up.weight", GgufTensorType.F16, Shape.of(5, 3)),
                new GgufLayout.Entry("blk.0.ffn_down.weight", GgufTensorType.BF16, Shape.of(3, 5)),
                new GgufLayout.Entry("scale", GgufTensorType.F32, Shape.of(2, 1, 3, 4)));
    }

    @Test
    void huggingFaceGgufReadsWhatGraftMeantToWrite() throws Exception {
        Path file = dir.resolve("oracle.gguf");
        Map<String, GgufValue> meta = everyValueType();
        GgufLayout layout = GgufLayout.plan(file, meta, everyTensorType());
        try (GgufWriter w = GgufWriter.create(file, layout, false)) {
            for (GgufTensorInfo t : layout.tensors()) {
                w.writeFloats(t.name(), new float[(int) t.elementCount()]);
            }
            w.commit();
        }
        JsonNode read = parse(file);
        assertThat(read.get("version").asInt()).isEqualTo(3);
        assertThat(read.get("littleEndian").asBoolean()).isTrue();
        assertThat(read.get("tensorCount").asText()).isEqualTo("6");
        assertThat(read.get("kvCount").asText()).isEqualTo(String.valueOf(meta.size()));
        assertThat(read.get("tensorDataOffset").asText()).isEqualTo(String.valueOf(layout.dataStart()));

        JsonNode readMeta = read.get("metadata");
        assertThat(names(readMeta)).containsExactlyElementsOf(meta.keySet());
        meta.forEach((key, v) -> {
            JsonNode e = readMeta.get(key);
            assertThat(e.get("type").asInt()).as(key).isEqualTo(v.type().id());
            if (v.type() == GgufValueType.ARRAY) {
                assertThat(e.get("subType").asInt()).as(key).isEqualTo(v.elementType().id());
                List<Object> values = new ArrayList<>();
                e.get("value").forEach(x -> values.add(value(v.elementType(), x)));
                assertThat(values).as(key).isEqualTo(List.copyOf(v.asList()));
            } else {
                assertThat(value(v.type(), e.get("value"))).as(key).isEqualTo(v.value());
            }
        });

        List<GgufTensorInfo> planned = layout.tensors();
        JsonNode tensors = read.get("tensors");
        assertThat(tensors).hasSize(planned.size());
        for (int i = 0; i < planned.size(); i++) {
            GgufTensorInfo p = planned.get(i);
            JsonNode t = tensors.get(i);
            assertThat(t.get("name").asText()).isEqualTo(p.name());
            assertThat(t.get("dtype").asInt()).as(p.name()).isEqualTo(p.type().id());
            assertThat(t.get("offset").asText()).as(p.name()).isEqualTo(String.valueOf(p.offset()));
            List<Long> shape = new ArrayList<>();
            t.get("shape").forEach(d -> shape.add(Long.parseLong(d.asText())));
            assertThat(shape).as(p.name()).containsExactly(java.util.Arrays.stream(p.dims()).boxed()
                    .toArray(Long[]::new));
        }
        // offsets land on general.alignment = 64
        assertThat(planned).extracting(GgufTensorInfo::offset).allMatch(o -> o % 64 == 0);
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** A value as {@link GgufValue} holds it, from the oracle's JSON (64-bit integers come as strings). */
    private static Object value(GgufValueType type, JsonNode x) {
        return switch (type) {
            case FLOAT32 -> (float) x.asDouble();
            case FLOAT64 -> x.asDouble();
            case BOOL -> x.asBoolean();
            case STRING -> x.asText();
            default -> Long.parseLong(x.asText());
        };
    }

    private JsonNode parse(Path file) throws IOException, InterruptedException {
        byte[] out = NodeOracle.run("@huggingface/gguf", "parse.mjs", 60, List.of(file.toString()));
        Files.write(dir.resolve("oracle.json"), out);
        return JSON.readTree(out);
    }
}
