package io.nexttrack.train;

import io.nexttrack.io.FileErrors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Appends one JSON object per epoch to a JSON-lines file (easy to plot or load into pandas). The log is a
 * record for people, not state training needs: a failure to append (a full disk, say) is reported once on
 * stderr and never stops training.
 */
public final class MetricsLog implements Hook {
    private final Path file;
    private final PrintStream warnings;
    private final boolean fresh;
    private boolean started, warned;

    /** Appends to {@code file} (a resumed run continues its log). */
    public MetricsLog(Path file) {
        this(file, System.err, false);
    }

    public MetricsLog(Path file, PrintStream warnings) {
        this(file, warnings, false);
    }

    private MetricsLog(Path file, PrintStream warnings, boolean fresh) {
        this.file = file;
        this.warnings = warnings;
        this.fresh = fresh;
    }

    /**
     * The log of a new run: a previous run's log in {@code file} is deleted when training starts, not before, so that
     * a run that fails to start (bad settings or data, no GPU, no memory) leaves it as it was.
     */
    public static MetricsLog startingAfresh(Path file) {
        return new MetricsLog(file, System.err, true);
    }

    @Override
    public void onStart(Trainer trainer) {
        if (!fresh || started) return;
        started = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ex) {
            warn(ex);
        }
    }

    @Override
    public void onEpoch(Trainer trainer, Epoch e) {
        String line = String.format(Locale.ROOT,
                "{\"epoch\":%d,\"step\":%d,\"train_loss\":%s,\"train_perplexity\":%s,\"validation_loss\":%s,"
                        + "\"validation_perplexity\":%s,\"positions\":%d,\"seconds\":%.3f,\"tokens_per_second\":%.1f,\"best\":%b}%n",
                e.epoch(), trainer.step(), num(e.trainLoss()), num(e.trainPerplexity()), num(e.validationLoss()),
                num(e.validationPerplexity()), e.positions(), e.seconds(), e.tokensPerSecond(), e.best());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ex) {
            warn(ex);
        }
    }

    private void warn(IOException ex) {
        if (!warned) warnings.println("nexttrack: warning: the metrics log was not written (training goes on): "
                + FileErrors.named(file, ex).getMessage());
        warned = true;
    }

    /** JSON has no NaN: missing values are null. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "null";
    }
}
