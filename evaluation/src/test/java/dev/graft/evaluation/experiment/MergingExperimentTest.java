package dev.graft.evaluation.experiment;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MergingExperimentTest {
    @Test
    void theScreenKeepsTheBestCandidatesInGridOrderAndTheEarlierOnTies() {
        double[] screened = {0.30, 0.55, 0.40, 0.55, 0.10, 0.40};
        assertThat(MergingExperiment.finalists(screened, 3)).containsExactly(1, 2, 3);
        assertThat(MergingExperiment.finalists(screened, 1)).containsExactly(1);
        assertThat(MergingExperiment.finalists(screened, 4)).containsExactly(1, 2, 3, 5);
        assertThat(MergingExperiment.finalists(screened, 10)).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aScreenNeedsPromptsAndFinalists() {
        assertThatThrownBy(() -> new ValidationScreen(0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a validation screen needs at least 1 prompt and 1 finalist, not 0 and 3");
    }
}
