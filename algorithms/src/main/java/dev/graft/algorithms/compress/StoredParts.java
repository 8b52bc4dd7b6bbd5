package dev.graft.algorithms.compress;

import dev.graft.formats.delta.DeltaArtifact;
import dev.graft.formats.delta.DeltaEntry;
import dev.graft.formats.delta.DeltaFormatException;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.tensor.Tensor;

/**
 * One entry's parts as a decoder reads them: each checked for the dtype and size the encoding implies, so a
 * damaged delta fails with the tensor and part named instead of decoding garbage.
 */
final class StoredParts {
    private final DeltaArtifact artifact;
    private final DeltaEntry entry;

    StoredParts(DeltaArtifact artifact, DeltaEntry entry) {
        this.artifact = artifact;
        this.entry = entry;
    }

    DeltaEntry entry() {
        return entry;
    }

    /** Elements of the tensor. */
    long size() {
        return entry.spec().elementCount();
    }

    /**
     * A part of the given dtype and element count.
     *
     * @param elements the expected count, or -1 for any
     */
    Tensor part(String name, DType dtype, long elements) {
        if (!entry.parts().contains(name)) {
            throw damaged("lacks its part \"" + name + "\"");
        }
        Tensor t = artifact.part(entry, name);
        if (t.dtype() != dtype || (elements >= 0 && t.elementCount() != elements)) {
            throw damaged("part \"" + name + "\" is " + t.dtype() + " " + t.shape() + ", expected " + dtype
                    + (elements >= 0 ? " of " + elements + " elements" : ""));
        }
        return t;
    }

    /** A one-element float32 part. */
    float scalar(String name) {
        float v = part(name, DType.F32, 1).getFloat(0);
        if (!Float.isFinite(v)) {
            throw damaged("part \"" + name + "\" is " + v);
        }
        return v;
    }

    /** An integer attribute. */
    long longAttribute(String key) {
        try {
            return Long.parseLong(entry.attribute(key));
        } catch (IllegalArgumentException e) {
            throw damaged("attribute \"" + key + "\": " + e.getMessage());
        }
    }

    String attribute(String key) {
        try {
            return entry.attribute(key);
        } catch (IllegalArgumentException e) {
            throw damaged(e.getMessage());
        }
    }

    DeltaFormatException damaged(String what) {
        return new DeltaFormatException(artifact.path(), "damaged delta: tensor \"" + entry.name() + "\" ("
                + entry.encoding() + ") " + what);
    }
}
