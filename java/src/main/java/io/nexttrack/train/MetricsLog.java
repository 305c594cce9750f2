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
    private boolean warned;

    public MetricsLog(Path file) {
        this(file, System.err);
    }

    public MetricsLog(Path file, PrintStream warnings) {
        this.file = file;
        this.warnings = warnings;
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
            if (!warned) warnings.println("nexttrack: warning: the metrics log was not written (training goes on): "
                    + FileErrors.named(file, ex).getMessage());
            warned = true;
        }
    }

    /** JSON has no NaN: missing values are null. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "null";
    }
}
