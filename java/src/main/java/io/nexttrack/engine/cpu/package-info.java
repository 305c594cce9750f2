/**
 * Internal: no compatibility promise. The pure-Java CPU engine (the reference every other engine is checked
 * against): {@link io.nexttrack.engine.cpu.CpuModel}, its layers and worker pool, on the inner loops and GEMM of
 * {@link io.nexttrack.numeric}. Use it through {@link io.nexttrack.engine.EngineFactory}: no package of nexttrack
 * outside {@code io.nexttrack.engine} uses this one (a test, {@code ArchitectureTest}, checks). The classes are public
 * only because the factory in {@code io.nexttrack.engine} makes them, the GPU engine draws its dropout masks with
 * {@link io.nexttrack.engine.cpu.Dropout}, and the GPU kernels' tests (which check every kernel against its CPU twin)
 * and the JMH benchmarks use them.
 */
package io.nexttrack.engine.cpu;
