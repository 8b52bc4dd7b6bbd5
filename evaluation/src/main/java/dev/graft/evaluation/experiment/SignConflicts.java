package dev.graft.evaluation.experiment;

import dev.graft.evaluation.net.Params;
import dev.graft.evaluation.net.Trunk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rate of sign conflicts between task vectors as TIES sees them: each task vector is trimmed to its top
 * {@code density} fraction by magnitude (over the whole trunk), and a parameter conflicts when the entries that
 * survive there have both signs.
 */
public final class SignConflicts {
    private SignConflicts() {
    }

    /** Conflicting parameters over parameters with two or more surviving entries. */
    public static double rate(Trunk base, List<Trunk> fineTunes, double density) {
        List<float[]> deltas = new ArrayList<>();
        for (Trunk ft : fineTunes) {
            deltas.add(flatten(ft.minus(base)));
        }
        List<Float> thresholds = new ArrayList<>();
        for (float[] d : deltas) {
            float[] mags = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                mags[i] = Math.abs(d[i]);
            }
            Arrays.sort(mags);
            thresholds.add(mags[Math.max(0, (int) Math.ceil(d.length * (1 - density)) - 1)]);
        }
        long shared = 0;
        long conflicts = 0;
        int size = deltas.getFirst().length;
        for (int i = 0; i < size; i++) {
            int pos = 0;
            int neg = 0;
            for (int t = 0; t < deltas.size(); t++) {
                float v = deltas.get(t)[i];
                if (Math.abs(v) > thresholds.get(t)) {
                    if (v > 0) {
                        pos++;
                    } else {
                        neg++;
                    }
                }
            }
            if (pos + neg >= 2) {
                shared++;
                if (pos > 0 && neg > 0) {
                    conflicts++;
                }
            }
        }
        return shared == 0 ? 0 : (double) conflicts / shared;
    }

    private static float[] flatten(Params p) {
        float[] all = new float[(int) p.size()];
        int off = 0;
        for (int i = 0; i < p.count(); i++) {
            float[] t = p.tensor(i);
            System.arraycopy(t, 0, all, off, t.length);
            off += t.length;
        }
        return all;
    }
}
