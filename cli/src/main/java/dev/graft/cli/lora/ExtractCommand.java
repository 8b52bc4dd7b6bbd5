package dev.graft.cli.lora;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code graft extract}: a PEFT LoRA adapter from a full fine-tune (PHLoRA); the base of {@code lora extract-from-merge}. */
@Command(name = "extract",
        parameterListHeading = "%nArguments:%n", optionListHeading = "%nOptions:%n",
        description = {
                "Extract a PEFT LoRA adapter from a full fine-tune (PHLoRA).",
                "",
                "Per module (PHLoRA, arXiv 2509.10971), ΔW = W_tuned − W_base is factored by a truncated SVD into B = U·√S and A = √S·Vᵀ, with "
                        + "lora_alpha = r so PEFT's scaling is 1.",
                "",
                "Every 2-D weight in the transformer blocks becomes a LoRA module (GPT-2's Conv1D with "
                        + "fan_in_fan_out); changed embeddings, lm_head, norms and biases are saved whole in "
                        + "modules_to_save (biases of LoRA modules as lora_B.bias when all have one).",
                "",
                "DIR gets adapter_config.json and adapter_model.safetensors in PEFT's format (what vLLM and "
                        + "S-LoRA read too), and graft_extraction.json with each module's rank, energy kept and relative error "
                        + "‖ΔW − B·A‖/‖ΔW‖ = √(1 − energy). Nothing appears under DIR until it is complete.",
                "",
                "task_type follows BASE's config.json architectures (LlamaForCausalLM: CAUSAL_LM …) so that "
                        + "PEFT's AutoPeftModelFor* classes load the adapter; base_model_name_or_path is the Hub id in "
                        + "its _name_or_path, else BASE's absolute path."},
        footer = {"", "Examples:",
                "  graft extract ./Llama-3-8B ./Llama-3-8B-math --rank 64 -o ./math-lora",
                "  graft extract ./base ./tuned --energy 0.9 --max-rank 128 -o ./lora",
                "  graft extract ./gpt2 ./gpt2-ft --rank 8 --target-modules c_attn \\",
                "      --skip-undecomposable -o ./gpt2-lora"})
public class ExtractCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BASE", description = "The base model (file, index or folder).")
    Path base;

    @Parameters(index = "1", paramLabel = "TUNED", description = "The fine-tuned model, same architecture.")
    Path tuned;

    @Mixin
    ExtractionOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        return options.run(spec.commandLine(), base, tuned);
    }
}
