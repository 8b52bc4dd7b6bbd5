package dev.graft.core.plan;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An input model of a plan.
 *
 * @param label   how the recipe or command line names it
 * @param path    where it was opened from
 * @param adapter      a PEFT LoRA adapter folder applied to it as it is read (mergekit's {@code model+lora}), if
 *                     any
 * @param architecture a class name that replaces the {@code architectures} of its {@code config.json} wherever the
 *                     config is read, in the output's {@code config.json} too (mergekit's
 *                     {@code override_architecture}), if any
 */
public record PlannedModel(String label, Path path, Optional<Path> adapter, Optional<String> architecture) {
    public PlannedModel {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(architecture, "architecture");
    }

    /** A model read with its own architecture. */
    public PlannedModel(String label, Path path, Optional<Path> adapter) {
        this(label, path, adapter, Optional.empty());
    }

    /** A model read as it is. */
    public PlannedModel(String label, Path path) {
        this(label, path, Optional.empty(), Optional.empty());
    }

    /** Where it is read from: {@code path}, or {@code path+adapter}. */
    public String source() {
        return adapter.map(a -> path + "+" + a).orElse(path.toString());
    }

    /** Whether the two read the same model with the same adapter, whatever their labels. */
    public boolean sameInput(PlannedModel other) {
        return path.equals(other.path) && adapter.equals(other.adapter);
    }
}
