package dev.graft.formats.lora;

import dev.graft.formats.dtype.FloatCodec;
import dev.graft.formats.model.ForwardingModelSource;
import dev.graft.formats.model.ModelSource;
import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.tensor.FiniteScan;
import dev.graft.formats.tensor.NonFiniteValuesException;
import dev.graft.formats.tensor.Shape;
import dev.graft.formats.tensor.Tensor;
import dev.graft.formats.tensor.TensorSpec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A model with PEFT LoRA adapters applied as its tensors are read, so that it can be merged, inspected or written
 * like a checkpoint that has them merged in, without such a checkpoint ever existing: the model's tensors, names,
 * dtypes and shapes, with {@code W + Σ wᵢ·sᵢ·Bᵢ·Aᵢ} in place of every adapted weight (PEFT's scaling
 * {@code sᵢ = lora_alpha/r}, {@code lora_alpha/√r} with rsLoRA, per module through {@code rank_pattern} and
 * {@code alpha_pattern}; transposed for {@code fan_in_fan_out} and embedding modules), {@code lora_B} biases added to
 * the biases, {@code modules_to_save} tensors moving the model's by their weight ({@code W + wᵢ·(Sᵢ − W)}: one
 * adapter of weight 1 replaces them, as PEFT does) and DoRA's magnitude vectors rescaling the adapted weight,
 * {@code m ⊙ V/‖V‖}.
 *
 * <p>An adapted tensor is computed in float32 and rounded once to the model's dtype for that tensor: its bytes are
 * exactly those {@code graft lora apply} writes. Opening checks every adapter against the model (each adapted
 * tensor exists and has the shape the factors make; the factors are finite), so a wrong adapter is refused before
 * any work. Nothing the size of the model is held: {@link #tensor(String, Arena)} computes one tensor into the
 * caller's arena, {@link #stream} hands it over a band of rows at a time.
 *
 * <pre>{@code
 * try (ModelSource m = AdaptedModel.open(Path.of("Llama-3-8B"), Path.of("math-lora"), false)) {
 *     Tensor q = m.tensor("model.layers.0.self_attn.q_proj.weight", arena);   // W + s·B·A
 * }
 * }</pre>
 *
 * <p>Thread-safe: tensors may be read from several threads at once, each into its own arena.
 */
public final class AdaptedModel extends ForwardingModelSource {
    private final List<AdapterContents> adapters;
    private final Map<String, TensorUpdate> updates;
    private final boolean allowNonFinite;

    private AdaptedModel(ModelSource model, List<AdapterContents> adapters, Map<String, TensorUpdate> updates,
                         boolean allowNonFinite) {
        super(model);
        this.adapters = List.copyOf(adapters);
        this.updates = Collections.unmodifiableMap(updates);
        this.allowNonFinite = allowNonFinite;
    }

    /**
     * Opens a model with one adapter of weight 1: mergekit's {@code model+lora}.
     *
     * @param allowNonFinite accept NaN and infinities in the adapter, the model and the result
     * @throws AdapterMismatchException when the adapter does not fit the model
     */
    public static AdaptedModel open(Path model, Path adapter, boolean allowNonFinite) {
        return of(ModelSource.open(model), List.of(adapter), List.of(1.0), allowNonFinite);
    }

    /**
     * Applies adapters with weights to an opened model, which the result owns from then on (it is closed with it,
     * and also when this throws).
     *
     * @param weights one per adapter (negative subtracts); a DoRA adapter only at weight 1, alone on its weights
     * @throws AdapterMismatchException when an adapter names a tensor the model lacks, has factors of another
     *                                  shape, or is DoRA and not alone at weight 1 on a weight
     */
    public static AdaptedModel of(ModelSource model, List<Path> adapters, List<Double> weights, boolean allowNonFinite) {
        if (adapters.size() != weights.size()) {
            model.close();
            throw new IllegalArgumentException(adapters.size() + " adapters but " + weights.size() + " weights");
        }
        List<AdapterContents> opened = new ArrayList<>();
        try {
            for (Path a : adapters) {
                opened.add(AdapterContents.open(a));
            }
            Map<String, TensorUpdate> updates = new TreeMap<>();
            for (int i = 0; i < opened.size(); i++) {
                plan(model, opened.get(i), weights.get(i), allowNonFinite, updates);
            }
            return new AdaptedModel(model, opened, updates, allowNonFinite);
        } catch (RuntimeException e) {
            opened.forEach(AdapterContents::close);
            model.close();
            throw e;
        }
    }

    private static void plan(ModelSource model, AdapterContents a, double w, boolean allowNonFinite,
                             Map<String, TensorUpdate> updates) {
        for (LoraModule m : a.modules().values()) {
            String name = m.module() + ".weight";
            FactorLayout layout = a.layout(m);
            TensorSpec spec = spec(model, a, "module \"" + m.module() + "\"", name);
            long out = m.b().shape().dim(0);
            long in = m.a().shape().dim(1);
            Shape expected = layout == FactorLayout.LINEAR ? Shape.of(out, in) : Shape.of(in, out);
            if (!spec.shape().equals(expected)) {
                throw new AdapterMismatchException(a.weightsFile(), "LoRA factors of \"" + m.module() + "\" make "
                        + (layout == FactorLayout.LINEAR ? "" : "the transpose of ") + "a [" + out + ", " + in
                        + "] delta, but tensor \"" + name + "\" of " + model.path() + " is " + spec.shape());
            }
            requireFinite(a, m.a(), allowNonFinite);
            requireFinite(a, m.b(), allowNonFinite);
            TensorUpdate u = updates.computeIfAbsent(name, TensorUpdate::new);
            u.addProduct(a.path(), m, w * m.scaling(), layout);
            Tensor magnitude = a.magnitudes().get(m.module());
            if (magnitude != null) {
                requireFinite(a, magnitude, allowNonFinite);
                if (w != 1) {
                    throw new AdapterMismatchException(a.weightsFile(), "module \"" + m.module() + "\" is DoRA, "
                            + "whose magnitudes replace the norms of \"" + name + "\"; it applies at weight 1 only, "
                            + "not " + w);
                }
                u.rescale(magnitude, layout);
            }
        }
        for (Map.Entry<String, Tensor> e : a.biases().entrySet()) {
            String name = e.getKey() + ".bias";
            TensorSpec spec = spec(model, a, "the lora_B bias of module \"" + e.getKey() + "\"", name);
            if (!spec.shape().equals(e.getValue().shape())) {
                throw new AdapterMismatchException(a.weightsFile(), "tensor \"" + e.getValue().name() + "\" is "
                        + e.getValue().shape() + " but \"" + name + "\" of " + model.path() + " is " + spec.shape());
            }
            requireFinite(a, e.getValue(), allowNonFinite);
            double scaling = a.modules().get(e.getKey()).scaling();
            updates.computeIfAbsent(name, TensorUpdate::new).addBias(a.path(), e.getValue(), w * scaling);
        }
        for (Map.Entry<String, Tensor> e : a.saved().entrySet()) {
            TensorSpec spec = spec(model, a, "modules_to_save tensor \"" + e.getValue().name() + "\"", e.getKey());
            if (!spec.shape().equals(e.getValue().shape())) {
                throw new AdapterMismatchException(a.weightsFile(), "modules_to_save tensor \""
                        + e.getValue().name() + "\" is " + e.getValue().shape() + " but \"" + e.getKey()
                        + "\" of " + model.path() + " is " + spec.shape());
            }
            requireFinite(a, e.getValue(), allowNonFinite);
            updates.computeIfAbsent(e.getKey(), TensorUpdate::new).addSaved(a.path(), e.getValue(), w);
        }
        for (Map.Entry<String, TensorUpdate> e : updates.entrySet()) {
            if (e.getValue().rescaled() && e.getValue().terms() > 1) {
                throw new AdapterMismatchException(a.weightsFile(), "tensor \"" + e.getKey() + "\" has a DoRA "
                        + "update, which rescales the whole weight, and another adapter's update; apply a DoRA "
                        + "adapter alone");
            }
        }
    }

    private static TensorSpec spec(ModelSource model, AdapterContents a, String what, String name) {
        TensorSpec spec = model.spec(name).orElseThrow(() -> new AdapterMismatchException(a.weightsFile(), what
                + " adapts tensor \"" + name + "\", which the model " + model.path() + " does not have"));
        if (!spec.dtype().hasFloatCodec()) {
            throw new AdapterMismatchException(a.weightsFile(), what + " adapts tensor \"" + name + "\" of "
                    + model.path() + ", which is " + spec.dtype() + " and has no float values to add to");
        }
        return spec;
    }

    /** Adapters are small: all their tensors are checked before any work. */
    private static void requireFinite(AdapterContents a, Tensor t, boolean allowNonFinite) {
        if (!allowNonFinite) {
            FiniteScan.requireFinite(a.weightsFile(), t);
        }
    }

    /** Whether an adapter changes this tensor. */
    public boolean adapts(String name) {
        return updates.containsKey(name);
    }

    /** The names of the tensors the adapters change. */
    public Set<String> adaptedTensors() {
        return updates.keySet();
    }

    /** The model without the adapters. */
    public ModelSource model() {
        return model;
    }

    /** The adapter folders, in the order given. */
    public List<Path> adapters() {
        return adapters.stream().map(AdapterContents::path).toList();
    }

    /**
     * Hands the adapted tensor's values over a band of whole rows at a time, as float32 before rounding to the
     * model's dtype; a tensor no adapter changes comes as the model has it.
     *
     * @throws NonFiniteValuesException as {@link #tensor(String, Arena)}, and for a tensor no adapter changes that
     *                                  holds NaN or infinities, unless allowed at open
     */
    public void stream(String name, Arena arena, Bands out) {
        Tensor w = model.tensor(name, arena);
        updates.getOrDefault(name, new TensorUpdate(name)).compute(w, model.path(), allowNonFinite, out);
    }

    /** Receives a tensor's values in order: {@code values[0, count)} are elements {@code [first, first + count)}. */
    @FunctionalInterface
    public interface Bands {
        void accept(float[] values, long first, int count);
    }

    /** The model's inputs and the adapter folders: an output may go inside none of them. */
    @Override
    public List<Path> inputs() {
        List<Path> all = new ArrayList<>(model.inputs());
        all.addAll(adapters());
        return all;
    }

    /** The tensor, adapted into memory that the garbage collector frees (prefer {@link #tensor(String, Arena)}). */
    @Override
    public Tensor tensor(String name) {
        return tensor(name, Arena.ofAuto());
    }

    /**
     * The tensor: mapped from the model when no adapter changes it, else computed into a buffer of its size in
     * {@code arena} (closing the arena frees it).
     *
     * @throws NonFiniteValuesException when the model's tensor holds NaN or infinities, or applying the adapters
     *                                  makes more of them (an overflow), unless allowed at open
     */
    @Override
    public Tensor tensor(String name, Arena arena) {
        TensorUpdate u = updates.get(name);
        Tensor w = model.tensor(name, arena);
        if (u == null) {
            return w;
        }
        MemorySegment data = arena.allocate(w.spec().byteSize());
        FloatCodec codec = FloatCodec.of(w.dtype());
        long width = w.dtype().byteSize();
        u.compute(w, model.path(), allowNonFinite, (values, first, count) ->
                codec.encode(values, 0, count, data, first * width));
        return new Tensor(w.spec(), data);
    }

    @Override
    public void close() {
        adapters.forEach(AdapterContents::close);
        model.close();
    }

    @Override
    public String toString() {
        return model.path() + "+" + String.join("+", adapters().stream().map(Path::toString).toList());
    }
}
