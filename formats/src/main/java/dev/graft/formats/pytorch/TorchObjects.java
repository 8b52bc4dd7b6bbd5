package dev.graft.formats.pytorch;

import dev.graft.formats.dtype.DType;

import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What torch's allowed globals and persistent ids mean, computed rather than run: a persistent id names a
 * {@link StorageRef}, {@code _rebuild_tensor_v2}/{@code _v3} make a {@link TensorRef} over one, a parameter is its
 * tensor, and {@code OrderedDict()} an empty dict. Arguments are checked for the types torch.save writes; the
 * layout (strides, offsets against the storage) is checked later, where the tensor's name is known.
 */
final class TorchObjects {
    private final Map<String, StorageRef> storages = new LinkedHashMap<>();

    /** Every storage the pickle named, by key, in first-use order. */
    Collection<StorageRef> storages() {
        return storages.values();
    }

    /**
     * BINPERSID: {@code ('storage', storage_type, key, location, numel)}, as torch/serialization.py's {@code _save}
     * writes it. The same key may come back (tensors sharing a storage) but must say the same thing.
     */
    Object persistentLoad(Object pid, RestrictedUnpickler at) {
        if (!(pid instanceof PyTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw at.refused("persistent id " + RestrictedUnpickler.describe(pid)
                    + " (torch.save writes ('storage', type, key, location, numel))");
        }
        if (!(t.get(1) instanceof TorchGlobal type)
                || type.role() != TorchGlobal.Role.STORAGE_TYPE && type.role() != TorchGlobal.Role.DTYPE) {
            throw at.damaged("a storage whose type is " + RestrictedUnpickler.describe(t.get(1)));
        }
        if (!(t.get(2) instanceof String key) || !(t.get(3) instanceof String)) {
            throw at.damaged("a storage id whose key or location is not a str");
        }
        long numel = count(t.get(4), "storage " + key + "'s element count", at);
        if (type.dtype() == null) {
            throw at.damaged("storage " + key + " typed as " + type.qualifiedName() + ", which names no element type");
        }
        StorageRef s = new StorageRef(key, type.dtype(), numel);
        StorageRef earlier = storages.putIfAbsent(key, s);
        if (earlier != null && !earlier.equals(s)) {
            throw at.damaged("storage " + key + " declared as " + earlier.numel() + " " + earlier.dtype()
                    + " and again as " + numel + " " + s.dtype());
        }
        return earlier != null ? earlier : s;
    }

    /** REDUCE of an allowed global. */
    Object call(TorchGlobal g, PyTuple args, RestrictedUnpickler at) {
        return switch (g.role()) {
            case ORDERED_DICT -> {
                if (args.size() != 0) {
                    throw at.refused("collections.OrderedDict called with arguments");
                }
                yield new PyDict(true);
            }
            case REBUILD_TENSOR_V2 -> {
                arity(g, args, 6, 7, at);
                StorageRef s = storage(g, args, at);
                yield tensor(g, args, s, s.dtype(), at);
            }
            case REBUILD_TENSOR_V3 -> {
                arity(g, args, 7, 8, at);
                StorageRef s = storage(g, args, at);
                if (!(args.get(6) instanceof TorchGlobal d) || d.role() != TorchGlobal.Role.DTYPE) {
                    throw at.damaged(g.qualifiedName() + " with " + RestrictedUnpickler.describe(args.get(6))
                            + " for its dtype");
                }
                if (s.dtype() != DType.U8) {
                    throw at.damaged(g.qualifiedName() + " over the " + s.dtype() + " storage " + s.key()
                            + "; it views untyped (byte) storages");
                }
                yield tensor(g, args, s, d.dtype(), at);
            }
            case REBUILD_PARAMETER -> {
                arity(g, args, 3, 4, at);
                if (!(args.get(0) instanceof TensorRef t)) {
                    throw at.damaged(g.qualifiedName() + " of " + RestrictedUnpickler.describe(args.get(0)));
                }
                yield t;
            }
            case STORAGE_TYPE, DTYPE -> throw at.refused("calling " + g.qualifiedName());
        };
    }

    private static void arity(TorchGlobal g, PyTuple args, int min, int max, RestrictedUnpickler at) {
        if (args.size() < min || args.size() > max) {
            throw at.damaged(g.qualifiedName() + " called with " + args.size() + " arguments");
        }
    }

    private static StorageRef storage(TorchGlobal g, PyTuple args, RestrictedUnpickler at) {
        if (!(args.get(0) instanceof StorageRef s)) {
            throw at.damaged(g.qualifiedName() + " over " + RestrictedUnpickler.describe(args.get(0))
                    + " rather than a storage");
        }
        return s;
    }

    /** {@code (storage, storage_offset, size, stride, requires_grad, backward_hooks, …)}. */
    private static TensorRef tensor(TorchGlobal g, PyTuple args, StorageRef s, DType dtype, RestrictedUnpickler at) {
        long offset = count(args.get(1), g.qualifiedName() + "'s storage offset", at);
        long[] shape = counts(args.get(2), g.qualifiedName() + "'s size", at);
        long[] stride = counts(args.get(3), g.qualifiedName() + "'s stride", at);
        if (shape.length != stride.length) {
            throw at.damaged(g.qualifiedName() + " with " + shape.length + " sizes and " + stride.length + " strides");
        }
        return new TensorRef(s, dtype, offset, shape, stride);
    }

    private static long[] counts(Object o, String what, RestrictedUnpickler at) {
        if (!(o instanceof PyTuple t)) {
            throw at.damaged(what + " is " + RestrictedUnpickler.describe(o) + ", not a tuple of ints");
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = count(t.get(i), what, at);
        }
        return out;
    }

    /** A non-negative Python int that fits a long. */
    private static long count(Object o, String what, RestrictedUnpickler at) {
        if (o instanceof Long l && l >= 0) {
            return l;
        }
        if (o instanceof Long || o instanceof BigInteger) {
            throw at.damaged(what + " is " + o + ", not a count");
        }
        throw at.damaged(what + " is " + RestrictedUnpickler.describe(o) + ", not an int");
    }
}
