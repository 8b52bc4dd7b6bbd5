package dev.graft.formats.pytorch;

import java.util.LinkedHashMap;

/**
 * A Python {@code dict} or {@code collections.OrderedDict} read from a pickle, in insertion order. Keys are only
 * ever strings, numbers, booleans or null (the unpickler refuses others), so hashing them is safe.
 */
final class PyDict {
    private final boolean ordered;
    private final LinkedHashMap<Object, Object> items = new LinkedHashMap<>();

    /** @param ordered whether it is a {@code collections.OrderedDict} (which alone may receive a BUILD) */
    PyDict(boolean ordered) {
        this.ordered = ordered;
    }

    boolean ordered() {
        return ordered;
    }

    LinkedHashMap<Object, Object> items() {
        return items;
    }
}
