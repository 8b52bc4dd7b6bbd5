package dev.graft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.formats.json.PythonJson;

import java.io.PrintWriter;

/**
 * Prints the {@code --json} documents in the layout of Python's {@code json.dumps(indent=2)} (and of
 * {@code jq}): one element per line, {@code "key": value}, keys in the order the report builds them.
 */
public final class JsonOutput {
    private JsonOutput() {
    }

    public static void print(JsonNode node, PrintWriter out) {
        out.println(PythonJson.dumps(node, 2, false));
    }
}
