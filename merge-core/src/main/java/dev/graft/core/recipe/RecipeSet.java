package dev.graft.core.recipe;

import dev.graft.core.exec.MergeJob;
import dev.graft.core.exec.MergeOptions;
import dev.graft.core.exec.MergeReport;
import dev.graft.core.method.MethodRegistry;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.ScratchFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A recipe of several YAML documents, as mergekit-multimerge runs them: each document is a recipe, and one with a
 * {@code name} can be used as a model by the others, which then merge what it merged. The documents run in
 * dependency order; the final merge — the one document without a name, or else the one named merge no other uses —
 * goes to the output, the others to a hidden working folder beside it (deleted afterwards) or to a folder the
 * caller keeps.
 *
 * <p>Everything that can be checked before merging is: every document as {@link Recipe#load} checks a recipe,
 * duplicate and missing names, more than one final merge, a cycle, and every model that is neither a file on disk
 * nor an earlier merge — all reported together, naming the document.
 *
 * <pre>{@code
 * RecipeSet set = RecipeSet.load(Path.of("multi.yml"), MethodRegistry.load());
 * set.run(Path.of("final"), MergeOptions.defaults(), Path.of("").toAbsolutePath(), Optional.empty(), true, r -> {});
 * }</pre>
 */
public final class RecipeSet {
    /** A line holding only {@code ---} (and maybe a comment) starts a new YAML document. */
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(?:#.*)?$");

    private final Path file;
    private final List<Recipe> ordered;
    private final Recipe last;

    private RecipeSet(Path file, List<Recipe> ordered, Recipe last) {
        this.file = file;
        this.ordered = List.copyOf(ordered);
        this.last = last;
    }

    /**
     * Reads a recipe file of one or more documents.
     *
     * @param workingDir relative model paths resolve against it
     * @throws RecipeException listing every problem of every document
     * @throws FileAccessException when the file cannot be read
     */
    public static RecipeSet load(Path file, MethodRegistry methods, Path workingDir) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Recipe.load words an unreadable or non-UTF-8 file; let it.
            Recipe single = Recipe.load(file, methods);
            return new RecipeSet(file, List.of(single), single);
        }
        List<String> documents = documents(text);
        if (documents.size() <= 1) {
            Recipe single = Recipe.parse(text, file, methods);
            return new RecipeSet(file, List.of(single), single);
        }
        List<String> problems = new ArrayList<>();
        List<Recipe> recipes = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            try {
                Recipe r = Recipe.parse(documents.get(i), Path.of(file + " (document " + (i + 1) + ")"), methods);
                // Each merge would say so when it starts; a later document's mistake must not wait for the first.
                if (methods.find(r.mergeMethod()).isEmpty()) {
                    problems.add(r.source() + ": merge_method: unknown merge method \"" + r.mergeMethod()
                            + "\"; known: " + String.join(", ", methods.names()));
                }
                recipes.add(r);
            } catch (RecipeException e) {
                problems.addAll(e.problems());
            }
        }
        try {
            RecipeSet set = order(file, recipes, workingDir);
            if (problems.isEmpty()) {
                return set;
            }
        } catch (RecipeException e) {
            problems.addAll(e.problems());
        }
        throw new RecipeException(null, problems);
    }

    /** The documents' texts, without empty ones (a leading {@code ---}, a trailing one). */
    static List<String> documents(String text) {
        List<String> out = new ArrayList<>();
        for (String part : SEPARATOR.split(text, -1)) {
            boolean content = part.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
            if (content) {
                out.add(part);
            }
        }
        return out;
    }

    private static RecipeSet order(Path file, List<Recipe> recipes, Path workingDir) {
        List<String> problems = new ArrayList<>();
        Map<String, Recipe> named = new LinkedHashMap<>();
        List<Recipe> unnamed = new ArrayList<>();
        for (Recipe r : recipes) {
            if (r.name().isEmpty()) {
                unnamed.add(r);
            } else if (named.putIfAbsent(r.name().get(), r) != null) {
                problems.add(r.source() + ": name: \"" + r.name().get() + "\" names an earlier document too");
            }
        }
        if (unnamed.size() > 1) {
            problems.add(file + ": " + unnamed.size() + " documents have no name; only the final merge may go without one");
        }
        Map<Recipe, List<String>> uses = new LinkedHashMap<>();
        for (Recipe r : recipes) {
            List<String> deps = new ArrayList<>();
            for (ModelRef m : references(r)) {
                if (named.containsKey(m.path()) && m.revision().isEmpty()) {
                    deps.add(m.path());
                } else if (!Files.exists(m.resolve(workingDir))) {
                    problems.add(r.source() + ": model \"" + m.path() + "\": no such file or folder, and no document "
                            + "is named so");
                }
            }
            uses.put(r, deps);
        }
        Recipe last = unnamed.size() == 1 ? unnamed.getFirst() : null;
        if (last == null && unnamed.isEmpty()) {
            Set<String> used = new LinkedHashSet<>();
            uses.values().forEach(used::addAll);
            List<Recipe> finals = recipes.stream().filter(r -> !used.contains(r.name().orElseThrow())).toList();
            if (finals.size() == 1) {
                last = finals.getFirst();
            } else if (finals.size() > 1) {
                problems.add(file + ": " + finals.size() + " merges are used by no other ("
                        + String.join(", ", finals.stream().map(r -> r.name().orElseThrow()).toList())
                        + "); leave the name out of the final one");
            }
        }
        List<Recipe> ordered = new ArrayList<>();
        for (Recipe r : recipes) {
            visit(r, named, uses, new ArrayList<>(), ordered, problems);
        }
        if (last == null && problems.isEmpty()) {
            problems.add(file + ": every merge is used by another; leave the name out of the final one");
        }
        if (!problems.isEmpty()) {
            throw new RecipeException(null, problems.stream().distinct().toList());
        }
        return new RecipeSet(file, ordered, last);
    }

    /** Depth first, so that a merge comes after those it uses; documents otherwise keep their order. */
    private static void visit(Recipe r, Map<String, Recipe> named, Map<Recipe, List<String>> uses,
                              List<String> path, List<Recipe> ordered, List<String> problems) {
        String key = r.name().orElse("");
        if (ordered.contains(r)) {
            return;
        }
        if (path.contains(key)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(key), path.size()));
            cycle.add(key);
            problems.add(r.source() + ": merges use each other in a cycle: " + String.join(" → ", cycle));
            return;
        }
        path.add(key);
        for (String dep : uses.get(r)) {
            visit(named.get(dep), named, uses, path, ordered, problems);
        }
        path.removeLast();
        if (!ordered.contains(r)) {
            ordered.add(r);
        }
    }

    private static List<ModelRef> references(Recipe r) {
        List<ModelRef> refs = new ArrayList<>(r.listedModels());
        r.baseModel().filter(b -> !refs.contains(b)).ifPresent(refs::add);
        return refs;
    }

    /** Whether the file holds more than one document. */
    public boolean isMulti() {
        return ordered.size() > 1;
    }

    /** The documents in the order they run; the final merge is last of those it needs. */
    public List<Recipe> ordered() {
        return ordered;
    }

    /** The document whose merge is the output. */
    public Recipe last() {
        return last;
    }

    /** The recipe file. */
    public Path file() {
        return file;
    }

    /**
     * Runs every merge the final one needs, in order, and, with {@code keep}, the named merges nothing uses too.
     *
     * @param keep           where the named merges go (DIR/NAME, kept); empty: a hidden folder beside
     *                       {@code target}, deleted afterwards
     * @param recipeShardSize whether a document's {@code out_shard_size} replaces the options' shard size for its
     *                       merge ({@code false} when the caller chose one, as {@code --shard-size} does)
     * @param finished       told of each merge as it completes
     * @return the reports, in the order the merges ran
     */
    public List<MergeReport> run(Path target, MergeOptions options, Path workingDir, Optional<Path> keep,
                                 boolean recipeShardSize, Consumer<MergeReport> finished) {
        MethodRegistry methods = MethodRegistry.load();
        List<Recipe> toRun = keep.isPresent() ? ordered : needed();
        try (ScratchFolder scratch = keep.isPresent() ? null : ScratchFolder.beside(target)) {
            Path dir = keep.orElseGet(() -> scratch.path());
            Map<String, Path> merged = new LinkedHashMap<>();
            List<MergeReport> reports = new ArrayList<>();
            for (Recipe r : toRun) {
                Path out = r == last ? target : dir.resolve(r.name().orElseThrow());
                MergeOptions o = recipeShardSize && r.outShardSize().isPresent()
                        ? options.withMaxShardBytes(r.outShardSize().getAsLong()) : options;
                MergeReport report = new MergeJob(methods, o)
                        .run(RecipeRequests.toRequest(r, methods, workingDir, merged), out);
                r.name().ifPresent(n -> merged.put(n, out));
                reports.add(report);
                finished.accept(report);
            }
            return reports;
        }
    }

    /** The merges the final one needs, in order, and itself. */
    private List<Recipe> needed() {
        Set<String> wanted = new LinkedHashSet<>();
        List<Recipe> out = new ArrayList<>();
        collect(last, wanted);
        for (Recipe r : ordered) {
            if (r == last || r.name().map(wanted::contains).orElse(false)) {
                out.add(r);
            }
        }
        return out;
    }

    private void collect(Recipe r, Set<String> wanted) {
        for (ModelRef m : references(r)) {
            for (Recipe other : ordered) {
                if (other.name().map(n -> n.equals(m.path())).orElse(false) && m.revision().isEmpty()
                        && wanted.add(m.path())) {
                    collect(other, wanted);
                }
            }
        }
    }
}
