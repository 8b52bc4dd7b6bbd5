package dev.graft.cli.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.cli.Cli;
import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.GreedyDecoder;
import dev.graft.evaluation.llama.LlamaFolder;
import dev.graft.evaluation.llama.LlamaPass;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.llama.WideWeights;
import dev.graft.evaluation.net.Params;
import dev.graft.formats.gguf.GgufFile;
import dev.graft.formats.gguf.GgufTensorInfo;
import dev.graft.formats.gguf.GgufTensorType;
import dev.graft.formats.gguf.export.GgufAsHuggingFace;
import dev.graft.formats.testing.TokenizerTrees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A merged model generates the same tokens in llama.cpp as in transformers: Graft merges two fine-tunes of a
 * byte-level Llama (4 query heads over 2 key/value heads, so the q/k row permutation and grouped-query attention are
 * both in play), writes the merge as a Hugging Face folder and as GGUF files, and llama.cpp (node-llama-cpp's
 * prebuilt CPU build, pinned in {@code cli/src/test/gguf-oracle/package-lock.json}, run by {@code generate.mjs})
 * decodes greedily from the GGUF files exactly the tokens that Graft's Java forward pass — the evaluation's
 * {@link LlamaPass}, checked against a numpy transcription of transformers' {@code modeling_llama} in
 * {@code LlamaReferenceTest} — decodes from the folder, with each next-token distribution equal to float32 rounding.
 * Q8_0 and Q6_K exports are compared position by position on the Java tokens: their probabilities within
 * quantization noise, their picks the Java ones wherever the margin exceeds that noise.
 *
 * <p>The prompts are fed as token ids, the byte vocabulary's (byte {@code b} is id {@code b}), so llama.cpp's
 * tokenizer is not in the comparison; the files still carry that vocabulary as a SentencePiece ({@code llama})
 * tokenizer with byte tokens, which llama.cpp loads.
 *
 * <p>Fails without Node.js or the package; {@code GRAFT_SKIP_NODE=1} skips it ({@link NodeOracle}).
 */
class LlamaCppOracleTest {
    private static final LlamaShape SHAPE = new LlamaShape(ByteVocabulary.SIZE, 64, 128, 2, 4, 2, 128, 10000, 1e-5);
    private static final int MAX_TOKENS = 24;
    private static final List<String> PROMPTS = List.of("47+38=", "reverse kqzt:", "The quick brown fox");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path merged;
    private JavaDecoding javaPass;

    /**
     * What the Java pass decodes.
     *
     * @param tokens its greedy continuation of each prompt
     * @param next   its next-token distributions along prompt and continuation, from the prompt's last token on
     */
    private record JavaDecoding(List<List<Integer>> tokens, List<List<double[]>> next) {
    }

    @BeforeEach
    void merge() throws IOException {
        LlamaWeights base = LlamaWeights.initial(SHAPE, 1);
        Path basePath = model("base", base);
        Path ft1 = model("ft1", tuned(base, 2));
        Path ft2 = model("ft2", tuned(base, 3));
        merged = dir.resolve("merged");
        graft("merge", "ties", ft1.toString(), ft2.toString(), "--base", basePath.toString(), "--density", "0.5",
                "-o", merged.toString());
        javaPass = decode(LlamaFolder.read(merged));
        assertWorthComparing(javaPass);
    }

    /** A comparison worth making: every prompt gets a full continuation, each a different one. */
    private static void assertWorthComparing(JavaDecoding d) {
        assertThat(d.tokens()).allMatch(c -> c.size() == MAX_TOKENS).doesNotHaveDuplicates();
    }

    private static JavaDecoding decode(LlamaWeights m) {
        WideWeights wide = m.widened();
        LlamaPass pass = new LlamaPass(m.shape(), 64);
        GreedyDecoder decoder = new GreedyDecoder(pass, wide);
        List<List<Integer>> tokens = new ArrayList<>();
        List<List<double[]>> distributions = new ArrayList<>();
        for (String prompt : PROMPTS) {
            int[] p = ByteVocabulary.encodeWithBos(prompt);
            int[] c = decoder.continuation(p, MAX_TOKENS, ByteVocabulary.EOS);
            tokens.add(Arrays.stream(c).boxed().toList());
            int[] all = IntStream.concat(Arrays.stream(p), Arrays.stream(c)).toArray();
            pass.run(wide, Arrays.copyOf(all, pass.capacity()), 0, all.length);
            List<double[]> next = new ArrayList<>();
            for (int i = p.length - 1; i < all.length; i++) {
                next.add(softmax(pass.logits(wide, i)));
            }
            distributions.add(next);
        }
        return new JavaDecoding(tokens, distributions);
    }

    @Test
    void float32MergeWrittenAsGgufGeneratesTheJavaPassTokens() throws Exception {
        Path gguf = dir.resolve("merged.gguf");
        graft("merge", "ties", dir.resolve("ft1").toString(), dir.resolve("ft2").toString(), "--base",
                dir.resolve("base").toString(), "--density", "0.5", "-o", gguf.toString());
        assertThat(greedy(gguf)).isEqualTo(javaPass.tokens());
        // and each next-token distribution along the way, to float32 rounding (generate.mjs keeps llama.cpp's
        // key/value cache in float32; in its default float16 the probabilities move by about 1e-5)
        assertThat(agreement(gguf, javaPass, 1e-6)).isEqualTo(1.0);
    }

    @Test
    void q8_0ExportPredictsTheJavaPassTokensWhereItsMarginExceedsQuantizationNoise() throws Exception {
        // Q8_0 moves each weight by up to half a step of 1/127 of its block's largest magnitude, and llama.cpp rounds
        // the activations to Q8_0 too. This untrained model's top two are sometimes closer than that moves them, so
        // free-running decoding drifts apart after a few tokens; fed the Java pass's tokens, llama.cpp gives every
        // next token a probability within 0.005 of the Java pass's (0.0031 at most, measured), and so picks the Java
        // arg-max wherever it leads by more than 0.01: 72 of the 75 positions here
        Path gguf = dir.resolve("merged-q8_0.gguf");
        graft("export", "gguf", merged.toString(), "-o", gguf.toString(), "--type", "q8_0");
        assertThat(agreement(gguf, javaPass, 0.005)).isGreaterThan(0.9);
    }

    @Test
    void q6_KExportIsReadByLlamaCppAsGraftReadsIt() throws Exception {
        // 0.0055 and 0.0011 at most, measured; 70 and 72 of the 75 picks the same
        assertKQuantReadAlike("q6_k", GgufTensorType.Q6_K, 0.01, 0.85, 0.002);
    }

    @Test
    void q4_KExportIsReadByLlamaCppAsGraftReadsIt() throws Exception {
        // 4 bits reorder this untrained model's top two more often: 0.022 at most, 61 of 75 picks the same; on the
        // weights read back 0.0016 at most (54 of 56 picks: that pass meets the end token sooner)
        assertKQuantReadAlike("q4_k", GgufTensorType.Q4_K, 0.04, 0.75, 0.003);
    }

    /**
     * K-quants need rows of whole 256-element super-blocks: a wider model, written by itself (with the merge's
     * 64-wide rows every tensor would fall back to F16), exported as {@code type}. llama.cpp reads the super-blocks'
     * layout and rounds the activations to Q8_K: its probabilities stay within {@code tolerance} of the Java pass on
     * the original weights, and within {@code readBackTolerance} of the Java pass on the weights as Graft reads them
     * back from the file, where only llama.cpp's rounding of the activations is left between the two; more than
     * {@code sameShare} of the picks are the Java pass's (and the others within twice the tolerance of it).
     */
    private void assertKQuantReadAlike(String type, GgufTensorType expected, double tolerance, double sameShare,
                                       double readBackTolerance) throws Exception {
        LlamaWeights wide = LlamaWeights.initial(new LlamaShape(ByteVocabulary.SIZE, 256, 512, 1, 4, 2, 128, 10000,
                1e-5), 4);
        Path folder = model("wide", wide);
        Path gguf = dir.resolve("wide-" + type + ".gguf");
        graft("export", "gguf", folder.toString(), "-o", gguf.toString(), "--type", type);
        try (GgufFile g = GgufFile.open(gguf)) {
            assertThat(g.header().tensors()).filteredOn(t -> t.dims().length == 2)
                    .extracting(GgufTensorInfo::type).containsOnly(expected);
        }
        JavaDecoding original = decode(wide);
        assertWorthComparing(original);
        assertThat(agreement(gguf, original, tolerance)).isGreaterThan(sameShare);
        assertThat(agreement(gguf, decode(readBack(gguf, wide.shape())), readBackTolerance)).isGreaterThan(0.9);
    }

    /**
     * Feeds each prompt and its Java continuation to llama.cpp, asserts that every next-token probability is within
     * {@code tolerance} of the Java pass's and that llama.cpp's pick is the Java arg-max wherever that leads the
     * runner-up by more than twice the tolerance.
     *
     * @return the share of positions whose pick is the Java arg-max
     */
    private static double agreement(Path gguf, JavaDecoding expectedPass, double tolerance)
            throws IOException, InterruptedException {
        int same = 0;
        int positions = 0;
        for (int k = 0; k < PROMPTS.size(); k++) {
            int[] p = ByteVocabulary.encodeWithBos(PROMPTS.get(k));
            int[] all = IntStream.concat(Arrays.stream(p), expectedPass.tokens().get(k).stream().mapToInt(Integer::intValue))
                    .toArray();
            JsonNode out = JSON.readTree(NodeOracle.run("node-llama-cpp", "generate.mjs", 120, List.of("next",
                    gguf.toString(), String.valueOf(p.length - 1), ids(all)))).get("positions").get(0);
            List<double[]> expected = expectedPass.next().get(k);
            assertThat(out).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                double[] q = expected.get(i);
                double[] got = new double[q.length];
                out.get(i).get("p").forEach(e -> got[e.get(0).asInt()] = e.get(1).asDouble());
                for (int t = 0; t < q.length; t++) {
                    assertThat(got[t]).as("%s, prompt %d, position %d, token %d", gguf.getFileName(), k, i, t)
                            .isCloseTo(q[t], org.assertj.core.data.Offset.offset(tolerance));
                }
                int argMax = argMax(q);
                int pick = out.get(i).get("token").asInt();
                if (pick == argMax) {
                    same++;
                } else {
                    assertThat(q[argMax] - q[pick]).as("%s, prompt %d, position %d: llama.cpp picks %d over %d",
                            gguf.getFileName(), k, i, pick, argMax).isLessThanOrEqualTo(2 * tolerance);
                }
                positions++;
            }
        }
        return (double) same / positions;
    }

    /** The weights of a GGUF file, dequantized by Graft, under Hugging Face names and in their row order. */
    private static LlamaWeights readBack(Path gguf, LlamaShape shape) {
        try (GgufAsHuggingFace m = GgufAsHuggingFace.open(gguf)) {
            float[][] t = new float[shape.tensorCount()][];
            for (int i = 0; i < t.length; i++) {
                t[i] = m.tensor(shape.names().get(i)).toFloatArray();
            }
            return new LlamaWeights(shape, new Params(t));
        }
    }

    /** A fine-tune: every tensor moved by a quarter of a fresh initialisation's values. */
    private static LlamaWeights tuned(LlamaWeights base, long seed) {
        Params delta = LlamaWeights.initial(SHAPE, seed).params();
        float[][] t = new float[base.params().count()][];
        for (int i = 0; i < t.length; i++) {
            float[] b = base.params().tensor(i);
            float[] d = delta.tensor(i);
            t[i] = new float[b.length];
            for (int j = 0; j < b.length; j++) {
                t[i][j] = b[j] + 0.25f * d[j];
            }
        }
        return new LlamaWeights(SHAPE, new Params(t));
    }

    /** The weights as a Llama folder with a tokenizer.json of the byte vocabulary, which the GGUF files carry. */
    private Path model(String name, LlamaWeights weights) throws IOException {
        Path folder = LlamaFolder.write(weights, dir.resolve(name), false);
        Files.writeString(folder.resolve("tokenizer.json"), byteTokenizer());
        return folder;
    }

    /**
     * The byte vocabulary as a byte-fallback BPE (what SentencePiece models become in tokenizer.json): the 256
     * {@code <0xXX>} tokens at their byte's id, then {@code <s>}, {@code </s>} and {@code <pad>} as special tokens at
     * {@link ByteVocabulary#BOS}, {@code EOS} and {@code PAD}; no merges.
     */
    private static String byteTokenizer() throws IOException {
        ObjectNode root = TokenizerTrees.header();
        ArrayNode added = root.putArray("added_tokens");
        List<String> vocab = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            vocab.add(String.format("<0x%02X>", b));
        }
        for (String special : List.of("<s>", "</s>", "<pad>")) {
            added.add(TokenizerTrees.added(vocab.size(), special, false, true));
            vocab.add(special);
        }
        TokenizerTrees.pipeline(root);
        root.putNull("pre_tokenizer");
        TokenizerTrees.bpeModel(root, null, vocab.toArray(String[]::new));
        ((ObjectNode) root.get("model")).put("byte_fallback", true);
        return JSON.writeValueAsString(root);
    }

    private static void graft(String... args) {
        Cli.Result r = Cli.graft(args);
        assertThat(r.code()).as("graft %s: %s", String.join(" ", args), r.err()).isZero();
    }

    private static String ids(int[] tokens) {
        return Arrays.stream(tokens).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    private static double[] softmax(double[] z) {
        double max = Arrays.stream(z).max().orElseThrow();
        double[] p = Arrays.stream(z).map(x -> Math.exp(x - max)).toArray();
        double sum = Arrays.stream(p).sum();
        return Arrays.stream(p).map(x -> x / sum).toArray();
    }

    /** The first of the largest, as greedy decoding picks. */
    private static int argMax(double[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return best;
    }

    /** What llama.cpp decodes greedily from {@code gguf} after each prompt. */
    private List<List<Integer>> greedy(Path gguf) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("greedy", gguf.toString(), String.valueOf(MAX_TOKENS),
                String.valueOf(ByteVocabulary.EOS)));
        for (String prompt : PROMPTS) {
            args.add(ids(ByteVocabulary.encodeWithBos(prompt)));
        }
        JsonNode out = JSON.readTree(NodeOracle.run("node-llama-cpp", "generate.mjs", 120, args));
        List<List<Integer>> continuations = new ArrayList<>();
        out.get("continuations").forEach(c -> {
            List<Integer> tokens = new ArrayList<>();
            c.forEach(t -> tokens.add(t.asInt()));
            continuations.add(tokens);
        });
        return continuations;
    }
}
