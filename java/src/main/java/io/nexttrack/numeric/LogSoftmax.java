package io.nexttrack.numeric;

/** Turns a row of logits into log-probabilities, in place (max-shifted, so large logits cannot overflow). */
public final class LogSoftmax {
    private LogSoftmax() {}

    public static void inPlace(float[] logits, int offset, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + n; i++) max = Math.max(max, logits[i]);
        double sum = 0;
        for (int i = offset; i < offset + n; i++) sum += Math.exp(logits[i] - max);
        float logZ = (float) (max + Math.log(sum));
        for (int i = offset; i < offset + n; i++) logits[i] -= logZ;
    }
}
