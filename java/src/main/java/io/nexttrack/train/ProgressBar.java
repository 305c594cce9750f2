package io.nexttrack.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows progress: on a terminal a bar redrawn in place with loss, tokens/s and ETA; otherwise (logs, CI)
 * a plain line every {@code plainEvery} of an epoch. Each epoch ends with a summary line either way.
 */
public final class ProgressBar implements Hook {
    private final PrintStream out;
    private final boolean terminal;
    private long lastDraw;

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
    public void onStep(Trainer trainer, Step s) {
        long now = System.nanoTime();
        boolean last = s.chunk() == s.chunks();
        if (terminal) {
            if (now - lastDraw < 100_000_000L && !last) return; // 10 redraws a second are plenty
            lastDraw = now;
            int width = 28, done = (int) ((long) width * s.chunk() / Math.max(1, s.chunks()));
            out.printf(Locale.ROOT, "\repoch %d [%s%s] %d/%d  loss %.4f  %,.0f tok/s  ETA %s   ", s.epoch() + 1,
                    "=".repeat(done), " ".repeat(width - done), s.chunk(), s.chunks(), s.epochLoss(),
                    s.tokensPerSecond(), eta(s));
            out.flush();
        } else {
            int every = Math.max(1, s.chunks() / 4);
            if (s.chunk() % every == 0 && !last) {
                out.printf(Locale.ROOT, "epoch %d  %d/%d chunks  loss %.4f  %,.0f tok/s  ETA %s%n", s.epoch() + 1,
                        s.chunk(), s.chunks(), s.epochLoss(), s.tokensPerSecond(), eta(s));
            }
        }
    }

    private static String eta(Step s) {
        double perChunk = s.epochSeconds() / Math.max(1, s.chunk());
        long left = Math.round(perChunk * (s.chunks() - s.chunk()));
        return left >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", left / 3600, left / 60 % 60)
                : String.format(Locale.ROOT, "%d:%02d", left / 60, left % 60);
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        if (terminal) out.print("\r" + " ".repeat(100) + "\r");
        String validation = Double.isNaN(e.validationLoss()) ? ""
                : String.format(Locale.ROOT, "  validation loss %.4f (perplexity %.1f)%s", e.validationLoss(),
                        e.validationPerplexity(), e.best() ? " *" : "");
        out.printf(Locale.ROOT, "epoch %d  train loss %.4f (perplexity %.1f)%s  %.1fs  %,.0f tok/s%n", e.epoch(),
                e.trainLoss(), e.trainPerplexity(), validation, e.seconds(), e.tokensPerSecond());
    }
}
