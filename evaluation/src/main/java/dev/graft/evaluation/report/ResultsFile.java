package dev.graft.evaluation.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.graft.evaluation.experiment.EvaluationResults;
import dev.graft.formats.FormatException;
import dev.graft.formats.io.AtomicFile;
import dev.graft.formats.io.FileAccessException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The measured rows as JSON, written beside the report so that the report and charts can be rendered again
 * (after editing the discussion) without re-running the evaluation, and so that others can analyse the numbers.
 */
public final class ResultsFile {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFile() {
    }

    /**
     * Writes {@code results} to {@code file} atomically.
     *
     * @param overwrite replace an existing file; otherwise refuse with {@link dev.graft.formats.io.OutputExistsException}
     */
    public static void write(EvaluationResults results, Path file, boolean overwrite) {
        try {
            AtomicFile.writeString(file, JSON.writeValueAsString(results) + "\n", overwrite);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot encode the results as JSON", e);
        }
    }

    /**
     * Reads results written by {@link #write}.
     *
     * @throws FormatException naming the file when it is not such a file
     */
    public static EvaluationResults read(Path file) {
        try {
            return JSON.readValue(Files.readString(file), EvaluationResults.class);
        } catch (JacksonException e) {
            throw new FormatException(file, "not an evaluation results file (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new FileAccessException(file, "cannot read the results", e);
        }
    }
}
