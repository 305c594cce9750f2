/**
 * Where the arithmetic happens. {@link io.nexttrack.engine.EngineFactory} chooses the device (CPU or GPU, with the
 * reason in one line) and makes every engine: pass one to {@code NextTrack}'s methods to choose. The
 * {@link io.nexttrack.engine.Engine} (a training step) and {@link io.nexttrack.engine.Scorer} (forward passes for
 * scoring) interfaces are what the factory returns; their implementations live in the internal packages
 * {@code engine.cpu} and {@code engine.gpu}.
 */
package io.nexttrack.engine;
