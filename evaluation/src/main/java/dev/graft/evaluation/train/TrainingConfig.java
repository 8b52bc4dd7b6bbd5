package dev.graft.evaluation.train;

/**
 * How long and how fast each phase trains. All phases use Adam on freshly drawn batches (the synthetic tasks have
 * unlimited data, so there is no overfitting to a fixed training set).
 *
 * @param pretrainSteps  steps of multi-task pre-training
 * @param pretrainBatch  examples per pre-training step
 * @param pretrainRate   pre-training learning rate
 * @param probeSteps     full-batch steps fitting a task's head on the pre-trained features
 * @param probeExamples  examples the head is fitted on
 * @param fineTuneSteps  steps of fine-tuning the trunk under a frozen head
 * @param fineTuneBatch  examples per fine-tuning step
 * @param fineTuneRate   fine-tuning learning rate
 */
public record TrainingConfig(int pretrainSteps, int pretrainBatch, double pretrainRate, int probeSteps,
                             int probeExamples, int fineTuneSteps, int fineTuneBatch, double fineTuneRate) {
    /** The settings of the published evaluation. */
    public static TrainingConfig standard() {
        return new TrainingConfig(3000, 64, 2e-3, 300, 4096, 1500, 32, 1e-3);
    }
}
