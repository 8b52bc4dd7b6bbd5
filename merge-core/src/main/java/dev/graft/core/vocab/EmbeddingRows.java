package dev.graft.core.vocab;

import dev.graft.formats.tensor.Tensor;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * How each input's embedding-like matrix is rebuilt as {@code [rows, d]} for the output vocabulary, one row per
 * output token id, before the merge method sees it — mergekit's {@code PermutedEmbeddings} ({@code tokenizer/embed.py}):
 *
 * <ol>
 *   <li>an input's own row of the token, where it has the token and the token's setting does not {@code force};</li>
 *   <li>else the token's default row: its {@code tokenizer.tokens} setting; else the row of the only input that has
 *       the token; else the base's row; else the mean of the rows of the inputs that have it; else zeros (the
 *       planner warns);</li>
 *   <li>rows past the vocabulary, up to {@code pad_to_multiple_of}, take the mean of the input's rebuilt real rows.</li>
 * </ol>
 *
 * <p>Decided once per set of inputs from the permutations alone; the rows are then read on demand, a window at a
 * time, straight from the mapped input tensors ({@link Reader}), so a rebuild holds no matrix in memory. Immutable.
 */
public final class EmbeddingRows {
    /** {@link #defaultInput} code: a row of zeros. */
    static final int ZERO = -1;
    /** {@link #defaultInput} code: the mean of the rows of the inputs that have the token. */
    static final int MEAN = -2;

    private final int realRows;
    private final int rows;
    /** own[j][id]: input j's row of output token id, or -1. */
    private final int[][] own;
    private final BitSet forced;
    /** Output ids with a {@code tokenizer.tokens} setting. */
    private final BitSet configured;
    /** Per output id: the input whose row is the default, or {@link #ZERO} / {@link #MEAN}. */
    private final int[] defaultInput;
    /** Per output id with {@code defaultInput >= 0}: the row of that input. */
    private final int[] defaultRow;

    private EmbeddingRows(int realRows, int rows, int[][] own, BitSet forced, BitSet configured, int[] defaultInput,
                          int[] defaultRow) {
        this.realRows = realRows;
        this.rows = rows;
        this.own = own;
        this.forced = forced;
        this.configured = configured;
        this.defaultInput = defaultInput;
        this.defaultRow = defaultRow;
    }

    /**
     * Decides every row by the chain above.
     *
     * @param permutations per input, output id → the input's own row, or -1 where it lacks the token
     * @param baseInput    the base's input index, or -1
     * @param settings     per output id, its resolved {@code tokenizer.tokens} setting, or null
     * @param rows         the rows written: the vocabulary plus padding
     */
    public static EmbeddingRows decide(List<int[]> permutations, int baseInput, RowSetting[] settings, int rows) {
        int n = permutations.size();
        int real = permutations.getFirst().length;
        int[][] own = permutations.toArray(new int[0][]);
        BitSet forced = new BitSet(real);
        BitSet configured = new BitSet(real);
        int[] defInput = new int[real];
        int[] defRow = new int[real];
        for (int id = 0; id < real; id++) {
            RowSetting s = settings[id];
            if (s != null) {
                configured.set(id);
                defInput[id] = s.input();
                defRow[id] = s.row();
                if (s.force()) {
                    forced.set(id);
                }
                continue;
            }
            int present = 0;
            int only = -1;
            for (int j = 0; j < n; j++) {
                if (own[j][id] >= 0) {
                    present++;
                    only = j;
                }
            }
            if (present == 1) {
                defInput[id] = only;
                defRow[id] = own[only][id];
            } else if (present == 0) {
                defInput[id] = ZERO;
            } else if (baseInput >= 0 && own[baseInput][id] >= 0) {
                defInput[id] = baseInput;
                defRow[id] = own[baseInput][id];
            } else {
                defInput[id] = MEAN;
            }
        }
        return new EmbeddingRows(real, rows, own, forced, configured, defInput, defRow);
    }

    /**
     * A token's resolved {@code tokenizer.tokens} setting: a row of one input, or zeros.
     *
     * @param input the input whose row it is, or {@link #ZERO}
     * @param row   that input's row
     * @param force whether inputs that have the token take it too
     */
    public record RowSetting(int input, int row, boolean force) {
        /** A row of zeros. */
        public static RowSetting zero(boolean force) {
            return new RowSetting(ZERO, 0, force);
        }
    }

    /** The vocabulary's rows (the output tokenizer's size). */
    public int realRows() {
        return realRows;
    }

    /** The rows written: {@link #realRows()} plus padding. */
    public int rows() {
        return rows;
    }

    /** The largest row of input {@code j} that a rebuild reads, or -1: its matrix must have more rows than this. */
    public int maxRowRead(int j) {
        int max = -1;
        for (int id = 0; id < realRows; id++) {
            if (own[j][id] > max) {
                max = own[j][id];
            }
            if (defaultInput[id] == j && defaultRow[id] > max) {
                max = defaultRow[id];
            }
        }
        return max;
    }

    /** Output ids that no input has and no setting covers: they are rebuilt as zeros. */
    public int[] zeroRows() {
        return java.util.stream.IntStream.range(0, realRows)
                .filter(id -> !configured.get(id) && !anyHas(id)).toArray();
    }

    /** How many ids of input {@code j} take a row other than its own. */
    public int fallbackCount(int j) {
        int c = 0;
        for (int id = 0; id < realRows; id++) {
            if (own[j][id] < 0 || forced.get(id)) {
                c++;
            }
        }
        return c;
    }

    private boolean anyHas(int id) {
        for (int[] p : own) {
            if (p[id] >= 0) {
                return true;
            }
        }
        return false;
    }

    /** A reader of the rebuilt matrices over the inputs' tensors, for one task (it caches the padding rows). */
    public Reader reader(Tensor[] inputs) {
        return new Reader(inputs);
    }

    /** Reads windows of the rebuilt matrices. Not thread-safe: one per task. */
    public final class Reader {
        private final Tensor[] inputs;
        private final int d;
        private final float[][] padMean;
        private float[] scratch;

        private Reader(Tensor[] inputs) {
            if (inputs.length != own.length) {
                throw new IllegalArgumentException(inputs.length + " tensors for " + own.length + " inputs");
            }
            this.inputs = inputs;
            this.d = Math.toIntExact(inputs[0].shape().dim(1));
            this.padMean = new float[inputs.length][];
        }

        /**
         * Elements {@code [first, first+n)} of input {@code j}'s rebuilt matrix, row-major, into {@code dst[at…]};
         * {@code first} and {@code n} are whole rows.
         */
        public void read(int j, long first, float[] dst, int at, int n) {
            int row = Math.toIntExact(first / d);
            int count = n / d;
            int r = 0;
            while (r < count) {
                int id = row + r;
                int src = id < realRows && !forced.get(id) ? own[j][id] : -1;
                if (src >= 0) {
                    // A run of consecutive own rows (the usual case: a model's ids in the union's order) is one read.
                    int run = 1;
                    while (r + run < count && id + run < realRows && own[j][id + run] == src + run
                            && !forced.get(id + run)) {
                        run++;
                    }
                    inputs[j].readFloats((long) src * d, dst, at + r * d, run * d);
                    r += run;
                    continue;
                }
                if (id >= realRows) {
                    System.arraycopy(padding(j), 0, dst, at + r * d, d);
                } else {
                    defaultRow(id, dst, at + r * d);
                }
                r++;
            }
        }

        private void defaultRow(int id, float[] dst, int at) {
            int input = defaultInput[id];
            if (input >= 0) {
                inputs[input].readFloats((long) defaultRow[id] * d, dst, at, d);
            } else if (input == ZERO) {
                Arrays.fill(dst, at, at + d, 0f);
            } else {
                double[] sum = new double[d];
                int count = 0;
                float[] row = scratch();
                for (int i = 0; i < own.length; i++) {
                    if (own[i][id] >= 0) {
                        inputs[i].readFloats((long) own[i][id] * d, row, 0, d);
                        for (int k = 0; k < d; k++) {
                            sum[k] += row[k];
                        }
                        count++;
                    }
                }
                for (int k = 0; k < d; k++) {
                    dst[at + k] = (float) (sum[k] / count);
                }
            }
        }

        /** The mean of input j's rebuilt real rows, computed on first use (one pass over them). */
        private float[] padding(int j) {
            if (padMean[j] == null) {
                double[] sum = new double[d];
                int window = Math.max(1, (1 << 16) / d);
                float[] buf = new float[window * d];
                for (int id = 0; id < realRows; id += window) {
                    int k = Math.min(window, realRows - id);
                    read(j, (long) id * d, buf, 0, k * d);
                    for (int i = 0; i < k * d; i++) {
                        sum[i % d] += buf[i];
                    }
                }
                float[] mean = new float[d];
                for (int k = 0; k < d; k++) {
                    mean[k] = (float) (sum[k] / realRows);
                }
                padMean[j] = mean;
            }
            return padMean[j];
        }

        private float[] scratch() {
            if (scratch == null) {
                scratch = new float[d];
            }
            return scratch;
        }
    }
}
