package io.nexttrack.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Appends one JSON object per epoch to a JSON-lines file (easy to plot or load into pandas). */
public final class MetricsLog implements Hook {
    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
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
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** JSON has no NaN: missing values are null. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "null";
    }
}
