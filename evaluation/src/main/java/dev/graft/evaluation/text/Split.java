package dev.graft.evaluation.text;

/**
 * The three disjoint parts of a task's examples. Each draws from its own random stream and keeps only prompts
 * whose hash falls in its own buckets, so no test or validation prompt is ever trained on, even in a task whose
 * prompts repeat (a short string's bracket depth).
 */
public enum Split {
    /** Eight buckets in ten. */
    TRAIN,
    /** One bucket in ten: where hyper-parameters are chosen. */
    VALIDATION,
    /** One bucket in ten: what is reported. */
    TEST;

    /** The split a prompt belongs to. */
    public static Split of(String prompt) {
        int h = prompt.hashCode();
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        int bucket = Math.floorMod(h, 10);
        return bucket == 0 ? TEST : bucket == 1 ? VALIDATION : TRAIN;
    }
}
