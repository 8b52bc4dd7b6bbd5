package dev.graft.algorithms.random;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden values computed by an independent Python implementation of the documented function. */
class StreamKeyTest {

    @Test
    void hashesNamesWithFnv1a64OverUtf8() {
        assertThat(StreamKey.fnv1a64("")).isEqualTo(0xCBF29CE484222325L);
        assertThat(StreamKey.fnv1a64("a")).isEqualTo(0xAF63DC4C8601EC8CL);
        assertThat(StreamKey.fnv1a64("foobar")).isEqualTo(0x85944171F73967E8L);
        assertThat(StreamKey.fnv1a64("model.layers.0.self_attn.q_proj.weight")).isEqualTo(0x3A296639DC11FEBBL);
        assertThat(StreamKey.fnv1a64("\u00e9mbed")).isEqualTo(0x04222B6CDFDD6963L);
    }

    @Test
    void derivesKeysFromSeedNameAndModel() {
        assertThat(StreamKey.of(42, "model.layers.0.self_attn.q_proj.weight", 1)).isEqualTo(0x938A5B42DAAF3972L);
        assertThat(StreamKey.of(0, "", 0)).isEqualTo(0x8932C885A3FE960EL);
        assertThat(StreamKey.of(-1, "lm_head.weight", 7)).isEqualTo(0xCF00754D4A48D8B9L);
    }

    @Test
    void mixesWithTheSplitMix64Finaliser() {
        assertThat(SplitMix64.mix64(0)).isZero();
        // SplittableRandom(0).nextLong() is mix64(0 + GAMMA).
        assertThat(SplitMix64.mix64(SplitMix64.GAMMA)).isEqualTo(new java.util.SplittableRandom(0).nextLong());
    }
}
