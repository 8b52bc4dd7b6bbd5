package dev.graft.evaluation.llama;

import java.util.Arrays;

/**
 * The forward and backward pass of a Llama decoder on one sequence, in float64 so that finite differences check
 * its gradients to many digits; the weights are float32 on disk and widened once per step
 * ({@link LlamaWeights#widened()}). What it computes is {@code LlamaForCausalLM}'s forward:
 * <pre>
 * x₀ = E[tokens]
 * per layer:  a = RMSNorm(x)·w_in;   q, k, v = RoPE(a·Wqᵀ), RoPE(a·Wkᵀ), a·Wvᵀ
 *             o = softmax(q·kᵀ/√d_head + causal mask)·v   (query head h reads key/value head h / (heads/kvHeads))
 *             x ← x + o·Woᵀ
 *             b = RMSNorm(x)·w_post;   x ← x + (silu(b·Wgateᵀ) ⊙ b·Wupᵀ)·Wdownᵀ
 * logits = RMSNorm(x)·w_norm·lm_headᵀ
 * </pre>
 * Positions are computed incrementally: {@link #run} on {@code [from, to)} reuses the keys and values it stored for
 * earlier positions, which is the key/value cache greedy decoding needs; {@link #extend} finds by itself how much
 * of a new sequence the cache already holds, so that sequences with a common prefix (a task's fixed prompt format)
 * compute it once. A position's values depend only on the tokens up to it, and every sum runs in the same order
 * whether positions are run one by one or together, so reused and recomputed positions have the same bits. Not
 * thread-safe: one pass per thread, the widened weights shared.
 */
public final class LlamaPass {
    private final LlamaShape s;
    private final RotaryTable rope;
    private final int capacity;
    private final int d;
    private final int qd;
    private final int kvd;
    private final int inner;
    private final int hd;
    private final int group;
    private final double attnScale;

    private final int[] tokens;
    private final double[][] xIn;
    private final double[][] a;
    private final double[][] q;
    private final double[][] k;
    private final double[][] v;
    private final double[][] o;
    private final double[][] xMid;
    private final double[][] b;
    private final double[][] gate;
    private final double[][] up;
    private final double[][] m;
    private final double[][] r1;
    private final double[][] r2;
    private final double[][] probs;
    private final double[] xOut;
    private final double[] f;
    private final double[] rf;
    /** A projection's output before it joins the residual stream; not needed afterwards. */
    private final double[] scratch;
    private final double[] logits;
    /** The weights, and their {@link WideWeights#version()}, that computed the positions {@link #held} counts. */
    private WideWeights heldWeights;
    private long heldVersion;
    /** Leading positions whose stored values are those of {@code tokens[0, held)} under {@link #heldWeights}. */
    private int held;

    // backward workspace
    private final double[] dx;
    private final double[] dBuf;
    private final double[] dO;
    private final double[] dQ;
    private final double[] dK;
    private final double[] dV;
    private final double[] dM;
    private final double[] dG;
    private final double[] dU;
    private final double[] dp;

    /**
     * @param capacity the longest sequence this pass will see, at most {@code shape.maxPositions()}
     */
    public LlamaPass(LlamaShape shape, int capacity) {
        if (capacity <= 0 || capacity > shape.maxPositions()) {
            throw new IllegalArgumentException("capacity " + capacity + " outside 1 to the model's "
                    + shape.maxPositions() + " positions");
        }
        this.s = shape;
        this.capacity = capacity;
        this.d = shape.hidden();
        this.hd = shape.headDim();
        this.qd = shape.heads() * hd;
        this.kvd = shape.kvDim();
        this.inner = shape.intermediate();
        this.group = shape.heads() / shape.kvHeads();
        this.attnScale = 1 / Math.sqrt(hd);
        this.rope = new RotaryTable(hd, capacity, shape.ropeTheta());
        int layers = shape.layers();
        tokens = new int[capacity];
        xIn = new double[layers][capacity * d];
        a = new double[layers][capacity * d];
        q = new double[layers][capacity * qd];
        k = new double[layers][capacity * kvd];
        v = new double[layers][capacity * kvd];
        o = new double[layers][capacity * qd];
        xMid = new double[layers][capacity * d];
        b = new double[layers][capacity * d];
        gate = new double[layers][capacity * inner];
        up = new double[layers][capacity * inner];
        m = new double[layers][capacity * inner];
        r1 = new double[layers][capacity];
        r2 = new double[layers][capacity];
        probs = new double[layers][shape.heads() * capacity * capacity];
        xOut = new double[capacity * d];
        f = new double[capacity * d];
        rf = new double[capacity];
        scratch = new double[capacity * d];
        logits = new double[shape.vocab()];
        dx = new double[capacity * d];
        dBuf = new double[capacity * d];
        dO = new double[capacity * qd];
        dQ = new double[capacity * qd];
        dK = new double[capacity * kvd];
        dV = new double[capacity * kvd];
        dM = new double[capacity * inner];
        dG = new double[capacity * inner];
        dU = new double[capacity * inner];
        dp = new double[capacity];
    }

    /** The longest sequence this pass holds. */
    public int capacity() {
        return capacity;
    }

    /**
     * Runs positions {@code [from, to)} of {@code seq} up to the final norm, reusing what an earlier call stored for
     * positions before {@code from} (which must have been the same tokens).
     */
    public void run(WideWeights w, int[] seq, int from, int to) {
        if (from < 0 || to > capacity || from >= to) {
            throw new IllegalArgumentException("positions " + from + " to " + to + " outside 0 to " + capacity);
        }
        // until the run completes, only the positions before from are known to be right
        held = Math.min(held, from);
        double[] emb = w.rows(0);
        for (int p = from; p < to; p++) {
            int t = seq[p];
            if (t < 0 || t >= s.vocab()) {
                throw new IllegalArgumentException("token " + t + " outside the vocabulary of " + s.vocab());
            }
            tokens[p] = t;
            System.arraycopy(emb, t * d, xIn[0], p * d, d);
        }
        int n = to - from;
        for (int l = 0; l < s.layers(); l++) {
            int base = s.layerBase(l);
            double[] next = l + 1 < s.layers() ? xIn[l + 1] : xOut;
            double[] inNorm = w.rows(base + LlamaShape.INPUT_NORM);
            for (int p = from; p < to; p++) {
                r1[l][p] = RmsNorm.apply(xIn[l], p * d, inNorm, d, s.rmsEps(), a[l], p * d);
            }
            Linear.apply(w.columns(base + LlamaShape.Q), qd, d, a[l], from * d, q[l], from * qd, n);
            Linear.apply(w.columns(base + LlamaShape.K), kvd, d, a[l], from * d, k[l], from * kvd, n);
            Linear.apply(w.columns(base + LlamaShape.V), kvd, d, a[l], from * d, v[l], from * kvd, n);
            for (int p = from; p < to; p++) {
                for (int h = 0; h < s.heads(); h++) {
                    rope.rotate(q[l], p * qd + h * hd, p);
                }
                for (int h = 0; h < s.kvHeads(); h++) {
                    rope.rotate(k[l], p * kvd + h * hd, p);
                }
            }
            // position p reads the keys and values of positions up to p only, all computed above
            for (int p = from; p < to; p++) {
                attend(l, p);
            }
            Linear.apply(w.columns(base + LlamaShape.O), d, qd, o[l], from * qd, scratch, from * d, n);
            double[] postNorm = w.rows(base + LlamaShape.POST_NORM);
            for (int p = from; p < to; p++) {
                for (int i = p * d; i < (p + 1) * d; i++) {
                    xMid[l][i] = xIn[l][i] + scratch[i];
                }
                r2[l][p] = RmsNorm.apply(xMid[l], p * d, postNorm, d, s.rmsEps(), b[l], p * d);
            }
            Linear.apply(w.columns(base + LlamaShape.GATE), inner, d, b[l], from * d, gate[l], from * inner, n);
            Linear.apply(w.columns(base + LlamaShape.UP), inner, d, b[l], from * d, up[l], from * inner, n);
            for (int j = from * inner; j < to * inner; j++) {
                double g = gate[l][j];
                m[l][j] = g / (1 + Math.exp(-g)) * up[l][j];
            }
            Linear.apply(w.columns(base + LlamaShape.DOWN), d, inner, m[l], from * inner, scratch, from * d, n);
            for (int i = from * d; i < to * d; i++) {
                next[i] = xMid[l][i] + scratch[i];
            }
        }
        for (int p = from; p < to; p++) {
            rf[p] = RmsNorm.apply(xOut, p * d, w.rows(s.finalNorm()), d, s.rmsEps(), f, p * d);
        }
        heldWeights = w;
        heldVersion = w.version();
        held = to;
    }

    /**
     * Makes positions {@code [0, to)} those of {@code seq}, running only the ones after the longest prefix of
     * {@code seq} that the pass still holds from earlier runs with the same weights (unchanged since); afterwards
     * {@link #logits} answers for any of them.
     *
     * @return the first position it ran, {@code to} when all were held
     */
    public int extend(WideWeights w, int[] seq, int to) {
        if (to <= 0 || to > capacity) {
            throw new IllegalArgumentException("positions 0 to " + to + " outside 0 to " + capacity);
        }
        int same = 0;
        if (w == heldWeights && w.version() == heldVersion) {
            int limit = Math.min(held, to);
            while (same < limit && tokens[same] == seq[same]) {
                same++;
            }
        }
        if (same < to) {
            run(w, seq, same, to);
        }
        return same;
    }

    /** Causal attention of position {@code p} over positions {@code 0..p} of layer {@code l}. */
    private void attend(int l, int p) {
        double[] ql = q[l];
        double[] kl = k[l];
        double[] vl = v[l];
        for (int h = 0; h < s.heads(); h++) {
            int qOff = p * qd + h * hd;
            int kvOff = (h / group) * hd;
            int row = (h * capacity + p) * capacity;
            double[] pr = probs[l];
            double max = Double.NEGATIVE_INFINITY;
            for (int u = 0; u <= p; u++) {
                double sc = 0;
                int kOff = u * kvd + kvOff;
                for (int j = 0; j < hd; j++) {
                    sc += ql[qOff + j] * kl[kOff + j];
                }
                sc *= attnScale;
                pr[row + u] = sc;
                max = Math.max(max, sc);
            }
            double sum = 0;
            for (int u = 0; u <= p; u++) {
                double e = Math.exp(pr[row + u] - max);
                pr[row + u] = e;
                sum += e;
            }
            int out = p * qd + h * hd;
            Arrays.fill(o[l], out, out + hd, 0);
            for (int u = 0; u <= p; u++) {
                double pu = pr[row + u] / sum;
                pr[row + u] = pu;
                int vOff = u * kvd + kvOff;
                for (int j = 0; j < hd; j++) {
                    o[l][out + j] += pu * vl[vOff + j];
                }
            }
        }
    }

    /**
     * The logits at position {@code p} (after {@link #run} covered it), in a buffer the next call overwrites.
     */
    public double[] logits(WideWeights w, int p) {
        Linear.apply(w.columns(s.lmHead()), s.vocab(), d, f, p * d, logits, 0, 1);
        return logits;
    }

    /**
     * The summed cross-entropy {@code Σ_{t : predicted[t]} −log P(seq[t] | seq[<t])} over the first {@code length}
     * tokens; with {@code grad} not null, adds {@code scale ·} its gradient to {@code grad} (same layout as the
     * widened weights' stored layout, {@link WideWeights#zerosLike()}).
     */
    public double loss(WideWeights w, int[] seq, int length, boolean[] predicted, double scale, double[][] grad) {
        run(w, seq, 0, length);
        if (grad != null) {
            Arrays.fill(dBuf, 0, length * d, 0);
        }
        double total = 0;
        int vocab = s.vocab();
        for (int t = 1; t < length; t++) {
            if (!predicted[t]) {
                continue;
            }
            int p = t - 1;
            double[] z = logits(w, p);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < vocab; j++) {
                max = Math.max(max, z[j]);
            }
            double sum = 0;
            for (int j = 0; j < vocab; j++) {
                sum += Math.exp(z[j] - max);
            }
            double lse = max + Math.log(sum);
            total += lse - z[seq[t]];
            if (grad != null) {
                for (int j = 0; j < vocab; j++) {
                    z[j] = scale * Math.exp(z[j] - lse);
                }
                z[seq[t]] -= scale;
                Linear.backward(w.rows(s.lmHead()), vocab, d, f, p * d, z, 0, grad[s.lmHead()], dBuf, p * d, 1);
            }
        }
        if (grad != null) {
            backward(w, length, grad);
        }
        return total;
    }

    /** Carries {@code dBuf} (the gradient at the final norm's output) back to every weight. */
    private void backward(WideWeights w, int length, double[][] grad) {
        Arrays.fill(dx, 0, length * d, 0);
        int fn = s.finalNorm();
        for (int p = 0; p < length; p++) {
            RmsNorm.backward(xOut, p * d, w.rows(fn), d, rf[p], dBuf, p * d, grad[fn], dx, p * d);
        }
        for (int l = s.layers() - 1; l >= 0; l--) {
            int base = s.layerBase(l);
            mlpBackward(w, grad, l, base, length);
            attentionBackward(w, grad, l, base, length);
        }
        double[] gE = grad[0];
        for (int p = 0; p < length; p++) {
            int row = tokens[p] * d;
            for (int i = 0; i < d; i++) {
                gE[row + i] += dx[p * d + i];
            }
        }
    }

    /** {@code dx} from the gradient at a layer's output to that at its attention's output ({@code xMid}). */
    private void mlpBackward(WideWeights w, double[][] grad, int l, int base, int length) {
        Arrays.fill(dBuf, 0, length * d, 0);
        Arrays.fill(dM, 0, length * inner, 0);
        Linear.backward(w.rows(base + LlamaShape.DOWN), d, inner, m[l], 0, dx, 0, grad[base + LlamaShape.DOWN], dM,
                0, length);
        for (int j = 0; j < length * inner; j++) {
            double g = gate[l][j];
            double sg = 1 / (1 + Math.exp(-g));
            dU[j] = dM[j] * g * sg;
            dG[j] = dM[j] * up[l][j] * sg * (1 + g * (1 - sg));
        }
        Linear.backward(w.rows(base + LlamaShape.GATE), inner, d, b[l], 0, dG, 0, grad[base + LlamaShape.GATE], dBuf,
                0, length);
        Linear.backward(w.rows(base + LlamaShape.UP), inner, d, b[l], 0, dU, 0, grad[base + LlamaShape.UP], dBuf, 0,
                length);
        double[] postNorm = w.rows(base + LlamaShape.POST_NORM);
        for (int p = 0; p < length; p++) {
            RmsNorm.backward(xMid[l], p * d, postNorm, d, r2[l][p], dBuf, p * d, grad[base + LlamaShape.POST_NORM],
                    dx, p * d);
        }
    }

    /** {@code dx} from the gradient at a layer's attention output ({@code xMid}) to that at the layer's input. */
    private void attentionBackward(WideWeights w, double[][] grad, int l, int base, int length) {
        Arrays.fill(dO, 0, length * qd, 0);
        Arrays.fill(dQ, 0, length * qd, 0);
        Arrays.fill(dK, 0, length * kvd, 0);
        Arrays.fill(dV, 0, length * kvd, 0);
        Linear.backward(w.rows(base + LlamaShape.O), d, qd, o[l], 0, dx, 0, grad[base + LlamaShape.O], dO, 0,
                length);
        double[] pr = probs[l];
        for (int h = 0; h < s.heads(); h++) {
            int kvOff = (h / group) * hd;
            for (int t = 0; t < length; t++) {
                int row = (h * capacity + t) * capacity;
                int qOff = t * qd + h * hd;
                double dot = 0;
                for (int u = 0; u <= t; u++) {
                    double g = 0;
                    int vOff = u * kvd + kvOff;
                    for (int j = 0; j < hd; j++) {
                        g += dO[qOff + j] * v[l][vOff + j];
                    }
                    dp[u] = g;
                    dot += pr[row + u] * g;
                }
                for (int u = 0; u <= t; u++) {
                    double pu = pr[row + u];
                    double ds = pu * (dp[u] - dot) * attnScale;
                    int kOff = u * kvd + kvOff;
                    for (int j = 0; j < hd; j++) {
                        dQ[qOff + j] += ds * k[l][kOff + j];
                        dK[kOff + j] += ds * q[l][qOff + j];
                        dV[kOff + j] += pu * dO[qOff + j];
                    }
                }
            }
        }
        Arrays.fill(dBuf, 0, length * d, 0);
        for (int p = 0; p < length; p++) {
            for (int h = 0; h < s.heads(); h++) {
                rope.unrotate(dQ, p * qd + h * hd, p);
            }
            for (int h = 0; h < s.kvHeads(); h++) {
                rope.unrotate(dK, p * kvd + h * hd, p);
            }
        }
        Linear.backward(w.rows(base + LlamaShape.Q), qd, d, a[l], 0, dQ, 0, grad[base + LlamaShape.Q], dBuf, 0,
                length);
        Linear.backward(w.rows(base + LlamaShape.K), kvd, d, a[l], 0, dK, 0, grad[base + LlamaShape.K], dBuf, 0,
                length);
        Linear.backward(w.rows(base + LlamaShape.V), kvd, d, a[l], 0, dV, 0, grad[base + LlamaShape.V], dBuf, 0,
                length);
        double[] inNorm = w.rows(base + LlamaShape.INPUT_NORM);
        for (int p = 0; p < length; p++) {
            RmsNorm.backward(xIn[l], p * d, inNorm, d, r1[l][p], dBuf, p * d, grad[base + LlamaShape.INPUT_NORM], dx,
                    p * d);
        }
    }
}
