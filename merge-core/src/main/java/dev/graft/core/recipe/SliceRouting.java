package dev.graft.core.recipe;

import dev.graft.core.plan.ParameterSource;
import dev.graft.core.plan.PlanException;
import dev.graft.core.plan.Routing;
import dev.graft.core.plan.TensorRoute;
import dev.graft.formats.model.Architecture;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.tensor.NaturalOrder;
import dev.graft.formats.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * mergekit's {@code slices:}: the output's blocks are the slices' blocks in order, block {@code k} of a slice
 * merged from block {@code layer_range.start + k} of each of its sources (renamed to its output index).
 * Tensors before the blocks (embeddings) come from the first slice's sources and parameters, tensors after them
 * (final norm, output head) from the last slice's, both at {@code t = 0}, as mergekit plans them.
 */
final class SliceRouting implements Routing {
    private final Recipe recipe;
    private final List<ModelRef> models;

    /** @param models the request's models, in order (indices in routes refer to them) */
    SliceRouting(Recipe recipe, List<ModelRef> models) {
        this.recipe = recipe;
        this.models = List.copyOf(models);
    }

    @Override
    public int outputLayers() {
        return recipe.slices().orElseThrow().stream().mapToInt(OutputSlice::layerCount).sum();
    }

    @Override
    public List<TensorRoute> routes(List<ModelSource> sources) {
        List<OutputSlice> slices = recipe.slices().orElseThrow();
        checkRanges(slices, sources);
        List<TensorRoute> routes = new ArrayList<>();
        OutputSlice first = slices.getFirst();
        OutputSlice last = slices.getLast();
        ModelSource firstRef = sources.get(index(first.sources().getFirst().model()));
        ModelSource lastRef = sources.get(index(last.sources().getFirst().model()));
        for (TensorSpec s : sorted(firstRef)) {
            if (Architecture.blockIndex(s.name()).isEmpty() && beforeBlocks(s.name())) {
                routes.add(sameName(first, s.name()));
            }
        }
        int offset = 0;
        for (OutputSlice slice : slices) {
            InputSlice lead = slice.sources().getFirst();
            ModelSource leadModel = sources.get(index(lead.model()));
            for (int k = 0; k < slice.layerCount(); k++) {
                int leadLayer = lead.layerRange().layer(k);
                double t = GradientT.forLayer(k, slice.layerCount());
                for (TensorSpec s : sorted(leadModel)) {
                    OptionalInt block = Architecture.blockIndex(s.name());
                    if (block.isEmpty() || block.getAsInt() != leadLayer) {
                        continue;
                    }
                    List<Integer> ms = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    for (InputSlice src : slice.sources()) {
                        ms.add(index(src.model()));
                        names.add(Architecture.withBlockIndex(s.name(), src.layerRange().layer(k)));
                    }
                    routes.add(new TensorRoute(Architecture.withBlockIndex(s.name(), offset + k), ms, names,
                            baseOf(slice), parameters(slice), t, offset + k));
                }
            }
            offset += slice.layerCount();
        }
        for (TensorSpec s : sorted(lastRef)) {
            if (Architecture.blockIndex(s.name()).isEmpty() && !beforeBlocks(s.name())) {
                routes.add(sameName(last, s.name()));
            }
        }
        return routes;
    }

    /** Embeddings precede the blocks; everything else outside them (final norm, output head) follows. */
    private static boolean beforeBlocks(String name) {
        return name.contains("embed") || name.contains("wte") || name.contains("wpe");
    }

    private TensorRoute sameName(OutputSlice slice, String name) {
        List<Integer> ms = new ArrayList<>();
        for (InputSlice src : slice.sources()) {
            ms.add(index(src.model()));
        }
        return new TensorRoute(name, ms, java.util.Collections.nCopies(ms.size(), name), baseOf(slice),
                parameters(slice), GradientT.OUTSIDE_BLOCKS, -1);
    }

    /** The slice's base model as an index into its sources, or -1 (mergekit requires it to be a source). */
    private int baseOf(OutputSlice slice) {
        Optional<ModelRef> base = slice.baseModel().or(recipe::baseModel);
        if (base.isEmpty()) {
            return -1;
        }
        List<ModelRef> refs = slice.models();
        return refs.indexOf(base.get());
    }

    private ParameterSource parameters(OutputSlice slice) {
        return new ResolvedParameters(recipe.resolver(slice), models);
    }

    private void checkRanges(List<OutputSlice> slices, List<ModelSource> sources) {
        List<String> problems = new ArrayList<>();
        for (int s = 0; s < slices.size(); s++) {
            for (InputSlice src : slices.get(s).sources()) {
                int layers = Architecture.of(sources.get(index(src.model()))).layers();
                if (src.layerRange().end() > layers) {
                    problems.add("slices[" + s + "]: " + src.model() + " has " + layers + " layers; layer_range "
                            + src.layerRange() + " asks for more");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PlanException(problems);
        }
    }

    private int index(ModelRef ref) {
        return models.indexOf(ref);
    }

    private static List<TensorSpec> sorted(ModelSource m) {
        List<TensorSpec> specs = new ArrayList<>(m.tensors());
        specs.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.name(), b.name()));
        return specs;
    }
}
