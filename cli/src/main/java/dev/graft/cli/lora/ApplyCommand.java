package dev.graft.cli.lora;

import dev.graft.algorithms.lora.LoraApplication;
import dev.graft.cli.MeterProgress;
import dev.graft.cli.GgufTypeOptions;
import dev.graft.cli.ModelOutputOptions;
import dev.graft.formats.shard.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code graft lora apply}: adapters merged into a base model. */
@Command(name = "apply",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                // The first line alone is what 'graft lora --help' lists.
                "Merge LoRA adapters into a base model: W + Σ wᵢ·sᵢ·Bᵢ·Aᵢ per adapted weight.",
                "",
                "sᵢ is PEFT's scaling (lora_alpha/r, or lora_alpha/√r with rsLoRA, rank_pattern and alpha_pattern "
                        + "honoured); fan_in_fan_out (GPT-2 Conv1D) and embedding layouts are read as PEFT writes "
                        + "them. lora_B biases add to the base biases; modules_to_save weights replace the base's "
                        + "(weighted: W + Σ wᵢ·(Sᵢ − W)); a DoRA adapter (alone, weight 1) rescales each adapted "
                        + "weight to its magnitude vector. graft merge reads MODEL+ADAPTER with the same arithmetic, "
                        + "without writing the applied model.",
                "",
                "Arithmetic in float32, rounded once to the base dtype. OUT is written as one file if it ends in "
                        + ".safetensors, as one GGUF file for llama.cpp (types set by --type and --keep-f16) if it "
                        + "ends in .gguf, else as a Hugging Face folder with the base's config and tokenizer. "
                        + "Nothing appears under OUT until complete."},
        footer = {"", "Examples:",
                "  graft lora apply ./Llama-3-8B ./math-lora -o ./Llama-3-8B-math",
                "  graft lora apply ./base ./a-lora ./b-lora --weight 1,-0.5 -o ab.safetensors",
                "  graft lora apply ./base ./math-lora -o base-math.gguf --type q8_0"})
final class ApplyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BASE", description = "The base model (file, index or folder).")
    Path base;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ADAPTER", description = "PEFT LoRA adapter folders.")
    List<Path> adapters;

    @Option(names = "--weight", split = ",", paramLabel = "W",
            description = "Weight of each adapter: one for all or one per ADAPTER (default 1; negative subtracts).")
    List<Double> weights;

    @Mixin
    ModelOutputOptions output;

    @Mixin
    GgufTypeOptions gguf;

    @Option(names = "--allow-nonfinite", description = "Apply to a base or from adapters holding NaN or infinite "
            + "values instead of refusing them.")
    boolean allowNonFinite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Double> w = LoraCommand.weights(spec.commandLine(), weights, adapters.size());
        LoraApplication app = LoraApplication.to(base).overwrite(output.force()).allowNonFinite(allowNonFinite)
                .progress(new MeterProgress(output.meter(spec.commandLine())));
        for (int i = 0; i < adapters.size(); i++) {
            app.adapter(adapters.get(i), w.get(i));
        }
        app.threads(output.threads(spec.commandLine())).maxShardBytes(output.maxShardBytes(spec.commandLine()))
                .ggufTypes(gguf.types(spec.commandLine(), output.out()));
        LoraApplication.ApplyReport r = app.write(output.out());
        spec.commandLine().getOut().printf(Locale.ROOT, "Applied %d adapter%s to %s: %d of %d tensors changed; %s written to "
                        + "%s in %.1f s%n", adapters.size(), adapters.size() == 1 ? "" : "s", base, r.changed(),
                r.tensors(), ByteSize.format(r.bytes()), r.output(), r.seconds());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
