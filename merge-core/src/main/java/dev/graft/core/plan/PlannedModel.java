package dev.graft.core.plan;

import java.nio.file.Path;

/**
 * An input model of a plan.
 *
 * @param label how the recipe or command line names it
 * @param path  where it was opened from
 */
public record PlannedModel(String label, Path path) {
}
