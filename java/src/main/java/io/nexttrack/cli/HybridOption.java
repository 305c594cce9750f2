package io.nexttrack.cli;

import picocli.CommandLine.Option;

/** Whether training ends by tuning the LSTM + session-kNN hybrid (train and demo). */
final class HybridOption {
    @Option(names = "--hybrid", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "After training, mix the LSTM with session-kNN votes, a bigram and a repeat component from the "
                    + "training playlists, the weights tuned on validation to stay ahead of the baselines on every metric, "
                    + "then calibrated there (a temperature per history: lower NLL, no ranking changed) "
                    + "(--no-hybrid: the LSTM alone; default: ${DEFAULT-VALUE}).")
    boolean enabled = true;
}
