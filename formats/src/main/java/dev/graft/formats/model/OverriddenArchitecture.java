package dev.graft.formats.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A model read as if its {@code config.json} named another architecture: mergekit's {@code override_architecture}
 * ({@code ModelReference.config()} replaces {@code architectures} with {@code [override]} wherever the config is
 * read: to detect the architecture, and in the output's {@code config.json} when the model is the base or the
 * first). The tensors are the model's own; only {@link #config()} differs.
 *
 * <pre>{@code
 * ModelSource m = OverriddenArchitecture.of(ModelSource.open(dir), "MistralForCausalLM");
 * m.config().orElseThrow().architectures();   // [MistralForCausalLM]
 * }</pre>
 */
public final class OverriddenArchitecture extends ForwardingModelSource {
    private final ModelConfig config;

    private OverriddenArchitecture(ModelSource model, ModelConfig config) {
        super(model);
        this.config = config;
    }

    /**
     * @param model     an open model; closed by the result's {@link #close()}, and here when it has no config
     * @param className the architecture class that replaces the config's {@code architectures}
     * @throws ModelFormatException when the model has no {@code config.json} to override (mergekit cannot load
     *                              one without it either)
     */
    public static OverriddenArchitecture of(ModelSource model, String className) {
        Objects.requireNonNull(className, "className");
        Optional<ModelConfig> config = model.config();
        if (config.isEmpty()) {
            model.close();
            throw new ModelFormatException(model.path(), "override_architecture: " + className + " needs a "
                    + ModelConfig.FILE_NAME + " in " + model.path() + " to override; the model has none");
        }
        return new OverriddenArchitecture(model, config.get().withArchitecture(className));
    }

    @Override
    public Optional<ModelConfig> config() {
        return Optional.of(config);
    }
}
