package io.nexttrack.cli;

import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu}. This build has the CPU engine; the GPU engine is not part of it yet. */
final class DeviceOption {
    enum Device { AUTO, CPU, GPU }

    @Option(names = "--device", description = "Where to compute: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Device device = Device.AUTO;

    /** Says in one line which engine runs; a GPU request fails with one line instead of a stack trace. */
    void announce(int threads) {
        if (device == Device.GPU) {
            throw new Main.UserError("--device gpu: this build has no GPU engine yet (CPU only); use --device cpu");
        }
        System.out.printf("device: cpu (%d threads)%s%n", threads,
                device == Device.AUTO ? ", no GPU engine in this build" : "");
    }
}
