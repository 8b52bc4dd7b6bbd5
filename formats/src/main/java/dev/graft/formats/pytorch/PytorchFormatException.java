package dev.graft.formats.pytorch;

import dev.graft.formats.FormatException;

import java.nio.file.Path;

/**
 * A PyTorch checkpoint ({@code pytorch_model.bin}, {@code .pt}, {@code .pth}) that Graft will not read: not torch's
 * zip format, a damaged archive, a pickle that asks for anything but tensors, or tensors whose bytes do not lie
 * where the file says. The message names the file, and the tensor or pickle global where one is involved.
 */
public final class PytorchFormatException extends FormatException {
    /**
     * @param message what is wrong; control characters in it (names read from a hostile file may hold newlines)
     *                are escaped, so that it stays one line
     */
    public PytorchFormatException(Path file, String message) {
        super(file, oneLine(message));
    }

    private static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
