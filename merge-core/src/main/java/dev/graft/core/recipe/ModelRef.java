package dev.graft.core.recipe;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A model a recipe refers to, in mergekit's syntax {@code path_or_hf_id[@revision][+lora_path[@revision]]}.
 *
 * <p>Two references are equal when they are written the same ({@link #toString()}) and override the same
 * architecture; mergekit compares them the same way, so {@code ft1} and {@code ./ft1} are two different models,
 * even though they name one directory.
 *
 * @param model                the model: a directory or a hub id, with an optional revision
 * @param lora                 a PEFT adapter to fold into the model before merging ({@code +lora})
 * @param overrideArchitecture replaces {@code architectures[0]} of the model's config (dict form only)
 */
public record ModelRef(ModelPath model, Optional<ModelPath> lora, Optional<String> overrideArchitecture) {

    public ModelRef {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(overrideArchitecture, "overrideArchitecture");
    }

    /**
     * Parses the string form. A {@code +} separates the model from its LoRA, and each side may carry one
     * {@code @revision}; paths that contain {@code +} or {@code @} themselves need the dict form.
     *
     * <pre>{@code
     * ModelRef.parse("org/model@v1+org/lora@main")  // model org/model rev v1, lora org/lora rev main
     * }</pre>
     *
     * @throws IllegalArgumentException when the text has more than one {@code +}, more than one {@code @} on a
     *                                  side, or an empty part
     */
    public static ModelRef parse(String text) {
        int plus = text.indexOf('+');
        if (plus < 0) {
            return new ModelRef(ModelPath.parse(text), Optional.empty(), Optional.empty());
        }
        if (text.indexOf('+', plus + 1) >= 0) {
            throw new IllegalArgumentException("cannot parse model \"" + text
                    + "\": more than one '+' (write model+lora, or use the dict form for paths containing '+')");
        }
        String lora = text.substring(plus + 1);
        if (lora.isEmpty()) {
            throw new IllegalArgumentException("cannot parse model \"" + text + "\": nothing after '+'");
        }
        return new ModelRef(ModelPath.parse(text.substring(0, plus)), Optional.of(ModelPath.parse(lora)),
                Optional.empty());
    }

    /** The model's path or hub id, without revision or LoRA. */
    public String path() {
        return model.path();
    }

    /** The model's revision, if one was given after {@code @}. */
    public Optional<String> revision() {
        return model.revision();
    }

    /**
     * The model directory: a relative path is resolved against {@code workingDir}, as mergekit resolves it against
     * the process's working directory (not the recipe's folder). A hub id resolves to a path too; whether it
     * exists is for the caller to check.
     */
    public Path resolve(Path workingDir) {
        return workingDir.resolve(model.path());
    }

    /** The LoRA adapter directory, resolved like {@link #resolve(Path)}. */
    public Optional<Path> resolveLora(Path workingDir) {
        return lora.map(l -> workingDir.resolve(l.path()));
    }

    /** The canonical string form, {@code path[@revision][+lora[@revision]]}. */
    @Override
    public String toString() {
        return lora.map(l -> model + "+" + l).orElse(model.toString());
    }
}
