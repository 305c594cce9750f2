package io.nexttrack.spark;

import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * A model file sent to the executors with {@code SparkContext.addFile} and read once per executor JVM.
 *
 * <p>Why {@code addFile} ({@link SparkFiles}) and not a broadcast of the file's bytes: each executor fetches the file
 * once (from the driver, or from HDFS/S3 when the path is there) into its own work folder, and the core reads it from
 * there with its own checks, as any model file ({@link TrainedModel#load}); the bytes never sit in the driver's heap or
 * in the block manager, and there is no second reader of a model from bytes to keep equal to the file reader. The loaded
 * model is kept in a static map of the executor (keyed by the file's name, which holds its checksum), so every task,
 * and every later job of the application, on that executor reuses it.
 *
 * <p>The driver reads the file first ({@link #ship}): a missing or corrupt model fails there, naming the file, before
 * any task runs or any output is written.
 */
record ModelShipping(String name, long size) implements Serializable {
    private static final ConcurrentHashMap<String, TrainedModel> LOADED = new ConcurrentHashMap<>();

    /** Checks the model on the driver and adds it to the job's files; what the tasks call {@link #model} on. */
    static ModelShipping ship(SparkSession spark, Path modelFile) {
        try {
            // The file's checksum in the name it travels under: two models of the same file name in one application
            // (a model retrained overnight) do not collide in SparkFiles.
            CRC32C crc = new CRC32C();
            try (InputStream in = Files.newInputStream(modelFile)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
            }
            String name = "nexttrack-" + HexFormat.of().toHexDigits((int) crc.getValue()) + "-" + modelFile.getFileName();
            // Any problem with the model: a CheckpointException naming the file, now. Kept: in local mode the driver is
            // the executor, and reads it once.
            LOADED.putIfAbsent(name, TrainedModel.load(modelFile));
            Path dir = Files.createTempDirectory("nexttrack-model");
            Path shipped = dir.resolve(name);
            try {
                Files.createLink(shipped, modelFile.toAbsolutePath());
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(modelFile, shipped);
            }
            shipped.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            spark.sparkContext().addFile(shipped.toString());
            return new ModelShipping(name, Files.size(modelFile));
        } catch (IOException e) {
            throw new UncheckedIOException(modelFile + ": " + e.getMessage(), e);
        }
    }

    /** The model, read on first use in this JVM (an executor, or the driver in local mode), then kept. */
    TrainedModel model() {
        return LOADED.computeIfAbsent(name, n -> {
            try {
                return TrainedModel.load(Path.of(SparkFiles.get(n)));
            } catch (IOException e) {
                throw new UncheckedIOException(n + ": " + e.getMessage(), e);
            }
        });
    }

    /** How many models this JVM has read (for the tests: once per model, not once per task). */
    static int loadedModels() {
        return LOADED.size();
    }
}
