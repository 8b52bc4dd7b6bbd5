package dev.graft.formats.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a GGUF header's little-endian fields front to back from the mapped file, checking every length against the
 * bytes that remain before using it: a count or string length larger than the file fails as
 * {@link GgufError#TRUNCATED} before anything is allocated for it.
 */
final class HeaderCursor {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final MemorySegment bytes;
    private long position;

    HeaderCursor(Path file, MemorySegment bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    long position() {
        return position;
    }

    long remaining() {
        return bytes.byteSize() - position;
    }

    /**
     * Fails unless {@code count} items of at least {@code minBytes} each can still follow.
     *
     * @param what the items, for the message ({@code metadata entries})
     */
    void requireRoomFor(long count, long minBytes, String what) {
        if (count < 0 || (minBytes > 0 && count > remaining() / minBytes)) {
            throw truncated(Long.toUnsignedString(count) + " " + what + " declared at byte " + position + ", but "
                    + remaining() + " bytes remain in the file");
        }
    }

    private void need(long n, String what) {
        if (n > remaining()) {
            throw truncated("the file ends at byte " + bytes.byteSize() + " inside " + what + " at byte " + position);
        }
    }

    private GgufException truncated(String detail) {
        return new GgufException(file, GgufError.TRUNCATED, detail);
    }

    int u8(String what) {
        need(1, what);
        return bytes.get(ValueLayout.JAVA_BYTE, position++) & 0xff;
    }

    int u16(String what) {
        need(2, what);
        int v = bytes.get(U16, position) & 0xffff;
        position += 2;
        return v;
    }

    int u32(String what) {
        need(4, what);
        int v = bytes.get(U32, position);
        position += 4;
        return v;
    }

    long u64(String what) {
        need(8, what);
        long v = bytes.get(U64, position);
        position += 8;
        return v;
    }

    /** The next {@code n} bytes, copied. */
    byte[] copy(int n, String what) {
        need(n, what);
        byte[] out = bytes.asSlice(position, n).toArray(ValueLayout.JAVA_BYTE);
        position += n;
        return out;
    }

    /** A u64 length, then that many bytes of UTF-8. */
    String string(String what) {
        long n = u64(what + "'s length");
        if (n < 0 || n > remaining()) {
            throw truncated(what + " declares " + Long.toUnsignedString(n) + " bytes at byte " + (position - 8)
                    + ", but " + remaining() + " remain in the file");
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw truncated(what + " declares " + n + " bytes, more than a string holds");
        }
        ByteBuffer buf = bytes.asSlice(position, n).asByteBuffer();
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buf).toString();
            position += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new GgufException(file, GgufError.INVALID_UTF8, what + " at byte " + position);
        }
    }
}
