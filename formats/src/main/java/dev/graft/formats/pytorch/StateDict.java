package dev.graft.formats.pytorch;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors of an unpickled checkpoint: a dict (or OrderedDict) of tensor names to tensors, as
 * {@code model.state_dict()} and transformers' shards are saved, or such a dict under a {@code "state_dict"} key, as
 * training frameworks wrap it (mergekit reads that wrapper too).
 */
final class StateDict {
    static final String WRAPPER_KEY = "state_dict";

    private StateDict() {
    }

    /**
     * @throws PytorchFormatException when {@code root} is not a dict of str to tensors, naming the first entry that
     *                                is not
     */
    static Map<String, TensorRef> tensors(Path file, Object root) {
        if (!(root instanceof PyDict dict)) {
            throw new PytorchFormatException(file, "holds " + RestrictedUnpickler.describe(root)
                    + ", not a state dict (a dict of tensor names to tensors)");
        }
        if (dict.items().get(WRAPPER_KEY) instanceof PyDict inner) {
            dict = inner;
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : dict.items().entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new PytorchFormatException(file, "state dict has a key that is "
                        + RestrictedUnpickler.describe(e.getKey()) + ", not a tensor name");
            }
            if (!(e.getValue() instanceof TensorRef t)) {
                throw new PytorchFormatException(file, "state dict entry \"" + name + "\" is "
                        + RestrictedUnpickler.describe(e.getValue()) + ", not a tensor");
            }
            out.put(name, t);
        }
        return out;
    }
}
