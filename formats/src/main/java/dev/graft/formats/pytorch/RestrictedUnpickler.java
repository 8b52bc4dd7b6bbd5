package dev.graft.formats.pytorch;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle reader that builds data and never runs code: the opcodes {@code torch.load(weights_only=True)} accepts
 * (the protocol 2 subset torch.save writes), globals resolved only through {@link TorchGlobal}'s allowlist, and
 * calls (REDUCE) and persistent ids handed to {@link TorchObjects}, which knows what torch's rebuild functions mean.
 *
 * <p>Anything else — another global, an opcode outside the subset, a BUILD on anything but an OrderedDict, a
 * NEWOBJ — stops the read with the offending name and byte position. The reader is iterative (no recursion a
 * hostile nesting could exhaust) and checks every length against the bytes left before reading.
 */
final class RestrictedUnpickler {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Longest module or name line of a GLOBAL; Python identifiers in torch are far shorter. */
    private static final int MAX_GLOBAL_LINE = 1024;

    private final Path file;
    private final String entry;
    private final MemorySegment data;
    private final TorchObjects torch;
    private long pos;
    private long opAt;
    private List<Object> stack = new ArrayList<>();
    private final Deque<List<Object>> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    /**
     * @param file  the checkpoint, for messages
     * @param entry the pickle's entry name ({@code archive/data.pkl}), for messages
     * @param data  the pickle bytes
     * @param torch what calls and persistent ids resolve to
     */
    RestrictedUnpickler(Path file, String entry, MemorySegment data, TorchObjects torch) {
        this.file = file;
        this.entry = entry;
        this.data = data;
        this.torch = torch;
    }

    /**
     * Reads the pickle up to its STOP opcode.
     *
     * @return the object it describes: {@link PyDict}, {@link PyTuple}, {@link ArrayList}, {@link String},
     * {@link Long}, {@link BigInteger}, {@link Double}, {@link Boolean}, null, or what {@link TorchObjects} made
     * @throws PytorchFormatException for anything the reader refuses or a damaged pickle
     */
    Object load() {
        while (true) {
            opAt = pos;
            int op = u8();
            switch (op) {
                case 0x80 -> u8(); // PROTO: any protocol; the opcodes below are what is allowed
                case '.' -> {
                    return pop();
                }
                case 'c' -> push(global());
                case 'R' -> reduce();
                case 'b' -> build();
                case 0x81 -> {
                    Object args = pop();
                    throw refused("NEWOBJ of " + describe(pop()) + " (with " + describe(args) + ")");
                }
                case 'Q' -> push(torch.persistentLoad(pop(), this));
                case '(' -> {
                    marks.push(stack);
                    stack = new ArrayList<>();
                }
                case 't' -> push(new PyTuple(popMark()));
                case ')' -> push(new PyTuple(List.of()));
                case 0x85 -> push(tuple(1));
                case 0x86 -> push(tuple(2));
                case 0x87 -> push(tuple(3));
                case ']' -> push(new ArrayList<>());
                case '}' -> push(new PyDict(false));
                case 'a' -> {
                    Object item = pop();
                    list().add(item);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    list().addAll(items);
                }
                case 's' -> {
                    Object value = pop();
                    Object key = pop();
                    put(dict(), key, value);
                }
                case 'u' -> setItems();
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) data.get(I32, take(4)));
                case 'K' -> push((long) u8());
                case 'M' -> push((long) Short.toUnsignedInt(data.get(U16, take(2))));
                case 0x8a -> push(long1());
                case 'G' -> push(data.get(F64_BE, take(8)));
                case 'X' -> push(string(Integer.toUnsignedLong(data.get(I32, take(4)))));
                case 'U' -> push(string(u8()));
                case 'h' -> push(memoGet(u8()));
                case 'j' -> push(memoGet(Integer.toUnsignedLong(data.get(I32, take(4)))));
                case 'q' -> memo.put((long) u8(), peek());
                case 'r' -> memo.put(Integer.toUnsignedLong(data.get(I32, take(4))), peek());
                default -> throw new PytorchFormatException(file, "unsupported pickle opcode " + opcodeName(op)
                        + " at byte " + opAt + " of " + entry + "; torch.load(weights_only=True) refuses it too");
            }
        }
    }

    private static String opcodeName(int op) {
        String hex = String.format("0x%02x", op);
        return op >= 0x21 && op < 0x7f ? hex + " ('" + (char) op + "')" : hex;
    }

    /** GLOBAL: two newline-terminated lines, module and name, looked up in the allowlist and nowhere else. */
    private TorchGlobal global() {
        String module = line();
        String name = line();
        return TorchGlobal.of(module, name).orElseThrow(() -> new PytorchFormatException(file,
                "refused pickle global " + module + "." + name + " in " + entry + ": a checkpoint may use only "
                        + "torch's tensor-rebuild functions, storage types and collections.OrderedDict "
                        + "(nothing was executed)"));
    }

    private String line() {
        long limit = Math.min(data.byteSize(), pos + MAX_GLOBAL_LINE);
        for (long i = pos; i < limit; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                String s = new String(data.asSlice(pos, i - pos).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                pos = i + 1;
                return s;
            }
        }
        throw damaged("a GLOBAL name without its newline");
    }

    private void reduce() {
        Object args = pop();
        Object func = peek();
        if (!(func instanceof TorchGlobal g)) {
            throw refused("REDUCE calling " + describe(func));
        }
        if (!(args instanceof PyTuple t)) {
            throw damaged("REDUCE of " + g.qualifiedName() + " with " + describe(args) + " for arguments");
        }
        stack.set(stack.size() - 1, torch.call(g, t, this));
    }

    /** BUILD sets an object's state; a state dict's OrderedDict carries its {@code _metadata} that way, unused here. */
    private void build() {
        Object state = pop();
        Object target = peek();
        if (!(target instanceof PyDict d && d.ordered())) {
            throw refused("BUILD of " + describe(target) + " (with " + describe(state) + ")");
        }
    }

    private void setItems() {
        List<Object> items = popMark();
        if (items.size() % 2 != 0) {
            throw damaged("SETITEMS with an odd number of items");
        }
        PyDict d = dict();
        for (int i = 0; i < items.size(); i += 2) {
            put(d, items.get(i), items.get(i + 1));
        }
    }

    private void put(PyDict d, Object key, Object value) {
        // Only scalars as keys: they hash safely, whereas a list or tuple could contain itself.
        if (key != null && !(key instanceof String || key instanceof Long || key instanceof BigInteger
                || key instanceof Boolean || key instanceof Double)) {
            throw damaged("a dict key that is " + describe(key));
        }
        d.items().put(key, value);
    }

    private PyDict dict() {
        if (!(peek() instanceof PyDict d)) {
            throw damaged("SETITEM into " + describe(peek()));
        }
        return d;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list() {
        if (!(peek() instanceof ArrayList<?> l)) {
            throw damaged("APPEND to " + describe(peek()));
        }
        return (List<Object>) l;
    }

    private PyTuple tuple(int n) {
        if (stack.size() < n) {
            throw damaged("stack underflow");
        }
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        PyTuple t = new PyTuple(new ArrayList<>(top));
        top.clear();
        return t;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw damaged("no MARK to pop to");
        }
        List<Object> items = stack;
        stack = marks.pop();
        return items;
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw damaged("memo entry " + index + " used before it was set");
        }
        return memo.get(index);
    }

    private Object long1() {
        int n = u8();
        if (n == 0) {
            return 0L;
        }
        byte[] le = data.asSlice(take(n), n).toArray(ValueLayout.JAVA_BYTE);
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String string(long length) {
        return new String(data.asSlice(take(length), length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** Claims the next {@code n} bytes and returns where they start. */
    private long take(long n) {
        if (n > data.byteSize() - pos) {
            throw new PytorchFormatException(file, entry + " ends in the middle of an opcode at byte " + opAt
                    + " (truncated file?)");
        }
        long at = pos;
        pos += n;
        return at;
    }

    private int u8() {
        if (pos >= data.byteSize()) {
            throw new PytorchFormatException(file, entry + " ends at byte " + pos + " before its STOP opcode "
                    + "(truncated file?)");
        }
        return Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, pos++));
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw damaged("stack underflow");
        }
        return stack.removeLast();
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw damaged("stack underflow");
        }
        return stack.getLast();
    }

    /** A refusal of something the pickle asks for, with where. */
    PytorchFormatException refused(String what) {
        return new PytorchFormatException(file, "refused " + what + " at byte " + opAt + " of " + entry
                + ": only state dicts of tensors are read (nothing was executed)");
    }

    /** A pickle whose structure is broken, with where. */
    PytorchFormatException damaged(String what) {
        return new PytorchFormatException(file, "damaged " + entry + ": " + what + " at byte " + opAt);
    }

    /**
     * A value's Python type, for messages: never the value itself, which may be huge or contain itself.
     */
    static String describe(Object o) {
        return switch (o) {
            case null -> "None";
            case TorchGlobal g -> g.qualifiedName();
            case String _ -> "a str";
            case Long _, BigInteger _ -> "an int";
            case Double _ -> "a float";
            case Boolean _ -> "a bool";
            case PyTuple t -> "a tuple of " + t.size();
            case ArrayList<?> _ -> "a list";
            case PyDict d -> d.ordered() ? "an OrderedDict" : "a dict";
            case StorageRef s -> "storage " + s.key();
            case TensorRef t -> "a tensor of shape " + Arrays.toString(t.shape());
            default -> "a " + o.getClass().getSimpleName();
        };
    }
}
