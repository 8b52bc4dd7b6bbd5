package dev.graft.evaluation.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The Java pass against an independent implementation of transformers' Llama forward (testdata/vectors/llama,
 * numpy in float64): same folder, same tokens, the logits at every position.
 */
class LlamaReferenceTest {
    private static Path vectors() {
        return Path.of(System.getProperty("graft.testdata", "../testdata"), "vectors", "llama");
    }

    @Test
    void logitsMatchTransformersSemanticsAtEveryPosition() throws Exception {
        LlamaWeights w = LlamaFolder.readByteLevel(vectors().resolve("tiny"));
        assertThat(w.shape()).isEqualTo(new LlamaShape(259, 8, 12, 2, 2, 1, 16, 10000, 1e-5));
        JsonNode expected = new ObjectMapper().readTree(vectors().resolve("expected.json").toFile());
        int[] tokens = new int[expected.get("tokens").size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = expected.get("tokens").get(i).intValue();
        }
        assertThat(ByteVocabulary.decode(tokens, 0, tokens.length)).isEqualTo("bin 5 is");
        WideWeights wide = w.widened();
        LlamaPass pass = new LlamaPass(w.shape(), 16);
        pass.run(wide, tokens, 0, tokens.length);
        for (int p = 0; p < tokens.length; p++) {
            double[] z = pass.logits(wide, p);
            JsonNode row = expected.get("logits").get(p);
            assertThat(row.size()).isEqualTo(259);
            for (int j = 0; j < 259; j++) {
                assertThat(z[j]).as("position %d, token %d", p, j).isCloseTo(row.get(j).doubleValue(), offset(1e-9));
            }
        }
    }
}
