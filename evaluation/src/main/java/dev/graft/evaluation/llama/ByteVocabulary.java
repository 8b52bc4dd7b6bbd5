package dev.graft.evaluation.llama;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The byte-level vocabulary of the evaluation's decoders: token {@code b} for byte {@code b} (0 to 255), then
 * three specials, so that any text is encodable without a learned tokenizer and every model of the evaluation
 * shares one vocabulary, as fine-tunes of one base do.
 */
public final class ByteVocabulary {
    /** Begins every sequence ({@code bos_token_id}). */
    public static final int BOS = 256;
    /** Ends an answer ({@code eos_token_id}); generation stops on it. */
    public static final int EOS = 257;
    /** Fills unused positions ({@code pad_token_id}); never trained on. */
    public static final int PAD = 258;
    /** Tokens in all ({@code vocab_size}). */
    public static final int SIZE = 259;

    private ByteVocabulary() {
    }

    /** {@code BOS}, then the UTF-8 bytes of {@code text}. */
    public static int[] encodeWithBos(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[b.length + 1];
        t[0] = BOS;
        for (int i = 0; i < b.length; i++) {
            t[i + 1] = b[i] & 0xFF;
        }
        return t;
    }

    /** The UTF-8 bytes of {@code text} as tokens. */
    public static int[] encode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            t[i] = b[i] & 0xFF;
        }
        return t;
    }

    /**
     * The text of byte tokens; specials are left out (a model may emit {@code BOS} or {@code PAD} where it should
     * not, and what it says around them is still worth showing), malformed UTF-8 becomes U+FFFD.
     */
    public static String decode(int[] tokens, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            if (tokens[i] >= 0 && tokens[i] < 256) {
                out.write(tokens[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
