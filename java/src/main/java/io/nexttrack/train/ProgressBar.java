package io.nexttrack.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows progress: on a terminal a bar redrawn in place, otherwise (logs, CI) a plain line every quarter of an epoch.
 * Either says where the whole run is (epoch 4/80), the loss, tokens/s, the time left in the epoch, an estimate for the
 * whole run (at most: early stopping may end it sooner) and the early-stopping patience left, e.g.
 * <pre>
 * epoch 4/80  28/57 chunks  loss 5.4321  73,969 tok/s  ETA 0:01, run at most 1:56  patience 3/4
 * </pre>
 * Each epoch ends with a summary line either way. On an interrupt the bar's line is ended, so that what follows
 * starts on a clean line.
 */
public final class ProgressBar implements Hook {
    private final PrintStream out;
    private final boolean terminal;
    private long lastDraw;
    /** The length of the bar's line on the terminal (0: no line open). */
    private int drawn;
    /** Wall-clock start of the current epoch in this process, and the chunk it started at (a resumed run starts inside one). */
    private long epochStarted;
    private int startChunk = -1;
    /** Wall-clock seconds of the last whole epoch run in this process, validation included (0: none yet). */
    private double lastEpochSeconds;

    public ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A bar when stdout is an interactive terminal, plain lines otherwise. */
    public static ProgressBar onStdout() {
        java.io.Console c = System.console();
        return new ProgressBar(System.out, c != null && c.isTerminal());
    }

    @Override
    public void onStart(Trainer trainer) {
        epochStarted = System.nanoTime();
        startChunk = -1;
    }

    @Override
    public void onStep(Trainer trainer, Step s) {
        long now = System.nanoTime();
        if (startChunk < 0) startChunk = s.chunk() - 1;
        boolean last = s.chunk() == s.chunks();
        String run = run(trainer, s);
        if (terminal) {
            if (now - lastDraw < 100_000_000L && !last) return; // 10 redraws a second are plenty
            lastDraw = now;
            int width = 20, done = (int) ((long) width * s.chunk() / Math.max(1, s.chunks()));
            String line = String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d  loss %.4f  %,.0f tok/s  ETA %s%s", s.epoch() + 1,
                    trainer.config().epochs(), "=".repeat(done), " ".repeat(width - done), s.chunk(), s.chunks(), s.epochLoss(),
                    s.tokensPerSecond(), eta(s), run);
            out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            out.flush();
            drawn = line.length();
        } else {
            int every = Math.max(1, s.chunks() / 4);
            if (s.chunk() % every == 0 && !last) {
                out.printf(Locale.ROOT, "epoch %d/%d  %d/%d chunks  loss %.4f  %,.0f tok/s  ETA %s%s%n", s.epoch() + 1,
                        trainer.config().epochs(), s.chunk(), s.chunks(), s.epochLoss(), s.tokensPerSecond(), eta(s), run);
            }
        }
    }

    /** The time left in this epoch. */
    private static String eta(Step s) {
        return time(perChunk(s) * (s.chunks() - s.chunk()));
    }

    private static double perChunk(Step s) {
        return s.epochSeconds() / Math.max(1, s.chunk());
    }

    /**
     * ", run at most 1:56  patience 3/4": the time left if the run goes to its last epoch (an epoch's wall-clock time,
     * validation included, once one has run whole here; the current pace before), and the epochs without a better
     * validation loss it may still go before early stopping ends it.
     */
    private String run(Trainer trainer, Step s) {
        int epochsAfter = trainer.config().epochs() - s.epoch() - 1;
        StringBuilder b = new StringBuilder();
        if (epochsAfter > 0) {
            double epoch = lastEpochSeconds > 0 ? lastEpochSeconds : perChunk(s) * s.chunks();
            b.append(", run at most ").append(time(perChunk(s) * (s.chunks() - s.chunk()) + epochsAfter * epoch));
        }
        int left = EarlyStopping.patienceLeft(trainer);
        if (left >= 0) b.append("  patience ").append(left).append('/').append(trainer.config().patience());
        return b.toString();
    }

    private static String time(double seconds) {
        long left = Math.round(seconds);
        return left >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", left / 3600, left / 60 % 60, left % 60)
                : String.format(Locale.ROOT, "%d:%02d", left / 60, left % 60);
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        long now = System.nanoTime();
        if (startChunk == 0) lastEpochSeconds = (now - epochStarted) / 1e9; // a whole epoch ran here
        epochStarted = now;
        startChunk = 0;
        clearLine();
        String validation = Double.isNaN(e.validationLoss()) ? ""
                : String.format(Locale.ROOT, "  validation loss %.4f (perplexity %.1f)%s", e.validationLoss(),
                        e.validationPerplexity(), e.best() ? " *" : "");
        out.printf(Locale.ROOT, "epoch %d  train loss %.4f (perplexity %.1f)%s  %.1fs  %,.0f tok/s%n", e.epoch(),
                e.trainLoss(), e.trainPerplexity(), validation, e.seconds(), e.tokensPerSecond());
    }

    @Override
    public void onFinish(Trainer trainer) {
        clearLine();
    }

    /** Ends the bar's line, so that the line about the interrupt starts clean. */
    @Override
    public void onInterrupt(Trainer trainer) {
        if (drawn > 0) {
            out.println();
            out.flush();
            drawn = 0;
        }
    }

    private void clearLine() {
        if (terminal && drawn > 0) {
            out.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
        }
    }
}
