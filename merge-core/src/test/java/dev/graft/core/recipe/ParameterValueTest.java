package dev.graft.core.recipe;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterValueTest {
    private static ParameterValue v(Object value) {
        return new ParameterValue("density", value, "models[1].parameters.density", Path.of("ties.yml"));
    }

    @Test
    void numbersAndBooleansConvertAsPydanticCoercesThem() {
        assertThat(v(3L).asDouble()).isEqualTo(3.0);
        assertThat(v(0.25).asDouble()).isEqualTo(0.25);
        assertThat(v(true).asDouble()).isEqualTo(1.0);
        assertThat(v(false).asDouble()).isEqualTo(0.0);
        assertThat(v("0.5").asDouble()).isEqualTo(0.5);
        assertThat(v(" -1e-3 ").asDouble()).isEqualTo(-0.001);
    }

    @Test
    void flagsAreTrueWhenNonZero() {
        assertThat(v(true).asBoolean()).isTrue();
        assertThat(v(false).asBoolean()).isFalse();
        assertThat(v(1.0).asBoolean()).isTrue();
        assertThat(v(0L).asBoolean()).isFalse();
        assertThat(v(0.5).asBoolean()).isTrue();
    }

    @Test
    void wholeNumbers() {
        assertThat(v(10L).asInt()).isEqualTo(10);
        assertThat(v(10.0).asInt()).isEqualTo(10);
        assertThatThrownBy(() -> v(2.5).asInt()).isInstanceOf(RecipeException.class)
                .hasMessage("ties.yml: models[1].parameters.density: expected a whole number, got 2.5");
    }

    @Test
    void aWordIsNotANumber() {
        assertThatThrownBy(() -> v("high").asDouble()).isInstanceOf(RecipeException.class)
                .hasMessage("ties.yml: models[1].parameters.density: expected a number, got high");
        assertThatThrownBy(() -> v("true").asBoolean()).isInstanceOf(RecipeException.class)
                .hasMessage("ties.yml: models[1].parameters.density: expected a number, got \"true\"");
        assertThatThrownBy(() -> v("1f").asDouble()).isInstanceOf(RecipeException.class);
        assertThatThrownBy(() -> v("Infinity").asDouble()).isInstanceOf(RecipeException.class);
    }
}
