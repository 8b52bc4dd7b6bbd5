package dev.graft.evaluation.lmtrain;

import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChecksInARowTest {
    /** Which of the checks, fed these accuracies in turn, say stop. */
    private static List<Boolean> decisions(int checks, Double... accuracies) {
        Iterator<Double> next = List.of(accuracies).iterator();
        ChecksInARow rule = new ChecksInARow(w -> next.next(), 0.97, checks);
        return List.of(accuracies).stream().map(a -> rule.reached(null, 0)).toList();
    }

    @Test
    void oneCheckStopsOnTheFirstPeak() {
        // counting, seed 5 of the published run: 97.5 % at step 200, 84.0 % at step 220
        assertThat(decisions(1, 0.955, 0.975, 0.84)).containsExactly(false, true, false);
    }

    @Test
    void twoChecksNeedTheThresholdHeldAndStartOverAfterAMiss() {
        assertThat(decisions(2, 0.975, 0.84, 0.97, 0.965, 0.98, 0.975))
                .containsExactly(false, false, false, false, false, true);
    }

    @Test
    void refusesNoChecks() {
        assertThatThrownBy(() -> new ChecksInARow(w -> 1, 0.97, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a fine-tune stops after 1 or more checks in a row, not 0");
    }
}
