package dev.graft.formats.pytorch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Recognises the files with a PyTorch extension that are not torch's zip format, to refuse each with what it is.
 * The legacy formats (a raw pickle stream followed by the storages, or before 0.4 a tar archive) keep storages in
 * pickle-framed runs that can only be found by unpickling in order, so they cannot be mapped in place.
 */
final class LegacyFormats {
    /** Bytes of the file start that {@link #refusal} needs (a tar header's magic ends at byte 262). */
    static final int HEAD_BYTES = 262;
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final int PICKLE_PROTO = 0x80;
    private static final int TAR_MAGIC_AT = 257;
    private static final byte[] TAR_MAGIC = "ustar".getBytes(StandardCharsets.US_ASCII);

    private LegacyFormats() {
    }

    /** Whether the file starts as torch.save's zip archives do (a local file header). */
    static boolean isZip(byte[] head) {
        return head.length >= ZIP_MAGIC.length && Arrays.equals(head, 0, ZIP_MAGIC.length, ZIP_MAGIC, 0, ZIP_MAGIC.length);
    }

    /** What a file that is not a zip archive is, as the end of a one-line refusal. */
    static String refusal(byte[] head) {
        String remedy = ", which Graft does not read: load it with torch and save it again with torch 1.6 or newer "
                + "(or as safetensors)";
        if (head.length >= TAR_MAGIC_AT + TAR_MAGIC.length
                && Arrays.equals(head, TAR_MAGIC_AT, TAR_MAGIC_AT + TAR_MAGIC.length, TAR_MAGIC, 0, TAR_MAGIC.length)) {
            return "is a tar archive, torch.save's format before 0.4" + remedy;
        }
        if (head.length >= 1 && Byte.toUnsignedInt(head[0]) == PICKLE_PROTO) {
            return "is in PyTorch's legacy format (a bare pickle: torch.save before 1.6, or with "
                    + "_use_new_zipfile_serialization=False)" + remedy;
        }
        return "is not a PyTorch checkpoint: torch.save's zip format starts with the bytes PK\\x03\\x04";
    }
}
