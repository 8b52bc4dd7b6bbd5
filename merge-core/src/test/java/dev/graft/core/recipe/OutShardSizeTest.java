package dev.graft.core.recipe;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code out_shard_size} reads as mergekit's parse_kmb: K, M, B are thousand, million, billion bytes. */
class OutShardSizeTest {
    private static final Path FILE = Path.of("r.yml");

    private static Recipe parse(String size) {
        return Recipe.parse("merge_method: linear\nmodels:\n  - model: a\n    parameters: {weight: 1}\n"
                + (size == null ? "" : "out_shard_size: " + size + "\n"), FILE);
    }

    @Test
    void readsMergekitsSuffixes() {
        assertThat(parse("5B").outShardSize()).isEqualTo(OptionalLong.of(5_000_000_000L));
        assertThat(parse("500m").outShardSize()).isEqualTo(OptionalLong.of(500_000_000L));
        assertThat(parse("100K").outShardSize()).isEqualTo(OptionalLong.of(100_000L));
        assertThat(parse("123456").outShardSize()).isEqualTo(OptionalLong.of(123_456L));
        assertThat(parse("\"2000\"").outShardSize()).isEqualTo(OptionalLong.of(2_000L));
        assertThat(parse(null).outShardSize()).isEmpty();
    }

    @Test
    void refusesWhatMergekitCannotRead() {
        // As the recipe shows them: YAML quotes what would otherwise read as a number.
        String[][] cases = {{"1.5B", "\"1.5B\""}, {"5GB", "\"5GB\""}, {"abc", "abc"}, {"B", "B"}, {"[1]", "[1]"}};
        for (String[] c : cases) {
            String bad = c[0];
            String shown = c[1];
            RecipeException e = catchThrowableOfType(RecipeException.class, () -> parse(bad));
            assertThat(e.problems()).as(bad).containsExactly("r.yml: out_shard_size: expected a byte count or an "
                    + "integer with K, M or B (5B is 5,000,000,000 bytes, as in mergekit), got " + shown);
        }
        assertThat(catchThrowableOfType(RecipeException.class, () -> parse("0")).problems())
                .containsExactly("r.yml: out_shard_size: must be positive, got 0");
    }
}
