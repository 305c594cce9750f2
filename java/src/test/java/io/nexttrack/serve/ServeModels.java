package io.nexttrack.serve;

import io.nexttrack.cli.Main;
import io.nexttrack.model.TrainedModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small trained model with titles for the service tests: 150 synthetic songs, a small LSTM trained for
 * three epochs with the CLI (about a second), so that its probabilities differ clearly from song to song.
 */
final class ServeModels {
    private static TrainedModel trained;

    private ServeModels() {}

    static synchronized TrainedModel trained() {
        if (trained == null) {
            try {
                Path dir = Files.createTempDirectory("nexttrack-serve-model");
                Path data = dir.resolve("synth"), model = dir.resolve("model.nt");
                cli("data", "synth", "--songs", "150", "--playlists", "1500", "--seed", "7", "--out", data.toString());
                cli("train", "--data", data.toString(), "--out", model.toString(), "--hidden", "32", "--embedding", "16",
                        "--batch", "16", "--unroll", "10", "--lr", "0.01", "--epochs", "3", "--threads", "1");
                trained = TrainedModel.load(model);
                try (var files = Files.walk(dir)) { // the model is in memory now
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trained;
    }

    /** Runs a command quietly; its output is shown only if it fails. */
    private static void cli(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(out);
        }
        if (code != 0) throw new IllegalStateException(String.join(" ", args) + " failed (" + code + "): " + captured.toString(StandardCharsets.UTF_8));
    }
}
