package dev.graft.formats.pytorch;

import java.util.Collections;
import java.util.List;

/**
 * A Python tuple read from a pickle. Items may be null (Python's {@code None}); the list is never hashed or
 * printed whole, since a hostile pickle can make a list that contains itself.
 *
 * @param items the elements, unmodifiable
 */
record PyTuple(List<Object> items) {
    PyTuple {
        items = Collections.unmodifiableList(items);
    }

    int size() {
        return items.size();
    }

    Object get(int i) {
        return items.get(i);
    }
}
