package dev.graft.evaluation.data;

/**
 * A downstream task: a teacher that labels inputs drawn from a region.
 *
 * @param name    a short name ({@code "task3"}); also keys the task's random streams
 * @param index   its position in its suite
 * @param teacher the labelling function
 * @param region  where its inputs come from
 */
public record Task(String name, int index, Teacher teacher, InputRegion region) {
}
