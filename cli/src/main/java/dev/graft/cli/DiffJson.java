package dev.graft.cli;

import dev.graft.core.inspect.ModelDiff;
import dev.graft.core.inspect.TokenizerDiff;
import dev.graft.core.inspect.TensorDelta;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.tensor.TensorSpec;

/**
 * Renders a {@link ModelDiff} as one JSON document. Values JSON cannot hold (an infinite relative change of an
 * all-zero tensor, norms of raw-byte tensors) are {@code null}.
 */
final class DiffJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DiffJson() {
    }

    /** @param top entries of the {@code tensors} array (null: all) */
    static ObjectNode of(ModelDiff d, java.util.Optional<TokenizerDiff> tokens, Integer top) {
        ObjectNode root = F.objectNode();
        root.put("a", d.a());
        root.put("b", d.b());
        root.put("compared", d.compared().size());
        root.put("identical", d.identicalCount());
        number(root, "relative_delta", d.relativeDelta());
        d.onlyInA().forEach(root.putArray("only_in_a")::add);
        d.onlyInB().forEach(root.putArray("only_in_b")::add);
        ArrayNode mismatched = root.putArray("mismatched");
        for (ModelDiff.Mismatch m : d.mismatched()) {
            ObjectNode o = mismatched.addObject();
            o.put("name", m.inA().name());
            o.set("a", spec(m.inA()));
            o.set("b", spec(m.inB()));
            o.put("compared", m.compared());
        }
        tokens.ifPresent(t -> {
            ObjectNode tok = root.putObject("tokenizer");
            tok.put("size_a", t.sizeA());
            tok.put("size_b", t.sizeB());
            t.onlyInA().forEach(tok.putArray("only_in_a")::add);
            t.onlyInB().forEach(tok.putArray("only_in_b")::add);
            ArrayNode moved = tok.putArray("different_ids");
            t.differentIds().forEach(m -> moved.addObject().put("token", m.token()).put("a", m.idA()).put("b", m.idB()));
        });
        ArrayNode tensors = root.putArray("tensors");
        int rows = top == null ? d.compared().size() : Math.min(top, d.compared().size());
        for (TensorDelta t : d.compared().subList(0, rows)) {
            ObjectNode o = tensors.addObject();
            o.put("name", t.name());
            o.put("dtype_a", t.dtypeA().name());
            o.put("dtype_b", t.dtypeB().name());
            ArrayNode shape = o.putArray("shape");
            for (long x : t.shape().dims()) {
                shape.add(x);
            }
            o.put("identical", t.identical());
            number(o, "relative_delta", t.relativeDelta());
            number(o, "max_abs_delta", t.maxAbsDelta());
            number(o, "norm_a", t.normA());
            number(o, "norm_delta", t.normDelta());
        }
        return root;
    }

    private static ObjectNode spec(TensorSpec s) {
        ObjectNode o = F.objectNode();
        o.put("dtype", s.dtype().name());
        ArrayNode shape = o.putArray("shape");
        for (long x : s.shape().dims()) {
            shape.add(x);
        }
        return o;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
