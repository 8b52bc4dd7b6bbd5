package dev.graft.core.recipe;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cases of mergekit's tests/test_modelref.py, plus resolution. */
class ModelRefTest {

    @Test
    void simple() {
        ModelRef r = ModelRef.parse("hf_user/model");
        assertThat(r.model()).isEqualTo(new ModelPath("hf_user/model", Optional.empty()));
        assertThat(r.lora()).isEmpty();
        assertThat(r.path()).isEqualTo("hf_user/model");
        assertThat(r.revision()).isEmpty();
        assertThat(r).hasToString("hf_user/model");
    }

    @Test
    void lora() {
        ModelRef r = ModelRef.parse("hf_user/model+hf_user/lora");
        assertThat(r.model()).isEqualTo(new ModelPath("hf_user/model", Optional.empty()));
        assertThat(r.lora()).contains(new ModelPath("hf_user/lora", Optional.empty()));
        assertThat(r).hasToString("hf_user/model+hf_user/lora");
    }

    @Test
    void revision() {
        ModelRef r = ModelRef.parse("hf_user/model@v0.0.1");
        assertThat(r.model()).isEqualTo(new ModelPath("hf_user/model", Optional.of("v0.0.1")));
        assertThat(r.revision()).contains("v0.0.1");
        assertThat(r).hasToString("hf_user/model@v0.0.1");
    }

    @Test
    void loraPlusRevisions() {
        ModelRef r = ModelRef.parse("hf_user/model@v0.0.1+hf_user/lora@main");
        assertThat(r.model()).isEqualTo(new ModelPath("hf_user/model", Optional.of("v0.0.1")));
        assertThat(r.lora()).contains(new ModelPath("hf_user/lora", Optional.of("main")));
        assertThat(r).hasToString("hf_user/model@v0.0.1+hf_user/lora@main");
    }

    @Test
    void malformed() {
        assertThatThrownBy(() -> ModelRef.parse("@@@@@")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid model path \"@@@@@\": more than one '@'");
        assertThatThrownBy(() -> ModelRef.parse("a+b+c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot parse model \"a+b+c\": more than one '+' (write model+lora, or use the dict "
                        + "form for paths containing '+')");
        assertThatThrownBy(() -> ModelRef.parse("a+b+c@d+e@f@g")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelRef.parse("model@")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid model path \"model@\": nothing after '@'");
        assertThatThrownBy(() -> ModelRef.parse("model+")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot parse model \"model+\": nothing after '+'");
        assertThatThrownBy(() -> ModelRef.parse("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty model path");
    }

    @Test
    void equalityIsByTheWrittenForm() {
        assertThat(ModelRef.parse("a@v1+b")).isEqualTo(ModelRef.parse("a@v1+b"))
                .hasSameHashCodeAs(ModelRef.parse("a@v1+b"));
        assertThat(ModelRef.parse("a")).isNotEqualTo(ModelRef.parse("a@main"));
        assertThat(ModelRef.parse("ft1")).isNotEqualTo(ModelRef.parse("./ft1"));
    }

    @Test
    void relativePathsResolveAgainstTheWorkingDirectory() {
        Path wd = Path.of("/work/merges");
        assertThat(ModelRef.parse("ft1").resolve(wd)).isEqualTo(Path.of("/work/merges/ft1"));
        assertThat(ModelRef.parse("../models/base@main").resolve(wd)).isEqualTo(Path.of("/work/merges/../models/base"));
        assertThat(ModelRef.parse("/abs/model").resolve(wd)).isEqualTo(Path.of("/abs/model"));
        assertThat(ModelRef.parse("base+adapters/a1").resolveLora(wd)).contains(Path.of("/work/merges/adapters/a1"));
        assertThat(ModelRef.parse("base").resolveLora(wd)).isEmpty();
    }
}
