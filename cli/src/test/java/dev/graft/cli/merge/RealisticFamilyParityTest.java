package dev.graft.cli.merge;

import dev.graft.cli.Cli;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the bits of TIES and task_arithmetic on the realistic benchmark family ({@code graft bench family}: bf16
 * fine-tunes whose |delta| ties heavily), so that speed work on the selection, codec and consensus paths cannot
 * change a result unnoticed. The digests were taken with the merge code (formats, merge-core, algorithms) of main
 * at dee162c, before any such work; tie-heavy cuts are where a faster selection would most easily pick a different
 * tie.
 */
class RealisticFamilyParityTest {
    @TempDir
    Path dir;

    private Path family(String... more) {
        String[] args = {"bench", "family", "--dir", dir.resolve("family").toString(), "--hidden", "128",
                "--intermediate", "352", "--layers", "2", "--vocab", "1000", "--heads", "4", "--kv-heads", "2"};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        Cli.Result r = Cli.graft(all);
        assertThat(r.err()).isEmpty();
        return dir.resolve("family");
    }

    private String merge(Path f, String... method) {
        Path out = dir.resolve("out");
        String[] models = {f.resolve("ft1").toString(), f.resolve("ft2").toString(), f.resolve("ft3").toString(),
                "--base", f.resolve("base").toString(), "--weight", "1", "-o", out.toString(), "--force"};
        String[] all = new String[1 + method.length + models.length];
        all[0] = "merge";
        System.arraycopy(method, 0, all, 1, method.length);
        System.arraycopy(models, 0, all, 1 + method.length, models.length);
        Cli.Result r = Cli.graft(all);
        assertThat(r.code()).as(r.err()).isZero();
        return digest(out);
    }

    @Test
    void tiesOnDenseTiedDeltas() {
        assertThat(merge(family(), "ties", "--density", "0.2"))
                .isEqualTo("00dcf2a846a4081550069c329740d300b0a29144020c810569c61919f64efd0f");
    }

    @Test
    void tiesOnSparseChanges() {
        assertThat(merge(family("--changed", "0.1"), "ties", "--density", "0.2"))
                .isEqualTo("14b2c23adf515758e49430f94a0365f9c7351d5e4a1862ba28de45e9c2919096");
    }

    @Test
    void taskArithmeticOnDenseTiedDeltas() {
        assertThat(merge(family(), "task_arithmetic"))
                .isEqualTo("15741f3fdb763bc394e39f6afeb70d4b63b0c82fda14c28b6582476abcb7695c");
    }

    /** SHA-256 over every tensor's name and float32 bits (exact for bf16), in name order: the header's metadata aside. */
    private static String digest(Path model) {
        try (ModelSource m = ModelSource.open(model)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<TensorSpec> specs = m.tensors().stream().sorted(Comparator.comparing(TensorSpec::name)).toList();
            for (TensorSpec s : specs) {
                sha.update(s.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(s.dtype().name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                float[] v = m.tensor(s.name()).toFloatArray();
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                sha.update(b.array());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
