package dev.graft.core.exec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Heap that running tasks share to keep a tensor's decoded inputs between passes, so that a multi-pass method
 * (TIES' selection, rescaling) decodes each input once.
 *
 * <p>A pool, not an allowance: arrays are allocated once, up to the budget, and handed from task to task, so the
 * heap does not fill with dead multi-hundred-megabyte arrays between collections. A task that finds no room
 * streams from the files instead; memory stays bounded whatever the tensor sizes.
 */
final class InputCache {
    private final long budgetFloats;
    private long allocatedFloats;
    private final List<float[]> free = new ArrayList<>();

    InputCache(long budgetBytes) {
        this.budgetFloats = budgetBytes / Float.BYTES;
    }

    /**
     * Arrays for {@code count} inputs of {@code elements} values each, or null when the budget cannot hold them now.
     */
    synchronized float[][] acquire(int count, long elements) {
        if (elements > Integer.MAX_VALUE - 8) {
            return null;
        }
        float[][] out = new float[count][];
        List<float[]> taken = new ArrayList<>();
        // Reuse the smallest free arrays that are large enough.
        free.sort((a, b) -> Integer.compare(a.length, b.length));
        for (int i = 0; i < count; i++) {
            for (Iterator<float[]> it = free.iterator(); it.hasNext(); ) {
                float[] a = it.next();
                if (a.length >= elements) {
                    it.remove();
                    out[i] = a;
                    taken.add(a);
                    break;
                }
            }
        }
        long missing = 0;
        for (float[] a : out) {
            missing += a == null ? elements : 0;
        }
        if (allocatedFloats + missing > budgetFloats) {
            // Make room by dropping free arrays too small to be reused for this size.
            for (Iterator<float[]> it = free.iterator(); it.hasNext() && allocatedFloats + missing > budgetFloats; ) {
                allocatedFloats -= it.next().length;
                it.remove();
            }
        }
        if (allocatedFloats + missing > budgetFloats) {
            free.addAll(taken);
            return null;
        }
        for (int i = 0; i < count; i++) {
            if (out[i] == null) {
                try {
                    out[i] = new float[(int) elements];
                } catch (OutOfMemoryError e) {
                    // The budget fits the heap's limit, but not always its fragments (each array is one
                    // contiguous run of regions): streaming from the files instead costs time, not the merge.
                    for (float[] a : out) {
                        if (a != null) {
                            free.add(a);
                        }
                    }
                    return null;
                }
                allocatedFloats += elements;
            }
        }
        return out;
    }

    synchronized void release(float[][] arrays) {
        for (float[] a : arrays) {
            free.add(a);
        }
    }
}
