package io.nexttrack.cli;

import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --model MODEL}: the model file a command reads (evaluate, recommend, serve; songs declares it in its group of
 * {@code --model | --data}, where picocli takes no mixin, with {@link #DESCRIPTION}).
 */
final class ModelFileOption {
    static final String DESCRIPTION = "A model file written by train.";

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = DESCRIPTION)
    Path file;

    TrainedModel load() throws IOException {
        return TrainedModel.load(file);
    }
}
