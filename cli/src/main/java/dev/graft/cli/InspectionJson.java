package dev.graft.cli;

import dev.graft.core.inspect.Inspection;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.formats.model.Architecture;
import dev.graft.formats.tensor.TensorSpec;

import java.util.regex.Pattern;

/**
 * Renders an {@link Inspection} as one JSON document, for scripts. Field names are snake_case like the Hugging
 * Face files; sizes are exact byte counts.
 */
final class InspectionJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private InspectionJson() {
    }

    /**
     * @param listTensors include the {@code tensors} array
     * @param filter      only tensors whose name contains a match are included (null: all)
     */
    static ObjectNode of(Inspection in, boolean listTensors, Pattern filter) {
        ObjectNode root = F.objectNode();
        root.put("path", in.path());
        root.put("kind", in.kind().label());
        ArrayNode files = root.putArray("files");
        for (Inspection.FileEntry f : in.files()) {
            files.addObject().put("name", f.name()).put("bytes", f.bytes());
        }
        in.architecture().ifPresent(a -> root.set("architecture", architecture(a)));
        if (in.kind() == Inspection.Kind.MODEL) {
            root.put("config_dtype", in.configDtype().map(d -> d.torchName()).orElse(null));
        }
        if (in.kind() == Inspection.Kind.PEFT_ADAPTER) {
            ObjectNode adapter = root.putObject("adapter");
            in.adapter().forEach(adapter::set);
        }
        in.tokenizer().ifPresent(t -> {
            ObjectNode tok = root.putObject("tokenizer");
            tok.put("files", t.kind().name().toLowerCase(java.util.Locale.ROOT));
            tok.put("size", t.size());
            tok.put("model_vocab_size", t.modelVocabSize());
            if (t.configVocabSize().isPresent()) {
                tok.put("config_vocab_size", t.configVocabSize().getAsInt());
            } else {
                tok.putNull("config_vocab_size");
            }
            ArrayNode added = tok.putArray("added_tokens");
            t.added().forEach((id, a) -> added.addObject().put("id", id).put("content", a.content())
                    .put("special", a.special()));
            ArrayNode templates = tok.putArray("chat_templates");
            t.chatTemplates().forEach(templates::add);
            tok.put("problem", t.problem().orElse(null));
        });
        root.put("tensor_count", in.tensors().size());
        root.put("parameters", in.parameters());
        root.put("tensor_bytes", in.tensorBytes());
        ObjectNode md = root.putObject("metadata");
        in.metadata().forEach(md::put);
        ArrayNode dtypes = root.putArray("dtypes");
        for (Inspection.DTypeShare d : in.byDtype()) {
            dtypes.addObject().put("dtype", d.dtype().name()).put("tensors", d.tensors())
                    .put("parameters", d.parameters()).put("bytes", d.bytes());
        }
        if (listTensors) {
            ArrayNode tensors = root.putArray("tensors");
            for (TensorSpec t : in.tensors()) {
                if (filter == null || filter.matcher(t.name()).find()) {
                    ObjectNode o = tensors.addObject().put("name", t.name()).put("dtype", t.dtype().name());
                    ArrayNode shape = o.putArray("shape");
                    for (long d : t.shape().dims()) {
                        shape.add(d);
                    }
                    o.put("parameters", t.elementCount()).put("bytes", t.byteSize());
                }
            }
        }
        return root;
    }

    private static ObjectNode architecture(Architecture a) {
        ObjectNode o = F.objectNode();
        o.put("family", a.family());
        o.put("class", a.className().orElse(null));
        o.put("source", a.source().name().toLowerCase(java.util.Locale.ROOT));
        o.put("layers", a.layers());
        ArrayNode w = o.putArray("warnings");
        a.warnings().forEach(w::add);
        return o;
    }
}
