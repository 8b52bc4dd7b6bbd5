package dev.graft.algorithms.lora;

/** Hears how an extraction, application or composition progresses. Called from worker threads. */
public interface LoraProgress {
    /**
     * Before the first item.
     *
     * @param items tensors or modules to process
     * @param bytes bytes they amount to (input read or output written; for rates and the ETA)
     */
    default void started(int items, long bytes) {
    }

    /** After one item. */
    default void itemDone(String name, long bytes) {
    }

    /** After the output was published. */
    default void finished() {
    }

    /** A listener that ignores everything. */
    LoraProgress NONE = new LoraProgress() {
    };
}
