package dev.graft.formats.lora;

import dev.graft.formats.peft.LoraModule;
import dev.graft.formats.tensor.FiniteScan;
import dev.graft.formats.tensor.NonFiniteValuesException;
import dev.graft.formats.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What adapters do to one model tensor {@code W}, computed in float32 a band of rows at a time:
 *
 * <pre>
 * V  = k·W + Σ cⱼ·Tⱼ + Σ sᵢ·(BᵢAᵢ as stored)    k = 1 − Σ (weights of modules_to_save tensors)
 * W' = V, or with DoRA  W' = m ⊙ V / ‖V‖        (norm over each row of the [out, in] form: per stored row for
 *                                                 nn.Linear, per stored column for Conv1D and embeddings)
 * </pre>
 *
 * where the {@code Tⱼ} are {@code modules_to_save} tensors ({@code cⱼ} = the adapter's weight) and {@code lora_B}
 * biases ({@code cⱼ} = weight × scaling). The order of the float32 operations is fixed (base, then whole tensors,
 * then products, each in the order the adapters were given), so the same inputs give the same bits however the
 * result is consumed.
 */
final class TensorUpdate {
    /** Band size: 4 MiB of float32, whatever the row length (at least one row). */
    private static final int BAND_ELEMENTS = 1 << 20;

    private record LowRank(LoraModule module, double scale, FactorLayout layout) {
    }

    private record Whole(Tensor tensor, double scale) {
    }

    private record Dora(Tensor magnitude, FactorLayout layout) {
    }

    private final String tensor;
    private final List<LowRank> products = new ArrayList<>();
    private final List<Whole> wholes = new ArrayList<>();
    private final Set<Path> adapters = new LinkedHashSet<>();
    private double keepBase = 1;
    private Dora dora;
    private int terms;

    TensorUpdate(String tensor) {
        this.tensor = tensor;
    }

    /** Adds {@code scale · B·A} of a module, laid out as the stored weight. */
    void addProduct(Path adapter, LoraModule module, double scale, FactorLayout layout) {
        products.add(new LowRank(module, scale, layout));
        note(adapter);
    }

    /** Adds {@code scale · bias} of a {@code lora_B} bias. */
    void addBias(Path adapter, Tensor bias, double scale) {
        wholes.add(new Whole(bias, scale));
        note(adapter);
    }

    /** Moves {@code weight} of the tensor towards a {@code modules_to_save} tensor: {@code W + weight·(S − W)}. */
    void addSaved(Path adapter, Tensor saved, double weight) {
        wholes.add(new Whole(saved, weight));
        keepBase -= weight;
        note(adapter);
    }

    /** Rescales the result with DoRA's magnitude vector, {@code [out]}. */
    void rescale(Tensor magnitude, FactorLayout layout) {
        dora = new Dora(magnitude, layout);
    }

    private void note(Path adapter) {
        adapters.add(adapter);
        terms++;
    }

    /** How many terms change the tensor (a DoRA update must be alone on its weight). */
    int terms() {
        return terms;
    }

    boolean rescaled() {
        return dora != null;
    }

    /**
     * Computes the adapted tensor from {@code w} and hands it to {@code out} band by band.
     *
     * @param model          the model {@code w} is read from, for messages
     * @param allowNonFinite go on when {@code w} holds NaN or infinities, or the result does
     * @throws NonFiniteValuesException when {@code w} holds non-finite values, or the result holds more of them
     *                                  than {@code w} (an overflow), unless allowed
     */
    void compute(Tensor w, Path model, boolean allowNonFinite, AdaptedModel.Bands out) {
        long count = w.elementCount();
        if (count == 0) {
            return;
        }
        int cols = w.shape().rank() == 0 ? 1 : (int) w.shape().dim(w.shape().rank() - 1);
        List<LowRankProduct> lowRank = new ArrayList<>();
        for (LowRank p : products) {
            lowRank.add(LowRankProduct.of(p.module().a(), p.module().b(), p.scale(), p.layout()));
        }
        int bandRows = Math.max(1, BAND_ELEMENTS / Math.max(1, cols));
        float[] band = new float[(int) Math.min(count, (long) bandRows * cols)];
        float[] scratch = wholes.isEmpty() ? null : new float[band.length];
        float[] magnitude = dora == null ? null : dora.magnitude().toFloatArray();
        float[] columnFactors = null;
        if (dora != null && dora.layout() == FactorLayout.TRANSPOSED) {
            // Norms over stored columns need every row first: one pass for the norms, the next for the values.
            double[] squares = new double[cols];
            for (long first = 0; first < count; first += band.length) {
                int n = (int) Math.min(band.length, count - first);
                fill(w, first, n, cols, band, scratch, lowRank);
                for (int i = 0; i < n; i++) {
                    squares[i % cols] += (double) band[i] * band[i];
                }
            }
            columnFactors = new float[cols];
            for (int c = 0; c < cols; c++) {
                columnFactors[c] = (float) (magnitude[c] / Math.sqrt(squares[c]));
            }
        }
        long badBase = 0;
        long badOut = 0;
        for (long first = 0; first < count; first += band.length) {
            int n = (int) Math.min(band.length, count - first);
            badBase += fill(w, first, n, cols, band, scratch, lowRank);
            if (columnFactors != null) {
                for (int i = 0; i < n; i++) {
                    band[i] *= columnFactors[i % cols];
                }
            } else if (magnitude != null) {
                scaleRows(band, n, cols, (int) (first / cols), magnitude);
            }
            badOut += FiniteScan.countNonFinite(band, 0, n);
            out.accept(band, first, n);
        }
        if (badBase > 0 && !allowNonFinite) {
            throw NonFiniteValuesException.input(model, tensor, badBase);
        }
        if (badOut > badBase && !allowNonFinite) {
            throw new NonFiniteValuesException(model, tensor, badOut, "applying " + adapterList() + " to tensor \""
                    + tensor + "\" gave " + badOut + " non-finite values from finite inputs (do the adapter weights "
                    + "overflow float32?); nothing was written");
        }
    }

    /** {@code V} for elements {@code [first, first + n)}; returns how many values of {@code W} were not finite. */
    private int fill(Tensor w, long first, int n, int cols, float[] band, float[] scratch, List<LowRankProduct> lowRank) {
        w.readFloats(first, band, 0, n);
        int bad = FiniteScan.countNonFinite(band, 0, n);
        if (keepBase != 1) {
            float k = (float) keepBase;
            for (int i = 0; i < n; i++) {
                band[i] *= k;
            }
        }
        for (Whole t : wholes) {
            t.tensor().readFloats(first, scratch, 0, n);
            float s = (float) t.scale();
            for (int i = 0; i < n; i++) {
                band[i] += s * scratch[i];
            }
        }
        for (LowRankProduct p : lowRank) {
            p.addRows((int) (first / cols), n / cols, band);
        }
        return bad;
    }

    /** DoRA on stored rows: row {@code i} times {@code m[i] / ‖row i‖}. */
    private static void scaleRows(float[] band, int n, int cols, int firstRow, float[] magnitude) {
        for (int off = 0, row = firstRow; off < n; off += cols, row++) {
            double squares = 0;
            for (int c = 0; c < cols; c++) {
                squares += (double) band[off + c] * band[off + c];
            }
            float factor = (float) (magnitude[row] / Math.sqrt(squares));
            for (int c = 0; c < cols; c++) {
                band[off + c] *= factor;
            }
        }
    }

    private String adapterList() {
        List<String> names = adapters.stream().map(Path::toString).toList();
        return (names.size() == 1 ? "adapter " : "adapters ") + String.join(", ", names);
    }
}
