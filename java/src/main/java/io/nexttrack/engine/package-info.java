/**
 * Where the arithmetic happens. {@link io.nexttrack.engine.EngineFactory} chooses the device
 * ({@link io.nexttrack.engine.Device}, and the GPU's {@link io.nexttrack.engine.Lstm}; the reason in one line), holds
 * the CPU engines' threads and makes every engine: pass one to {@code NextTrack}'s methods to choose. The
 * {@link io.nexttrack.engine.Engine} (a training step, made for {@link io.nexttrack.engine.EngineSettings}) and
 * {@link io.nexttrack.engine.Scorer} (forward passes for scoring) interfaces are what the factory returns; their
 * implementations live in the internal packages {@code engine.cpu} and {@code engine.gpu}.
 */
package io.nexttrack.engine;
