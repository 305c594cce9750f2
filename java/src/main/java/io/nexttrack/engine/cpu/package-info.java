/**
 * Internal: no compatibility promise. The pure-Java CPU engine (the reference every other engine is checked
 * against): {@link io.nexttrack.engine.cpu.CpuModel}, its layers and worker pool, on the inner loops and GEMM of
 * {@link io.nexttrack.numeric}. Use it through {@link io.nexttrack.engine.EngineFactory}. The classes are public only
 * because other packages of nexttrack (recommend, train), the JMH benchmarks and the GPU kernels' tests (which check
 * every kernel against its CPU twin) use them.
 */
package io.nexttrack.engine.cpu;
