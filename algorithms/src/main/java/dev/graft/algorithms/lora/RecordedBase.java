package dev.graft.algorithms.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.formats.peft.PeftAdapter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** The base model an adapter says it was made from, where that names a path on this machine. */
final class RecordedBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedBase() {
    }

    /**
     * {@code base_model_path} of Graft's {@code graft_extraction.json}, else {@code base_model_name_or_path} when it
     * is an absolute path. Empty for a Hub id, a relative path (relative to a directory nobody recorded) or
     * nothing. The path need not exist.
     */
    static Optional<Path> of(PeftAdapter adapter) {
        Path report = adapter.path().resolve(ExtractionReport.FILE_NAME);
        if (Files.isRegularFile(report)) {
            try {
                JsonNode n = JSON.readTree(Files.readAllBytes(report)).get(ExtractionReport.BASE_FIELD);
                if (n != null && n.isTextual() && Path.of(n.textValue()).isAbsolute()) {
                    return Optional.of(Path.of(n.textValue()));
                }
            } catch (IOException | InvalidPathException e) {
                // only a hint: without it the config's field decides, and failing that the caller asks for --base
            }
        }
        return adapter.config().baseModel().flatMap(RecordedBase::absolutePath);
    }

    private static Optional<Path> absolutePath(String s) {
        try {
            Path p = Path.of(s);
            return p.isAbsolute() ? Optional.of(p) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
