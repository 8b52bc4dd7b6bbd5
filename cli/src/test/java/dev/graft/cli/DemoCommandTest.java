package dev.graft.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void walksThroughInspectAndDiffAndCleansUp() {
        Cli.Result r = Cli.graft("demo");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains(
                "Step 1. Generate a tiny model family\n",
                "Step 2. Look inside the base model: files, tensors, parameter count, architecture\n",
                "Architecture  llama (LlamaForCausalLM), 2 layers\n",
                "Parameters    115,008 (115.0K) in 21 tensors, 230 kB\n",
                "Step 3. See what the first fine-tune changed, tensor by tensor\n",
                "Compared    21 tensors with the same name and shape, 0 identical\n",
                "Overall     ||B-A|| / ||A|| = 5.139e-02 (all compared tensors as one vector)\n",
                "Tensors by relative change (top 8 of 21)\n",
                "Step 4. Merge both fine-tunes into the base with TIES\n",
                "Merged 21 tensors into ",
                "Step 5. Compare the merge with the base",
                "Overall     ||B-A|| / ||A|| = 6.499e-02 (all compared tensors as one vector)\n");
        Path base = Path.of(r.out().lines().filter(l -> l.startsWith("    ") && l.endsWith("base")).findFirst()
                .orElseThrow().strip());
        assertThat(base.getParent().getFileName().toString()).startsWith("graft-demo-");
        assertThat(base.getParent()).doesNotExist();
        assertThat(r.out()).endsWith("Done. The models were deleted; run 'graft demo --dir DIR' to keep them and try\n"
                + "inspect, diff and merge on them yourself.\n");
    }

    @Test
    void dirKeepsTheModels() {
        Path out = dir.resolve("models");
        Cli.Result r = Cli.graft("demo", "--dir", out.toString());
        assertThat(r.code()).isZero();
        for (String m : new String[] {"base", "ft1", "ft2"}) {
            assertThat(out.resolve(m).resolve("model.safetensors")).isRegularFile();
            assertThat(out.resolve(m).resolve("config.json")).isRegularFile();
        }
        assertThat(r.out()).endsWith("Done. The models are in " + out + "; try for example:\n"
                + "  graft inspect " + out.resolve("ft2") + " --filter mlp\n"
                + "  graft diff " + out.resolve("ft1") + " " + out.resolve("ft2") + "\n"
                + "  graft merge slerp " + out.resolve("ft1") + " --base " + out.resolve("base") + " --t 0.3 -o "
                + out.resolve("slerp.safetensors") + "\n");
        assertThat(out.resolve("merged").resolve("model.safetensors")).isRegularFile();
        assertThat(out.resolve("merged").resolve("README.md")).isRegularFile();
        assertThat(Files.exists(out.resolve("ft3"))).isFalse();
    }
}
