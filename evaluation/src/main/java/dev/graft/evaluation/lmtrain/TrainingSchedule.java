package dev.graft.evaluation.lmtrain;

/**
 * How long and how fast a decoder trains: {@code steps} Adam steps on batches of {@code batch} sequences, the rate
 * rising linearly over {@code warmup} steps to {@code rate}, then falling on a cosine to a tenth of it, and every
 * gradient clipped to global norm 1.
 */
public record TrainingSchedule(int steps, int batch, double rate, int warmup) {
    public TrainingSchedule {
        if (steps <= 0 || batch <= 0 || !(rate > 0) || warmup < 0) {
            throw new IllegalArgumentException("a schedule needs positive steps, batch and rate: " + steps + ", "
                    + batch + ", " + rate + ", warm-up " + warmup);
        }
    }

    /** The rate of step {@code s} (0-based). */
    public double rateAt(int s) {
        if (s < warmup) {
            return rate * (s + 1) / warmup;
        }
        double progress = steps == warmup ? 1 : (double) (s - warmup) / (steps - warmup);
        return rate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
