package dev.graft.evaluation.experiment;

/**
 * How a method's hyper-parameters are chosen on validation at a fraction of the decodes (successive halving with
 * one cut, Jamieson and Talwalkar 2016): every candidate is scored on the first {@code examples} validation prompts
 * of each merged task, and only the best {@code finalists} are scored on the rest; the one with the best score on
 * the whole validation split is chosen. A grid of g candidates then costs g·s + f·(v − s) decodes per task instead
 * of g·v (s screened, f finalists, v validation prompts).
 *
 * @param examples  validation prompts per task on which every candidate is scored (at most the validation split;
 *                  the whole split disables the screen)
 * @param finalists how many candidates, the best on the screen, go on to the whole validation split
 */
public record ValidationScreen(int examples, int finalists) {
    public ValidationScreen {
        if (examples <= 0 || finalists <= 0) {
            throw new IllegalArgumentException("a validation screen needs at least 1 prompt and 1 finalist, not "
                    + examples + " and " + finalists);
        }
    }
}
