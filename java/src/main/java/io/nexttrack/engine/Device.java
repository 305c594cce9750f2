package io.nexttrack.engine;

/**
 * Where {@link EngineFactory}'s engines compute: {@link #AUTO} takes the GPU when one works and otherwise the CPU
 * (saying why in {@link EngineFactory#describe}); {@link #GPU} without one fails with a one-line
 * {@link EngineFactory.UnavailableException}.
 */
public enum Device { AUTO, CPU, GPU }
