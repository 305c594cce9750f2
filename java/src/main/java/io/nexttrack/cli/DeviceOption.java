package io.nexttrack.cli;

import io.nexttrack.engine.Device;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Lstm;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** {@code --device auto|cpu|gpu} and {@code --lstm fused|cudnn}: which engines a command uses. */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "DEVICE", description = "Where to compute: ${COMPLETION-CANDIDATES}; auto takes the GPU when one "
            + "works and otherwise says why it uses the CPU (default: ${DEFAULT-VALUE}).")
    Device device = Device.AUTO;

    @Option(names = "--lstm", paramLabel = "LSTM", description = "The GPU's LSTM: fused (our kernels, lanes layout) or cudnn (cuDNN, buckets "
            + "layout) (default: ${DEFAULT-VALUE}).")
    Lstm lstm = Lstm.FUSED;

    /**
     * The engines for this command, announced in one line on {@code out}; a GPU request without a GPU is a
     * one-line error (exit code 2) instead of a stack trace.
     */
    EngineFactory engines(int threads, PrintStream out) {
        EngineFactory f = EngineFactory.of(device, lstm, threads);
        out.println(f.describe());
        if (lstm == Lstm.CUDNN && !f.usesGpu()) { // the CPU has one LSTM: a choice that changes nothing says so, like --threads
            System.err.println("nexttrack: note: --lstm cudnn applies to the GPU only: this run computes on the CPU");
        }
        return f;
    }
}
