package io.nexttrack.train;

/**
 * Called by the {@link Trainer} as training goes, like the seed's LossHook and ValidationHook. Implement
 * what you need; every method does nothing by default. Hooks run on the training thread, in list order.
 */
public interface Hook {
    default void onStart(Trainer trainer) {}

    default void onStep(Trainer trainer, Step step) {}

    default void onEpoch(Trainer trainer, Epoch epoch) {}

    default void onFinish(Trainer trainer) {}

    /**
     * The run is being stopped from outside (Ctrl-C, SIGTERM; see {@link TrainingRun#interrupt}) and the process ends
     * next. Called on the thread that stops it, while the training thread waits outside every hook: end what is shown
     * (a progress line drawn in place), write nothing.
     */
    default void onInterrupt(Trainer trainer) {}

    /**
     * One chunk done. On a GPU its loss reaches the host one step late: {@link #loss()}, {@link #epochLoss()} and
     * {@link #gradientNorm()} wait for it only when a hook asks (a progress bar that draws ten times a second
     * costs ten waits a second, not one per step).
     */
    final class Step {
        private final Trainer trainer;
        private final int epoch, chunk, chunks;
        private final long step;
        private final int positions;
        private final double tokensPerSecond, epochSeconds;
        private boolean known;
        private double loss, epochLoss, gradientNorm;

        Step(Trainer trainer, int epoch, int chunk, int chunks, long step, int positions, double tokensPerSecond,
             double epochSeconds) {
            this.trainer = trainer;
            this.epoch = epoch;
            this.chunk = chunk;
            this.chunks = chunks;
            this.step = step;
            this.positions = positions;
            this.tokensPerSecond = tokensPerSecond;
            this.epochSeconds = epochSeconds;
        }

        /** Called by the trainer when the engine's result for this step has reached the host. */
        void resolve(double summedLoss, double norm, double epochLossSum, long epochPositions) {
            loss = summedLoss / Math.max(1, positions);
            gradientNorm = norm;
            epochLoss = epochLossSum / Math.max(1, epochPositions);
            known = true;
        }

        private void await() {
            if (!known) trainer.collectLatest();
        }

        public int epoch() { return epoch; }

        /** Chunks done in this epoch (1-based), of {@link #chunks()}. */
        public int chunk() { return chunk; }

        public int chunks() { return chunks; }

        public long step() { return step; }

        /** Mean NLL over the chunk's positions. */
        public double loss() { await(); return loss; }

        /** Mean NLL over the epoch so far. */
        public double epochLoss() { await(); return epochLoss; }

        /** Gradient norm before clipping. */
        public double gradientNorm() { await(); return gradientNorm; }

        /** Scored positions per second over the epoch so far (queued, on a GPU). */
        public double tokensPerSecond() { return tokensPerSecond; }

        public double epochSeconds() { return epochSeconds; }
    }

    /**
     * One epoch done.
     *
     * @param validationLoss mean NLL per validation transition (NaN without validation data)
     */
    record Epoch(int epoch, double trainLoss, double validationLoss, long positions, double seconds,
                 double tokensPerSecond, boolean best) {
        public double validationPerplexity() { return Math.exp(validationLoss); }

        public double trainPerplexity() { return Math.exp(trainLoss); }
    }
}
