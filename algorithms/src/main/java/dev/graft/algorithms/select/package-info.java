/**
 * Exact, deterministic selection of elements by magnitude over data too large to hold, in streaming passes with
 * memory independent of the element count.
 *
 * <p>{@link dev.graft.algorithms.select.MagnitudeTopK} keeps the {@code k} largest magnitudes (TIES' trimming);
 * {@link dev.graft.algorithms.select.MagnitudeRankRange} keeps a window of the ascending magnitude order (Model
 * Breadcrumbs). Both run a {@link dev.graft.algorithms.select.RadixRankSearch} over the
 * {@linkplain dev.graft.algorithms.select.MagnitudeKey magnitude keys} and break ties by element index, so the
 * result does not depend on chunk sizes; the per-element decision comes from a
 * {@link dev.graft.algorithms.select.KeepMask} applied in index order.
 */
package dev.graft.algorithms.select;
