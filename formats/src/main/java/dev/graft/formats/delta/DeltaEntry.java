package dev.graft.formats.delta;

import dev.graft.formats.tensor.TensorSpec;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one tensor of the fine-tuned model is stored in a compressed delta.
 *
 * @param spec         the fine-tuned tensor: name, dtype and shape of what decompression writes
 * @param encoding     {@link #COPY} (the fine-tuned tensor stored losslessly) or the method's encoding
 * @param attributes   encoding details the decoder needs beyond the parts (for example which position encoding
 *                     was chosen); empty when none
 * @param parts        the part names, in order; part {@code p} is stored as the safetensors tensor
 *                     {@link DeltaManifest#partName(String, String) name::p}
 * @param baseChecksum {@link TensorChecksum CRC32C} of the base tensor the delta was taken against, or null for a
 *                     copy, which does not depend on the base
 * @param storedBytes  bytes the parts take in the file
 * @param norm         ‖Δ‖, the Frobenius norm of the float32 delta (0 for a copy)
 * @param error        relative reconstruction error ‖Δ − Δ̂‖ / ‖Δ‖ (0 for a copy, and when Δ = 0 is reproduced)
 */
public record DeltaEntry(TensorSpec spec, String encoding, Map<String, String> attributes, List<String> parts,
                         String baseChecksum, long storedBytes, double norm, double error) {
    /** The encoding of tensors stored losslessly: the fine-tuned bytes themselves, in part {@code value}. */
    public static final String COPY = "copy";
    /** The single part of a {@link #COPY}. */
    public static final String COPY_PART = "value";

    public DeltaEntry {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(encoding, "encoding");
        attributes = Map.copyOf(attributes);
        parts = List.copyOf(parts);
    }

    public String name() {
        return spec.name();
    }

    /** Whether the tensor is stored losslessly. */
    public boolean isCopy() {
        return COPY.equals(encoding);
    }

    /** An attribute the decoder needs. */
    public String attribute(String key) {
        String v = attributes.get(key);
        if (v == null) {
            throw new IllegalArgumentException(name() + ": encoding " + encoding + " without attribute " + key);
        }
        return v;
    }
}
