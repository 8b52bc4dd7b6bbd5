package dev.graft.algorithms.sparsify;

import dev.graft.algorithms.select.KeepMask;
import dev.graft.algorithms.select.MagnitudeSelector;

/** A {@link DeltaMask} applying a finished magnitude selection; each pass gets a fresh mask from the selector. */
final class SelectionMask implements DeltaMask {
    private final MagnitudeSelector selector;
    private KeepMask mask;

    SelectionMask(MagnitudeSelector selector) {
        this.selector = selector;
        this.mask = selector.mask();
    }

    @Override
    public void apply(long first, float[] delta, int length) {
        mask.zero(delta, 0, length);
    }

    @Override
    public void restart() {
        mask = selector.mask();
    }

    @Override
    public boolean decidesByBound() {
        return mask.decidesByBound();
    }

    @Override
    public float settledBound(int length) {
        return mask.settledBound(length);
    }

    @Override
    public float settledBound(int length, long tiesAmongThem) {
        return mask.settledBound(length, tiesAmongThem);
    }

    @Override
    public float tieMagnitude() {
        return mask.tieMagnitude();
    }

    @Override
    public void skip(int length, long tied) {
        mask.skip(length, tied);
    }
}
