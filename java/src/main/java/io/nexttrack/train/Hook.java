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
     * One chunk done.
     *
     * @param loss           mean NLL over the chunk's positions
     * @param epochLoss      mean NLL over the epoch so far
     * @param tokensPerSecond scored positions per second over the epoch so far
     */
    record Step(int epoch, int chunk, int chunks, long step, double loss, double epochLoss, double gradientNorm,
                double tokensPerSecond, double epochSeconds) {}

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
