package dev.graft.cli.compress;

import static dev.graft.cli.Cli.graft;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.cli.Cli.Result;
import dev.graft.formats.model.ModelSource;
import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyLlama;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressCommandTest {
    @TempDir
    static Path models;

    static FineTuneFamily.Folders family;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeModels() {
        family = FineTuneFamily.of(TinyLlama.builder().seed(2).build()).fineTunes(2).seed(4).writeTo(models);
    }

    @Test
    void compressesReportsRatiosAndErrorsThenDecompressesAndInspects() throws Exception {
        Path delta = dir.resolve("d.safetensors");
        Result c = graft("compress", "bitdelta", family.base().toString(), family.fineTunes().getFirst().toString(),
                "-o", delta.toString(), "-q");
        assertThat(c.err()).isEmpty();
        assertThat(c.code()).isZero();
        assertThat(c.out()).contains("Method:      bitdelta\n")
                .containsPattern("Ratio: +[0-9.]+x vs the bf16 delta \\(230 kB\\), [0-9.]+x vs the fine-tuned model")
                .contains("Tensors:     16 compressed, 5 stored losslessly\n")
                .containsPattern("  model\\.layers\\.0\\.mlp\\.up_proj\\.weight +bitdelta +\\[128, 64] +1\\.03 kB +1\\.004 +0\\.[0-9]{4}\n")
                .containsPattern("  model\\.norm\\.weight +copy +\\[64] +128 B +16\\.000 +lossless\n");

        Path out = dir.resolve("restored");
        Result d = graft("decompress", family.base().toString(), delta.toString(), "-o", out.toString(), "-q");
        assertThat(d.err()).isEmpty();
        assertThat(d.out()).startsWith("Decompressed 21 tensors (230 kB) from the bitdelta delta into " + out);
        try (ModelSource m = ModelSource.open(out)) {
            assertThat(m.tensors()).hasSize(21);
        }

        Result i = graft("inspect", delta.toString(), "--json", "--filter", "norm");
        assertThat(i.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(i.out());
        assertThat(j.get("method").asText()).isEqualTo("bitdelta");
        assertThat(j.get("file_bytes").asLong()).isEqualTo(Files.size(delta));
        assertThat(j.get("tensors")).hasSize(5);
        assertThat(j.get("ratio_vs_bf16_delta").asDouble()).isGreaterThan(5);
    }

    @Test
    void refusesOptionsOfAnotherMethodAndUnknownMethods() {
        Result r = graft("compress", "compeft", "a", "b", "-o", dir.resolve("x.safetensors").toString(), "--drop", "0.5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("graft: --drop does not apply to compeft (it takes --density, --alpha)\n");
        Result u = graft("compress", "zip", "a", "b", "-o", dir.resolve("x.safetensors").toString());
        assertThat(u.code()).isEqualTo(2);
        assertThat(u.err()).startsWith("graft: unknown method 'zip' (choose bitdelta, deltacome, compeft, dare or lowrank)\n");
        Result bad = graft("compress", "dare", family.base().toString(), family.fineTunes().getFirst().toString(),
                "-o", dir.resolve("x.safetensors").toString(), "--drop", "1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("graft: dare drop must be in [0, 1), not 1.0\n");
    }

    @Test
    void refusesTheWrongBaseWithOneLineNamingTheTensor() {
        Path delta = dir.resolve("d.safetensors");
        assertThat(graft("compress", "compeft", family.base().toString(), family.fineTunes().getFirst().toString(),
                "-o", delta.toString(), "-q", "--density", "0.05").code()).isZero();
        Result r = graft("decompress", family.fineTunes().get(1).toString(), delta.toString(), "-o",
                dir.resolve("out.safetensors").toString(), "-q");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).matches("graft: .*d\\.safetensors: tensor \"lm_head\\.weight\" of the base .*ft2 differs "
                + "from the one this delta was made from \\(CRC32C [0-9a-f]{8}, expected [0-9a-f]{8}\\); apply the "
                + "delta to its own base model\n");
        assertThat(dir.resolve("out.safetensors")).doesNotExist();
    }
}
