package dev.graft.formats.gguf.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.gguf.GgufError;
import dev.graft.formats.gguf.GgufException;
import dev.graft.formats.gguf.GgufValue;
import dev.graft.formats.tokenizer.AddedToken;
import dev.graft.formats.tokenizer.ChatTemplates;
import dev.graft.formats.tokenizer.Merge;
import dev.graft.formats.tokenizer.SpecialTokens;
import dev.graft.formats.tokenizer.Tokenizer;
import dev.graft.formats.tokenizer.TokenizerConfig;
import dev.graft.formats.tokenizer.TokenizerFolder;
import dev.graft.formats.tokenizer.TokenizerModelType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The {@code tokenizer.*} keys of a GGUF file, from a model folder's {@code tokenizer.json} and
 * {@code tokenizer_config.json}, as llama.cpp's converter writes them ({@code _set_vocab_gpt2},
 * {@code _set_vocab_llama_hf} and {@code SpecialVocab} in {@code convert_hf_to_gguf.py} / gguf-py's
 * {@code vocab.py}).
 *
 * <ul>
 *   <li>A byte-fallback BPE (SentencePiece converted to tokenizer.json: Llama 2, Mistral, Gemma; its vocabulary has
 *       the {@code <0x00>} … byte tokens) is {@code tokenizer.ggml.model = "llama"} with {@code scores}; a
 *       byte-level BPE (GPT-2, Llama 3, Qwen2) is {@code "gpt2"} with {@code merges} ({@code "left right"}, in rank
 *       order).</li>
 *   <li>{@code tokens} has one entry per embedding row ({@code vocab_size}): ids the tokenizer lacks are
 *       {@code [PAD<id>]}, type UNUSED.</li>
 *   <li>{@code token_type}: 6 (BYTE) for {@code <0xXX>}, 3 (CONTROL) for special tokens and added tokens that look
 *       special ({@code <|…|>}, {@code <pad>} …), 4 (USER_DEFINED) for other added tokens, 1 (NORMAL) otherwise.</li>
 *   <li>{@code scores} (llama only): where {@code tokenizer.model} is absent the converter writes −1000 for every
 *       token, which makes llama.cpp's SentencePiece merge order arbitrary; Graft writes −(rank of the merge that
 *       makes the token), 0 for tokens no merge makes, and −1000 for added and padding tokens, so that merging by
 *       highest score replays the BPE merge order.</li>
 *   <li>{@code bos/eos/unknown/padding_token_id} from the special tokens, else {@code config.json}'s
 *       {@code *_token_id}; {@code add_bos_token} / {@code add_eos_token} from {@code tokenizer_config.json};
 *       {@code chat_template} (and {@code chat_template.NAME} for named ones).</li>
 *   <li>{@code tokenizer.ggml.pre}, which llama.cpp recognises by hashing the tokenization of a test text, is written
 *       for the two families where the architecture settles it (Qwen2: {@code qwen2}; a byte-level Llama:
 *       {@code llama-bpe}); other byte-level tokenizers go without it and llama.cpp uses its default split.</li>
 * </ul>
 */
public final class TokenizerMetadata {
    /** gguf-py's {@code TokenType}. */
    static final int NORMAL = 1;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int UNUSED = 5;
    static final int BYTE = 6;
    private static final float UNSCORED = -1000f;
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");

    private TokenizerMetadata() {
    }

    /**
     * The keys for a folder's tokenizer.
     *
     * @param vocabSize the embedding's row count; {@code tokens} is padded to it
     * @param config    {@code config.json}, for the special token ids it may give
     * @throws GgufException ({@link GgufError#UNMAPPED}) for a tokenizer that is not BPE, or one with more tokens
     *                       than the embedding has rows
     */
    public static Map<String, GgufValue> of(TokenizerFolder folder, GgufArchitecture arch, int vocabSize,
                                            ObjectNode config) {
        Tokenizer t = folder.tokenizer();
        if (t.modelType() != TokenizerModelType.BPE) {
            throw new GgufException(t.source(), GgufError.UNMAPPED, "a " + t.modelType().jsonName()
                    + " tokenizer; Graft exports BPE tokenizers (byte-level or byte-fallback) to GGUF");
        }
        if (t.size() > vocabSize) {
            throw new GgufException(t.source(), GgufError.UNMAPPED, "the tokenizer has " + t.size()
                    + " tokens but the embedding only " + vocabSize + " rows");
        }
        boolean sentencePiece = t.modelVocabulary().contains("<0x00>");
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", GgufValue.string(sentencePiece ? "llama" : "gpt2"));
        if (!sentencePiece) {
            pre(arch).ifPresent(p -> m.put("tokenizer.ggml.pre", GgufValue.string(p)));
        }
        List<String> tokens = new ArrayList<>(vocabSize);
        int[] types = new int[vocabSize];
        for (int id = 0; id < vocabSize; id++) {
            Optional<String> token = t.token(id);
            if (token.isEmpty()) {
                tokens.add("[PAD" + id + "]");
                types[id] = UNUSED;
                continue;
            }
            AddedToken added = t.addedTokens().get(id);
            String text = token.get();
            types[id] = typeOf(text, added, sentencePiece);
            if (types[id] == USER_DEFINED && !sentencePiece) {
                text = text.replace("\u2581", " "); // the converter pre-normalizes user-defined spaces
            }
            tokens.add(text);
        }
        m.put("tokenizer.ggml.tokens", GgufValue.strings(tokens));
        if (sentencePiece) {
            m.put("tokenizer.ggml.scores", GgufValue.f32s(scores(t, vocabSize)));
        }
        m.put("tokenizer.ggml.token_type", GgufValue.i32s(types));
        if (!sentencePiece) {
            m.put("tokenizer.ggml.merges", GgufValue.strings(t.merges().stream()
                    .map(x -> x.left() + " " + x.right()).toList()));
        }
        specialIds(folder.specialTokens(), t, config, m);
        folder.config().map(TokenizerConfig::json).ifPresent(c -> {
            flag(c, "add_bos_token", m);
            flag(c, "add_eos_token", m);
        });
        templates(folder.chatTemplates(), m);
        return m;
    }

    private static Optional<String> pre(GgufArchitecture arch) {
        return switch (arch) {
            case QWEN2 -> Optional.of("qwen2");
            case LLAMA -> Optional.of("llama-bpe");
            default -> Optional.empty();
        };
    }

    private static int typeOf(String text, AddedToken added, boolean sentencePiece) {
        if (sentencePiece && BYTE_TOKEN.matcher(text).matches()) {
            return BYTE;
        }
        if (added == null) {
            return NORMAL;
        }
        return added.special() || looksSpecial(text) ? CONTROL : USER_DEFINED;
    }

    /** gguf-py's {@code does_token_look_special}. */
    static boolean looksSpecial(String text) {
        return text.equals("<pad>") || text.equals("<mask>") || text.equals("<2mass>") || text.equals("[@BOS@]")
                || (text.startsWith("<|") && text.endsWith("|>"))
                || (text.startsWith("<\uFF5C") && text.endsWith("\uFF5C>"))
                || (text.startsWith("<unused") && text.endsWith(">"));
    }

    private static float[] scores(Tokenizer t, int vocabSize) {
        float[] s = new float[vocabSize];
        Arrays.fill(s, t.modelVocabulary().size(), vocabSize, UNSCORED);
        boolean[] made = new boolean[vocabSize];
        List<Merge> merges = t.merges();
        for (int rank = 0; rank < merges.size(); rank++) {
            OptionalInt id = t.id(merges.get(rank).merged());
            if (id.isPresent() && !made[id.getAsInt()]) {
                made[id.getAsInt()] = true;
                s[id.getAsInt()] = -rank;
            }
        }
        for (int id : t.addedTokens().keySet()) {
            if (id < vocabSize) {
                s[id] = UNSCORED;
            }
        }
        return s;
    }

    private static void specialIds(SpecialTokens specials, Tokenizer t, ObjectNode config, Map<String, GgufValue> m) {
        Map<String, Optional<String>> roles = new LinkedHashMap<>();
        roles.put("bos", specials.bos());
        roles.put("eos", specials.eos());
        roles.put("unknown", specials.unk().or(t::unkToken));
        roles.put("padding", specials.pad());
        roles.forEach((role, content) -> {
            OptionalInt id = content.map(t::id).orElse(OptionalInt.empty());
            if (id.isEmpty()) {
                id = configId(config, role.equals("unknown") ? "unk" : role.equals("padding") ? "pad" : role);
            }
            id.ifPresent(i -> m.put("tokenizer.ggml." + role + "_token_id", GgufValue.u32(i)));
        });
    }

    private static OptionalInt configId(ObjectNode config, String role) {
        JsonNode v = config == null ? null : config.get(role + "_token_id");
        if (v != null && v.isArray() && !v.isEmpty()) {
            v = v.get(0);
        }
        return v != null && v.isInt() && v.asInt() >= 0 ? OptionalInt.of(v.asInt()) : OptionalInt.empty();
    }

    private static void flag(ObjectNode tokenizerConfig, String field, Map<String, GgufValue> m) {
        JsonNode v = tokenizerConfig.get(field);
        if (v != null && v.isBoolean()) {
            m.put("tokenizer.ggml." + field, GgufValue.bool(v.asBoolean()));
        }
    }

    private static void templates(ChatTemplates templates, Map<String, GgufValue> m) {
        templates.defaultTemplate().ifPresent(x -> m.put("tokenizer.chat_template", GgufValue.string(x)));
        List<String> named = new ArrayList<>();
        templates.templates().forEach((name, text) -> {
            if (!name.equals(ChatTemplates.DEFAULT)) {
                named.add(name);
                m.put("tokenizer.chat_template." + name, GgufValue.string(text));
            }
        });
        if (!named.isEmpty()) {
            m.put("tokenizer.chat_templates", GgufValue.strings(named));
        }
    }
}
