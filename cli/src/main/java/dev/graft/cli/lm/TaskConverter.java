package dev.graft.cli.lm;

import dev.graft.evaluation.text.TextTask;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Iterator;

/** {@code --task NAME}: one of the evaluation's text tasks, by id; the error lists them. */
final class TaskConverter implements ITypeConverter<TextTask> {
    @Override
    public TextTask convert(String value) {
        return TextTask.byId(value).orElseThrow(() -> new TypeConversionException("unknown task '" + value
                + "': expected one of " + String.join(", ", TextTask.ids())));
    }

    /** The task ids, for picocli's completion and the help's list. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return TextTask.ids().iterator();
        }
    }
}
