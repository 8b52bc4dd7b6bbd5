package dev.graft.core.recipe;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * A recipe's {@code out_shard_size}, read as mergekit's {@code parse_kmb} reads it: a byte count, or an integer
 * with K, M or B for thousand, million and billion bytes ({@code 5B}, mergekit's default, is 5,000,000,000 bytes
 * — what {@code --shard-size 5GB} means on Graft's command line).
 */
final class ShardSizeSetting {
    private static final String EXPECTED = "expected a byte count or an integer with K, M or B (5B is "
            + "5,000,000,000 bytes, as in mergekit)";

    private ShardSizeSetting() {
    }

    static OptionalLong read(JsonNode node, Problems problems) {
        if (FieldReader.absent(node)) {
            return OptionalLong.empty();
        }
        OptionalLong bytes = node.isIntegralNumber() && node.canConvertToLong() ? OptionalLong.of(node.longValue())
                : node.isTextual() ? parse(node.textValue().strip()) : OptionalLong.empty();
        if (bytes.isEmpty()) {
            problems.add("out_shard_size", EXPECTED + ", got " + YamlText.of(node));
            return OptionalLong.empty();
        }
        if (bytes.getAsLong() <= 0) {
            problems.add("out_shard_size", "must be positive, got " + YamlText.of(node));
            return OptionalLong.empty();
        }
        return bytes;
    }

    private static OptionalLong parse(String text) {
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        long unit = switch (text.toLowerCase(Locale.ROOT).charAt(text.length() - 1)) {
            case 'k' -> 1_000L;
            case 'm' -> 1_000_000L;
            case 'b' -> 1_000_000_000L;
            default -> 1;
        };
        String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
        // mergekit takes int(...) of the rest: digits only, no fractions.
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Math.multiplyExact(Long.parseLong(digits), unit));
        } catch (ArithmeticException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
