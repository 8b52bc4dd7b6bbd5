package dev.graft.formats.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.formats.io.FileAccessException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the tokenizer files' JSON, and turning Jackson's complaints into one-line messages. */
final class JsonInput {
    /**
     * Field names are not canonicalised: a vocabulary's 150k distinct keys would only fill Jackson's symbol table
     * (and cost time) without ever being looked up again.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();
    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private JsonInput() {
    }

    static byte[] bytes(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read " + what, e);
        }
    }

    /** A whole JSON file as a tree. */
    static JsonNode tree(Path file, String what) {
        return tree(file, bytes(file, what), what);
    }

    /** A file's bytes, already read, as a tree. */
    static JsonNode tree(Path file, byte[] bytes, String what) {
        try (var parser = FACTORY.createParser(bytes)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node != null && parser.nextToken() != null) {
                throw new TokenizerFormatException(file, "invalid JSON: content after the top-level value");
            }
            if (node == null) {
                throw new TokenizerFormatException(file, "invalid JSON: the file is empty");
            }
            return node;
        } catch (JacksonException e) {
            throw invalid(file, e);
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read " + what, e);
        }
    }

    /** "invalid JSON at line 3, column 7: Unexpected end-of-input: expected close marker for Object". */
    static TokenizerFormatException invalid(Path file, JacksonException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int marker = message.indexOf(" (start marker at");
        if (marker >= 0) {
            message = message.substring(0, marker);
        }
        message = message.replaceAll("\\s*\\R\\s*", " ");
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new TokenizerFormatException(file, "invalid JSON" + where + ": " + message, e);
    }
}
