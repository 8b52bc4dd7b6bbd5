package dev.graft.formats.gguf;

/**
 * A block the quantizer must refuse; the writer turns it into a {@link GgufException} naming the tensor. Checked
 * apart from {@code IllegalArgumentException} so that only this refusal is translated.
 */
final class UnrepresentableBlockException extends RuntimeException {
    private final int element;

    /**
     * @param element the index (in the source window) of the element at fault
     * @param detail  what is wrong with it
     */
    UnrepresentableBlockException(int element, String detail) {
        super(detail, null, false, false);
        this.element = element;
    }

    /** The index, in the source window given to the codec, of the element at fault. */
    int element() {
        return element;
    }
}
