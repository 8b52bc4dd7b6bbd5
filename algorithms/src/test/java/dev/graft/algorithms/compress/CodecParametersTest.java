package dev.graft.algorithms.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecParametersTest {
    /** Above 2^53 a seed read through a double comes back as another seed, and DARE would drop other entries. */
    private static final long LARGE_SEED = (1L << 53) + 1;

    @Test
    void everyCodecIsRebuiltWithTheParametersItRecorded() {
        List<DeltaCodec> codecs = List.of(new BitDelta(), new ComPeft(0.05, Double.NaN), new ComPeft(0.2, 1.5),
                new Dare(0.9, LARGE_SEED), new Dare(0.5, -3), LowRank.ofRank(8, LARGE_SEED), LowRank.ofBudget(1.5, 7),
                new DeltaCoMe(1, List.of(8, 3, 2), List.of(2, 32), 128, LARGE_SEED));
        for (DeltaCodec c : codecs) {
            assertThat(DeltaCodecs.of(c.method(), c.parameters()).parameters()).as(c.method())
                    .containsExactlyEntriesOf(c.parameters());
        }
    }

    @Test
    void recordsInTheOrderPutNumbersInCanonicalForm() {
        Map<String, String> p = new CodecParameters().put("b", 0.1).put("a", 128).put("c", "auto").toMap();
        assertThat(p).containsExactly(Map.entry("b", "0.1"), Map.entry("a", "128"), Map.entry("c", "auto"));
    }

    @Test
    void aMissingOrMalformedIntegerIsNamed() {
        assertThatThrownBy(() -> CodecParameters.integer(Map.of(), "seed"))
                .hasMessage("parameter \"seed\" is missing");
        assertThatThrownBy(() -> CodecParameters.integer(Map.of("seed", "x"), "seed"))
                .hasMessage("parameter \"seed\" is \"x\", not an integer");
    }

    @Test
    void aRankOrGroupSizeOutsideIntIsRefusedNotTruncated() {
        assertThatThrownBy(() -> CodecParameters.positiveInt(Map.of("rank", "4294967360"), "rank"))
                .hasMessage("parameter \"rank\" is 4294967360, outside [1, 2147483647]");
        assertThatThrownBy(() -> CodecParameters.positiveInt(Map.of("group-size", "0"), "group-size"))
                .hasMessage("parameter \"group-size\" is 0, outside [1, 2147483647]");
        assertThat(CodecParameters.positiveInt(Map.of("rank", "64"), "rank")).isEqualTo(64);
    }
}
