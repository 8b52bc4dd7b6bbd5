package dev.graft.evaluation.experiment;

import dev.graft.evaluation.llama.ByteVocabulary;
import dev.graft.evaluation.llama.LlamaShape;
import dev.graft.evaluation.llama.LlamaWeights;
import dev.graft.evaluation.merge.LlamaMerger;
import dev.graft.evaluation.merge.MergeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MethodGridTest {
    private static final LlamaShape TINY = new LlamaShape(ByteVocabulary.SIZE, 8, 16, 2, 2, 1, 8, 10000, 1e-5);

    @TempDir
    Path dir;

    @Test
    void everyFamilyOfTheRegistryThatMergesManyModelsIsCompared() {
        assertThat(MethodGrid.FAMILIES).containsExactly("averaging", "task_arithmetic", "ties", "dare_ties",
                "dare_linear", "breadcrumbs", "breadcrumbs_ties", "della", "della_linear", "sce", "ram",
                "ramplus_tl", "tsv", "iso_c", "iso_cts", "wudi", "model_stock", "karcher", "multislerp");
        assertThat(MethodGrid.candidates(3, List.of("tsv", "ties")).keySet()).containsExactly("ties", "tsv");
    }

    @Test
    void everyCandidateAndItsLinesVariantsRunOnLlamaFolders() {
        LlamaWeights base = LlamaWeights.initial(TINY, 1);
        List<LlamaWeights> tuned = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            LlamaWeights ft = base.copy();
            LlamaWeights noise = LlamaWeights.initial(TINY, 10 + k);
            for (int t = 0; t < TINY.tensorCount(); t++) {
                float[] w = ft.params().tensor(t);
                float[] d = noise.params().tensor(t);
                for (int j = 0; j < w.length; j++) {
                    w[j] += 0.1f * d[j];
                }
            }
            tuned.add(ft);
        }
        LlamaMerger merger = new LlamaMerger(base, tuned, dir, 1);
        int merges = 0;
        for (Map.Entry<String, List<MergeSpec>> family : MethodGrid.candidates(3).entrySet()) {
            for (MergeSpec spec : family.getValue()) {
                assertThat(spec.family()).isEqualTo(family.getKey());
                LlamaWeights merged = merger.merge(spec, 3);
                assertThat(merged.shape()).as(spec.describe()).isEqualTo(TINY);
                merges++;
            }
            for (MergeSpec lines : MethodGrid.withLines(family.getValue().getFirst(), 3)) {
                assertThat(lines.family()).isEqualTo(family.getKey() + "+lines");
                merger.merge(lines, 3);
                merges++;
            }
        }
        assertThat(merger.merges()).isEqualTo(merges);
        assertThat(MethodGrid.withLines(MethodGrid.candidates(3).get("model_stock").getFirst(), 3)).isEmpty();
    }

    @Test
    void choicesAtTheEdgeOfTheirGridAreNamed() {
        assertThat(MethodGrid.atEdge("task_arithmetic", "lambda=1.5")).containsExactly("lambda=1.5");
        assertThat(MethodGrid.atEdge("task_arithmetic", "lambda=0.1")).containsExactly("lambda=0.1");
        assertThat(MethodGrid.atEdge("task_arithmetic", "lambda=0.5")).isEmpty();
        assertThat(MethodGrid.atEdge("ties", "density=0.2 lambda=3.0")).containsExactly("density=0.2", "lambda=3.0");
        assertThat(MethodGrid.atEdge("dare_ties", "density=0.2 lambda=1.0")).containsExactly("density=0.2");
        assertThat(MethodGrid.atEdge("dare_ties", "density=0.7 lambda=0.25")).containsExactly("lambda=0.25");
        assertThat(MethodGrid.atEdge("breadcrumbs", "density=1.0 lambda=0.5")).isEmpty();
        // LiNeS's own parameters are the paper's grid; a density of 1 keeps everything and cannot go further
        assertThat(MethodGrid.atEdge("ties+lines", "density=0.4 lambda=1.0 alpha=auto beta=1.0")).isEmpty();
        assertThat(MethodGrid.atEdge("sce", "select_topk=1.0")).isEmpty();
        assertThat(MethodGrid.atEdge("wudi", "-")).isEmpty();
    }
}
