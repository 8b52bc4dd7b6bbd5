package dev.graft.formats.pytorch;

import dev.graft.formats.dtype.DType;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A pickle global that a checkpoint may name: torch's tensor-rebuild functions, {@code collections.OrderedDict},
 * and the storage types and dtypes that say what a storage holds — the subset of
 * {@code torch.load(weights_only=True)}'s allowlist that a state dict uses. Nothing is ever looked up by name beyond
 * this table, so no other code can be reached, whatever the pickle says.
 *
 * @param qualifiedName {@code module.name}, as the pickle spells it
 * @param role          what the global does when the pickle calls it or passes it
 * @param dtype         the element type, for storage types and dtypes; null for {@code TypedStorage}, which carries
 *                      none, and for the functions
 */
record TorchGlobal(String qualifiedName, Role role, DType dtype) {

    /** What a global stands for. */
    enum Role {
        /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
        REBUILD_TENSOR_V2,
        /** {@code torch._utils._rebuild_tensor_v3(…, hooks, dtype[, metadata])}: a byte storage viewed as {@code dtype}. */
        REBUILD_TENSOR_V3,
        /** {@code torch._utils._rebuild_parameter(data, requires_grad, hooks[, state])}: the tensor itself. */
        REBUILD_PARAMETER,
        /** {@code collections.OrderedDict}: called with no arguments, it makes an empty dict. */
        ORDERED_DICT,
        /** A storage class, only meaningful inside a storage's persistent id. */
        STORAGE_TYPE,
        /** A {@code torch.dtype}, the element type argument of {@code _rebuild_tensor_v3}. */
        DTYPE
    }

    private static final Map<String, TorchGlobal> ALLOWED = allowed();

    private static Map<String, TorchGlobal> allowed() {
        Map<String, TorchGlobal> m = new HashMap<>();
        put(m, "torch._utils._rebuild_tensor_v2", Role.REBUILD_TENSOR_V2, null);
        put(m, "torch._utils._rebuild_tensor_v3", Role.REBUILD_TENSOR_V3, null);
        put(m, "torch._utils._rebuild_parameter", Role.REBUILD_PARAMETER, null);
        put(m, "torch._utils._rebuild_parameter_with_state", Role.REBUILD_PARAMETER, null);
        put(m, "collections.OrderedDict", Role.ORDERED_DICT, null);
        // The legacy typed storage classes torch.save still names in persistent ids (torch/storage.py's
        // _dtype_to_storage_type_map); complex and quantized ones are left out, Graft has no use for them.
        Map<String, DType> legacy = Map.of("DoubleStorage", DType.F64, "FloatStorage", DType.F32,
                "HalfStorage", DType.F16, "BFloat16Storage", DType.BF16, "LongStorage", DType.I64,
                "IntStorage", DType.I32, "ShortStorage", DType.I16, "CharStorage", DType.I8,
                "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);
        legacy.forEach((name, dtype) -> put(m, "torch." + name, Role.STORAGE_TYPE, dtype));
        // Newer dtypes are saved as an untyped (byte) storage paired with a torch.dtype.
        put(m, "torch.UntypedStorage", Role.STORAGE_TYPE, DType.U8);
        put(m, "torch.storage.UntypedStorage", Role.STORAGE_TYPE, DType.U8);
        put(m, "torch.storage.TypedStorage", Role.STORAGE_TYPE, null);
        Map<String, DType> dtypes = new HashMap<>(Map.of("float64", DType.F64, "float32", DType.F32,
                "float16", DType.F16, "bfloat16", DType.BF16, "int64", DType.I64, "int32", DType.I32,
                "int16", DType.I16, "int8", DType.I8, "uint8", DType.U8, "bool", DType.BOOL));
        dtypes.putAll(Map.of("uint16", DType.U16, "uint32", DType.U32, "uint64", DType.U64,
                "float8_e4m3fn", DType.F8_E4M3, "float8_e5m2", DType.F8_E5M2, "float8_e4m3fnuz", DType.F8_E4M3FNUZ,
                "float8_e5m2fnuz", DType.F8_E5M2FNUZ, "float8_e8m0fnu", DType.F8_E8M0));
        dtypes.forEach((name, dtype) -> put(m, "torch." + name, Role.DTYPE, dtype));
        return Map.copyOf(m);
    }

    private static void put(Map<String, TorchGlobal> m, String name, Role role, DType dtype) {
        m.put(name, new TorchGlobal(name, role, dtype));
    }

    /** The allowed global of that name, if it is one. */
    static Optional<TorchGlobal> of(String module, String name) {
        return Optional.ofNullable(ALLOWED.get(module + "." + name));
    }
}
