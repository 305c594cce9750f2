/**
 * JMH benchmarks of the CPU engine's parts (the GEMM, an LSTM layer, the output layer, batching) and of whole
 * training steps and recommendations, and {@link io.nexttrack.bench.HybridSweep}, which reproduces the hybrid rows of
 * docs/quality.md. The benchmarks measure the engine's internal classes directly ({@code io.nexttrack.engine.cpu},
 * {@code io.nexttrack.numeric}): allowed here, as in the engine's own tests, while the library's classes outside
 * {@code io.nexttrack.engine} may not use {@code engine.cpu} or {@code engine.gpu} ({@code ArchitectureTest} checks
 * those, not this module).
 */
package io.nexttrack.bench;
