package io.nexttrack.engine;

import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;

/**
 * What {@link EngineFactory} needs from a GPU: whether one works here, and its engines. The real one is
 * {@code io.nexttrack.engine.gpu.CudaBackend}; tests give a fake, so the wiring is checked without a GPU.
 */
public interface GpuBackend {

    /** Checked once and cached by the implementation; never throws. */
    Availability availability();

    Engine training(Parameters parameters, Adam adam, EngineSettings settings, Lstm lstm);

    Scorer scorer(Parameters parameters, int lanes, int steps, Lstm lstm);
}
