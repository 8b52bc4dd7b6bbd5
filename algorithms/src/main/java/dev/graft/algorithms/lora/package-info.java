/**
 * LoRA adapters from and into full checkpoints: {@link dev.graft.algorithms.lora.Extraction} factors the difference
 * of two checkpoints into a PEFT adapter (PHLoRA), {@link dev.graft.algorithms.lora.LoraApplication} merges adapters
 * into a base model, and {@link dev.graft.algorithms.lora.LoraComposition} combines adapters into one (PEFT's
 * {@code add_weighted_adapter}).
 *
 * <p>All three stream module by module: no more than one module's matrices per worker thread is in memory.
 */
package dev.graft.algorithms.lora;
