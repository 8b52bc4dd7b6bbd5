/**
 * PEFT LoRA adapters applied to a model: {@link dev.graft.formats.lora.AdaptedModel} reads a model with adapters
 * added to its tensors as they are read (a merge's {@code MODEL+ADAPTER} input, and what {@code graft lora apply}
 * writes), {@link dev.graft.formats.lora.AdapterContents} sorts an adapter into what it changes.
 *
 * <p>The arithmetic lives beside the formats so that merges (module {@code merge-core}) and the adapter tools
 * (module {@code algorithms}) share one implementation.
 */
package dev.graft.formats.lora;
