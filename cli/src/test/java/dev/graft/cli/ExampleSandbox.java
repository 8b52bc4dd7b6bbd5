package dev.graft.cli;

import dev.graft.testmodels.FineTuneFamily;
import dev.graft.testmodels.TinyGpt2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The working folder the help examples run in: every model, adapter, delta and recipe they name, made from the tiny
 * models on first use. {@link #FIXTURES} is the one place that says what each name is; an example naming something
 * new needs a line there (the test says which name is missing).
 */
final class ExampleSandbox {
    /** Something an example reads, made at {@code target} (a path in the sandbox named as the example names it). */
    @FunctionalInterface
    interface Fixture {
        void make(ExampleSandbox sandbox, Path target) throws IOException;
    }

    /** docs/merging.md's recipe of several documents, the one 'graft run multi.yml' means. */
    private static final String MULTI_RECIPE = """
            name: math_code
            merge_method: ties
            base_model: ./base
            models:
              - model: ./math
                parameters: {weight: 1, density: 0.5}
              - model: ./code
                parameters: {weight: 1, density: 0.5}
            ---
            merge_method: slerp
            base_model: ./base
            models:
              - model: math_code
            parameters: {t: 0.5}
            """;

    /**
     * What every name the examples read is, by the first component of its path ({@code ./demo-models/ft1} is
     * {@code demo-models}). The Llama-shaped models are testdata's base and fine-tunes ft1 to ft3 (48 wide, so a
     * {@code --rank 64} extraction keeps all 48); names that examples pair with {@code ./base} as a fine-tune are
     * fine-tunes, so the diffs, extractions and deltas have something to show.
     */
    private static final Map<String, Fixture> FIXTURES = Map.ofEntries(
            entry("base", model("base")),
            entry("ft1", model("ft1")),
            entry("ft2", model("ft2")),
            entry("ft3", model("ft3")),
            entry("finetuned", model("ft1")),
            entry("tuned", model("ft1")),
            entry("instruct", model("ft2")),
            entry("math", model("ft1")),
            entry("code", model("ft2")),
            entry("other", model("ft3")),
            entry("merged", model("ft3")),
            entry("my-model", model("ft1")),
            entry("Llama-3-8B", model("base")),
            entry("Llama-3-8B-math", model("ft1")),
            entry("Qwen2.5-0.5B", model("base")),
            entry("base.safetensors", file("base")),
            entry("model.safetensors", file("ft1")),
            entry("a.safetensors", file("ft1")),
            entry("b.safetensors", file("ft2")),
            entry("gpt2", ExampleSandbox::gpt2Base),
            entry("gpt2-ft", ExampleSandbox::gpt2FineTune),
            // Adapters of the base model, extracted by graft extract from the fine-tunes.
            entry("lora", adapter("ft1")),
            entry("my-lora-adapter", adapter("ft1")),
            entry("math-lora", adapter("ft1")),
            entry("ft1-lora", adapter("ft1")),
            entry("code-lora", adapter("ft2")),
            entry("style-lora", adapter("ft3")),
            entry("toxic-lora", adapter("ft3")),
            entry("a-lora", adapter("ft1")),
            entry("b-lora", adapter("ft2")),
            entry("a", adapter("ft1")),
            entry("b", adapter("ft2")),
            entry("c", adapter("ft3")),
            // Deltas of the base model, written by graft compress (tuned is ft1, instruct ft2).
            entry("d.safetensors", delta("ft1")),
            entry("instruct.delta.safetensors", delta("ft2")),
            // What 'graft demo --dir ./demo-models' writes, for the diff that follows it in the demo's help.
            entry("demo-models", (s, target) -> FineTuneFamily.of(DemoCommand.baseModel()).fineTunes(2).seed(2)
                    .writeTo(target)),
            // What the first example of 'graft bench family --help' writes, for the merge that follows it there.
            entry("family", (s, target) -> {
                Cli.Result r = Cli.graft("bench", "family", "--dir", target.toString(), "--hidden", "64", "--layers",
                        "2", "--vocab", "1000");
                if (r.code() != 0) {
                    throw new IOException("graft bench family failed: " + r.err());
                }
            }),
            // PyTorch checkpoints of testdata's base, for graft convert: a folder, a sharded one, a bare file.
            entry("old-model", torch("base", 1)),
            entry("big-model", torch("base", 4)),
            entry("pytorch_model.bin", (s, target) -> Files.copy(s.once("torch-base-1", out -> writeTorch("base",
                    out, 1)).resolve("pytorch_model.bin"), target)),
            // testdata's base exported by graft export gguf, for graft inspect's GGUF example.
            entry("model.gguf", (s, target) -> {
                try (var m = dev.graft.formats.model.ModelSource.open(testModel("base"))) {
                    dev.graft.formats.gguf.export.GgufExport.of(m).write(target);
                }
            }),
            // testdata's ft1 exported the same way, merged with Hugging Face folders in graft merge's help.
            entry("tuned.gguf", (s, target) -> {
                try (var m = dev.graft.formats.model.ModelSource.open(testModel("ft1"))) {
                    dev.graft.formats.gguf.export.GgufExport.of(m).write(target);
                }
            }),
            // testdata's base and ft1 with tokenizers of their 96 rows; the fine-tune's last two are chat tokens.
            entry("chat-base", tokenized("base", false)),
            entry("chat-ft", tokenized("ft1", true)),
            // An untrained byte-level Llama for graft score and generate: they run, whatever it answers.
            entry("byte-llama", (s, target) -> dev.graft.evaluation.llama.LlamaFolder.write(
                    dev.graft.evaluation.llama.LlamaWeights.initial(new dev.graft.evaluation.llama.LlamaShape(
                            dev.graft.evaluation.llama.ByteVocabulary.SIZE, 16, 32, 1, 2, 1, 64, 10000, 1e-5), 1),
                    target, false)),
            entry("ties.yml", helpRecipe("ties.yml")),
            entry("multi.yml", recipe(MULTI_RECIPE)));

    /** A relative model path in a recipe: {@code ./math}. */
    private static final Pattern RECIPE_PATH = Pattern.compile("(?<![\\w/.])\\./([A-Za-z0-9_.-]+)");

    private final Path root;
    private final Path held;
    private final Path cache;
    private final Map<String, String> helpRecipes;
    private final Map<String, Path> cached = new HashMap<>();

    /**
     * @param work        an empty folder; the sandbox is {@code work/sandbox}, beside two folders of its own
     * @param helpRecipes the recipes the help shows ("Example recipe (ties.yml):"), by file name
     */
    ExampleSandbox(Path work, Map<String, String> helpRecipes) throws IOException {
        this.root = Files.createDirectories(work.resolve("sandbox"));
        this.held = Files.createDirectories(work.resolve("held"));
        this.cache = Files.createDirectories(work.resolve("cache"));
        this.helpRecipes = Map.copyOf(helpRecipes);
    }

    Path root() {
        return root;
    }

    /** Whether {@code name} has a fixture. */
    static boolean knows(String name) {
        return FIXTURES.containsKey(name);
    }

    /** Makes the fixture {@code name} in the sandbox unless it is there. */
    void ensure(String name) throws IOException {
        Path target = root.resolve(name);
        if (Files.exists(target)) {
            return;
        }
        Fixture f = FIXTURES.get(name);
        assertThat(f).as("no fixture named '%s' in ExampleSandbox.FIXTURES", name).isNotNull();
        f.make(this, target);
    }

    /** Moves {@code name} out of the way of an example that writes it, until {@link #restore}. */
    void hide(String name) throws IOException {
        Path p = root.resolve(name);
        if (Files.exists(p)) {
            Files.move(p, held.resolve(name));
        }
    }

    /** Deletes what an example added to the sandbox's entries {@code before}, and brings back what was hidden. */
    void restore(Set<Path> before) throws IOException {
        for (Path p : entries()) {
            if (!before.contains(p)) {
                delete(p);
            }
        }
        for (Path p : list(held)) {
            Path back = root.resolve(p.getFileName().toString());
            delete(back);
            Files.move(p, back);
        }
    }

    /** The sandbox's top-level entries. */
    Set<Path> entries() throws IOException {
        return Set.copyOf(list(root));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    static void delete(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static Path testModel(String name) {
        return Path.of(System.getProperty("graft.testdata", "../testdata")).toAbsolutePath().normalize()
                .resolve("vectors/merge/models").resolve(name);
    }

    /** A copy of testdata's model folder {@code name}: a copy, not a link, so that no example writes into testdata. */
    /**
     * testdata's model {@code name} with a tokenizer of one token per embedding row: a BPE vocabulary
     * {@code <unk> <s> </s> w3 w4 …} without merges, and for a chat model {@code <|im_start|>} and
     * {@code <|im_end|>} added as the last two ids in place of the vocabulary's last two, with a chat template.
     */
    private static Fixture tokenized(String name, boolean chat) {
        return (s, target) -> writeTokenized(name, chat, target);
    }

    /** Writes {@link #tokenized}'s model at {@code target}; other tests use the same folders. */
    static void writeTokenized(String name, boolean chat, Path target) throws IOException {
        {
            copyTree(testModel(name), target);
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            int rows = json.readTree(target.resolve("config.json").toFile()).get("vocab_size").intValue();
            String[] added = chat ? new String[]{"<|im_start|>", "<|im_end|>"} : new String[0];
            var root = json.createObjectNode();
            var list = root.putArray("added_tokens");
            String[] specials = {"<unk>", "<s>", "</s>"};
            for (int i = 0; i < specials.length + added.length; i++) {
                int id = i < specials.length ? i : rows - added.length + i - specials.length;
                list.addObject().put("id", id).put("content", i < specials.length ? specials[i]
                                : added[i - specials.length]).put("single_word", false).put("lstrip", false)
                        .put("rstrip", false).put("normalized", false).put("special", true);
            }
            root.putObject("pre_tokenizer").put("type", "Whitespace");
            var model = root.putObject("model");
            model.put("type", "BPE");
            model.put("unk_token", "<unk>");
            var vocab = model.putObject("vocab");
            for (int id = 0; id < rows - added.length; id++) {
                vocab.put(id < specials.length ? specials[id] : "w" + id, id);
            }
            model.putArray("merges");
            Files.writeString(target.resolve("tokenizer.json"), json.writeValueAsString(root));
            var config = json.createObjectNode().put("bos_token", "<s>").put("eos_token", "</s>")
                    .put("unk_token", "<unk>");
            if (chat) {
                config.put("chat_template", "{% for m in messages %}{{ '<|im_start|>' + m['content'] }}{% endfor %}");
            }
            Files.writeString(target.resolve("tokenizer_config.json"), json.writeValueAsString(config));
        }
    }

    private static Fixture model(String name) {
        return (s, target) -> copyTree(testModel(name), target);
    }

    /** testdata's model {@code name} saved as torch.save would save it, in {@code shards} .bin files. */
    private static Fixture torch(String name, int shards) {
        return (s, target) -> copyTree(s.once("torch-" + name + "-" + shards, out -> writeTorch(name, out, shards)),
                target);
    }

    private static void writeTorch(String name, Path out, int shards) throws IOException {
        try (dev.graft.formats.model.ModelSource m = dev.graft.formats.model.ModelSource.open(testModel(name))) {
            dev.graft.formats.pytorch.TorchSave.writeModel(m, out, shards);
        }
    }

    /** testdata's model {@code name} as one .safetensors file. */
    private static Fixture file(String name) {
        return (s, target) -> Files.copy(testModel(name).resolve("model.safetensors"), target);
    }

    /**
     * A PEFT adapter of the sandbox's {@code ./base} (its config names that base, which lora combine reads),
     * {@code graft extract ./base NAME --rank 8}, extracted once per model.
     */
    private static Fixture adapter(String name) {
        return (s, target) -> {
            s.ensure("base");
            copyTree(s.once("adapter-" + name, out -> graftOk("extract", s.root.resolve("base").toString(),
                    testModel(name).toString(), "--rank", "8", "-q", "-o", out.toString())), target);
        };
    }

    /** A delta of the base model, {@code graft compress bitdelta base NAME}. */
    private static Fixture delta(String name) {
        return (s, target) -> graftOk("compress", "bitdelta", testModel("base").toString(),
                testModel(name).toString(), "-o", target.toString());
    }

    /** A GPT-2-shaped family (c_attn projections), small: 2 layers, n_embd 32. */
    private Path gpt2Family() throws IOException {
        return once("gpt2", dir -> FineTuneFamily.of(TinyGpt2.builder().layers(2).embd(32).vocab(64).positions(32)
                .seed(5).build()).fineTunes(1).seed(6).writeTo(dir));
    }

    private static void gpt2Base(ExampleSandbox s, Path target) throws IOException {
        copyTree(s.gpt2Family().resolve("base"), target);
    }

    private static void gpt2FineTune(ExampleSandbox s, Path target) throws IOException {
        copyTree(s.gpt2Family().resolve("ft1"), target);
    }

    /** A recipe whose {@code ./NAME} models are the sandbox's (made here); the CLI in-process cannot cd there. */
    private static Fixture recipe(String text) {
        return (s, target) -> {
            Matcher m = RECIPE_PATH.matcher(text);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                s.ensure(m.group(1));
                m.appendReplacement(b, Matcher.quoteReplacement(s.root.resolve(m.group(1)).toString()));
            }
            m.appendTail(b);
            Files.writeString(target, b.toString());
        };
    }

    /** The recipe a command's help shows as "Example recipe (NAME):", so that it is run too. */
    private static Fixture helpRecipe(String name) {
        return (s, target) -> {
            String text = s.helpRecipes.get(name);
            assertThat(text).as("the help shows no 'Example recipe (%s):'", name).isNotNull();
            recipe(text).make(s, target);
        };
    }

    private interface Maker {
        void make(Path out) throws IOException;
    }

    /** {@code cache/key}, made by {@code maker} the first time it is asked for. */
    private Path once(String key, Maker maker) throws IOException {
        Path p = cached.get(key);
        if (p == null) {
            p = cache.resolve(key);
            maker.make(p);
            cached.put(key, p);
        }
        return p;
    }

    private static void graftOk(String... args) {
        Cli.Result r = Cli.graft(args);
        assertThat(r.code()).as("fixture: graft %s%n%s%s", String.join(" ", args), r.out(), r.err()).isZero();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
