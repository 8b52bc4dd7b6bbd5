package dev.graft.formats.pytorch;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes pickle opcodes one by one, as Python's protocol 2 pickler emits them (the opcode table is Python's
 * {@code Lib/pickletools.py}): the building block of the test checkpoints, hostile ones included. Strings and
 * globals are memoized and fetched again as Python does, so written files exercise BINPUT/BINGET and, past 256
 * memo entries, LONG_BINPUT/LONG_BINGET.
 */
public final class Pickler {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> memoized = new HashMap<>();
    private int memo;

    /** PROTO 2, the header of every protocol 2 pickle. */
    public Pickler proto() {
        return op(0x80).op(2);
    }

    public Pickler stop() {
        return op('.');
    }

    /** A global, memoized: the second use of the same one is a memo fetch. */
    public Pickler global(String module, String name) {
        String key = "global:" + module + "." + name;
        if (fetch(key)) {
            return this;
        }
        op('c');
        bytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return remember(key);
    }

    /** A global written afresh, never from the memo (for hostile pickles that must spell it out). */
    public Pickler rawGlobal(String module, String name) {
        op('c');
        return bytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A str, memoized as Python does. */
    public Pickler str(String s) {
        String key = "str:" + s;
        if (fetch(key)) {
            return this;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').u32(b.length).bytes(b);
        return remember(key);
    }

    /** An int in the smallest encoding Python's pickler picks: BININT1, BININT2, BININT or LONG1. */
    public Pickler integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        if (v >= 0 && v < 65536) {
            return op('M').op((int) (v & 0xFF)).op((int) (v >>> 8));
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').u32((int) v);
        }
        return long1(BigInteger.valueOf(v));
    }

    /** LONG1: little-endian two's complement, as few bytes as hold the value. */
    public Pickler long1(BigInteger v) {
        byte[] be = v.toByteArray();
        op(0x8a).op(be.length);
        for (int i = be.length - 1; i >= 0; i--) {
            op(be[i] & 0xFF);
        }
        return this;
    }

    public Pickler bool(boolean b) {
        return op(b ? 0x88 : 0x89);
    }

    public Pickler none() {
        return op('N');
    }

    public Pickler mark() {
        return op('(');
    }

    /** TUPLE: everything since the last mark. */
    public Pickler tuple() {
        return op('t').put();
    }

    /** A tuple of small ints, in the encoding Python picks for its length (EMPTY_TUPLE, TUPLE1-3, MARK … TUPLE). */
    public Pickler ints(long... values) {
        if (values.length == 0) {
            return op(')');
        }
        if (values.length > 3) {
            mark();
        }
        for (long v : values) {
            integer(v);
        }
        return switch (values.length) {
            case 1 -> op(0x85).put();
            case 2 -> op(0x86).put();
            case 3 -> op(0x87).put();
            default -> tuple();
        };
    }

    public Pickler emptyTuple() {
        return op(')');
    }

    public Pickler emptyDict() {
        return op('}').put();
    }

    public Pickler emptyList() {
        return op(']').put();
    }

    public Pickler setItems() {
        return op('u');
    }

    public Pickler setItem() {
        return op('s');
    }

    public Pickler appends() {
        return op('e');
    }

    public Pickler reduce() {
        return op('R').put();
    }

    public Pickler build() {
        return op('b');
    }

    public Pickler persistentId() {
        return op('Q');
    }

    /** A memo fetch of entry {@code i} (BINGET, or LONG_BINGET past 255). */
    public Pickler get(int i) {
        return i < 256 ? op('h').op(i) : op('j').u32(i);
    }

    /** Memoizes the top of the stack (BINPUT, or LONG_BINPUT past 255). */
    public Pickler put() {
        int i = memo++;
        return i < 256 ? op('q').op(i) : op('r').u32(i);
    }

    /** {@code collections.OrderedDict()}: how Python pickles an OrderedDict before its items. */
    public Pickler orderedDict() {
        return global("collections", "OrderedDict").emptyTuple().reduce();
    }

    /** One raw byte: an opcode or an argument. */
    public Pickler op(int b) {
        out.write(b);
        return this;
    }

    public Pickler bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    private Pickler u32(int v) {
        return op(v & 0xFF).op((v >>> 8) & 0xFF).op((v >>> 16) & 0xFF).op((v >>> 24) & 0xFF);
    }

    private boolean fetch(String key) {
        Integer i = memoized.get(key);
        if (i == null) {
            return false;
        }
        get(i);
        return true;
    }

    private Pickler remember(String key) {
        memoized.put(key, memo);
        return put();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
