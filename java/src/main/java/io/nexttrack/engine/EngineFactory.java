package io.nexttrack.engine;

import io.nexttrack.engine.cpu.CpuModel;
import io.nexttrack.engine.cpu.CpuScorer;
import io.nexttrack.engine.cpu.CpuTrainingEngine;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Makes every engine the program uses (training, validation, evaluation, recommendations) for one choice of
 * device and LSTM implementation, so that no caller names an engine class. {@link Device#AUTO} takes the GPU
 * when one works and otherwise the CPU, saying why in {@link #describe}; {@link Device#GPU} without one
 * fails with a one-line {@link UnavailableException}. The factory owns the CPU engines' worker threads: every
 * engine it makes on the CPU uses {@link #threads()}.
 */
public final class EngineFactory {

    /** A GPU was required and none works: a user error (exit code 2 on the command line). */
    public static final class UnavailableException extends IllegalArgumentException {
        public UnavailableException(String message) { super(message); }
    }

    private final Device requested;
    private final Lstm lstm;
    private final int threads;
    private final Supplier<GpuBackend> gpus;
    private GpuBackend gpu;
    private Availability availability;

    /**
     * @param threads worker threads of the CPU engines
     * @param gpus    the GPU side, created only when a GPU is asked for or might be used
     */
    public EngineFactory(Device requested, Lstm lstm, int threads, Supplier<GpuBackend> gpus) {
        if (threads < 1) throw new IllegalArgumentException("threads must be positive: " + threads);
        this.requested = requested;
        this.lstm = lstm;
        this.threads = threads;
        this.gpus = gpus;
    }

    /** The real GPU backend (loaded only when a GPU might be used). */
    public static EngineFactory of(Device requested, Lstm lstm, int threads) {
        return new EngineFactory(requested, lstm, threads, RealGpu::backend);
    }

    /** The CPU engine, always (tests, callers that need the reference). */
    public static EngineFactory cpu(int threads) {
        return new EngineFactory(Device.CPU, Lstm.FUSED, threads, () -> { throw new IllegalStateException("no GPU asked for"); });
    }

    /** AUTO with the default LSTM, all cores. */
    public static EngineFactory auto() {
        return of(Device.AUTO, Lstm.FUSED, Runtime.getRuntime().availableProcessors());
    }

    public Device requested() { return requested; }

    public Lstm lstm() { return lstm; }

    public int threads() { return threads; }

    /** True when the engines are GPU engines; a GPU request without a GPU throws {@link UnavailableException}. */
    public boolean usesGpu() {
        if (requested == Device.CPU) return false;
        Availability a = availability();
        if (!a.available() && requested == Device.GPU) {
            throw new UnavailableException("--device gpu: no usable GPU (" + a.description() + "); use --device cpu or auto");
        }
        return a.available();
    }

    /** One line for people: which device computes, and why the CPU when a GPU might have been used. */
    public String describe() {
        if (usesGpu()) return "device: gpu (" + availability().description() + "), lstm " + lstm.name().toLowerCase(Locale.ROOT);
        String base = "device: cpu (" + threads + (threads == 1 ? " thread)" : " threads)");
        return requested == Device.AUTO ? base + "; no GPU: " + availability().description() : base;
    }

    /** The training engine for these parameters and this optimiser (which it updates). */
    public Engine training(Parameters parameters, Adam adam, EngineSettings settings) {
        if (usesGpu()) return backend().training(parameters, adam, settings, lstm);
        return new CpuTrainingEngine(parameters, adam, settings, threads);
    }

    /** A forward-only engine for evaluation and recommendations over {@code lanes x steps} chunks. */
    public Scorer scorer(Parameters parameters, int lanes, int steps) {
        if (usesGpu()) return backend().scorer(parameters, lanes, steps, lstm);
        return new CpuScorer(parameters, lanes, steps, threads);
    }

    /**
     * What the CPU engine for {@code config} at {@code lanes x steps} allocates in the Java heap, before allocating it
     * (training's memory check; a GPU engine keeps its workspaces on the device).
     */
    public static Workspace cpuWorkspace(ModelConfig config, int lanes, int steps) {
        return CpuModel.workspace(config, lanes, steps);
    }

    /**
     * {@link #cpuWorkspace(ModelConfig, int, int)} of a training engine with {@code loss} for this catalogue: with the
     * sampled loss, the sampled output layer, the compact gradient and the candidates instead of the full layer's
     * transposed weights (the full softmax's dense gradient is counted with the parameters, by {@code MemoryEstimate}).
     */
    public static Workspace cpuWorkspace(ModelConfig config, int lanes, int steps, Loss loss) {
        if (!loss.sampledAt(config.songs())) return CpuModel.workspace(config, lanes, steps);
        Workspace w = CpuModel.workspace(config, lanes, steps, loss.samples());
        int positions = lanes * steps;
        long capacity = CpuModel.sparseGradientCapacity(config, positions, Sampling.maxCandidates(config.songs(), loss.samples(), positions));
        return w.plus(Workspace.floats(capacity)).plus(hostSampling(config, lanes, steps, loss));
    }

    /**
     * What a training engine with {@code loss} keeps in the Java heap whatever its device: with the sampled loss, the
     * candidates and the sample store (the GPU engine makes them on the host too); nothing for the full softmax.
     */
    public static Workspace hostSampling(ModelConfig config, int lanes, int steps, Loss loss) {
        if (!loss.sampledAt(config.songs())) return Workspace.NONE;
        return new Workspace(Candidates.bytes(config.songs(), loss.samples(), lanes * steps), 0);
    }

    private synchronized Availability availability() {
        if (availability == null) {
            try {
                availability = backend().availability();
            } catch (LinkageError | RuntimeException e) { // no JavaCPP on the class path, or a backend that cannot start
                availability = Availability.failedLoad(e);
            }
        }
        return availability;
    }

    private synchronized GpuBackend backend() {
        if (gpu == null) gpu = gpus.get();
        return gpu;
    }
}
