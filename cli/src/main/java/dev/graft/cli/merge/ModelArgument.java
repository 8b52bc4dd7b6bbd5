package dev.graft.cli.merge;

import dev.graft.core.plan.PlannedModel;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model named on the command line: a path, or {@code path+adapter}, a model read with a PEFT LoRA adapter
 * applied (a recipe's {@code model+lora}). A path that exists as typed is a model even when its name holds a
 * {@code +}; otherwise the one {@code +} separates the model from the adapter, as in mergekit.
 */
final class ModelArgument {
    private ModelArgument() {
    }

    /**
     * @param what how the usage error names the argument ({@code MODEL}, {@code --base})
     * @throws ParameterException for more than one {@code +}, or nothing on one side of it
     */
    static PlannedModel parse(CommandLine cl, String what, String text) {
        int plus = text.indexOf('+');
        if (plus < 0 || Files.exists(Path.of(text))) {
            return new PlannedModel(text, Path.of(text));
        }
        if (text.indexOf('+', plus + 1) >= 0) {
            throw new ParameterException(cl, what + " " + text + ": more than one '+'; write MODEL+ADAPTER");
        }
        String model = text.substring(0, plus);
        String adapter = text.substring(plus + 1);
        if (model.isEmpty() || adapter.isEmpty()) {
            throw new ParameterException(cl, what + " " + text + ": nothing " + (model.isEmpty() ? "before" : "after")
                    + " '+'; write MODEL+ADAPTER");
        }
        return new PlannedModel(text, Path.of(model), Optional.of(Path.of(adapter)));
    }
}
