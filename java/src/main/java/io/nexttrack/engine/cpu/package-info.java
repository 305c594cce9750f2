/**
 * Internal: no compatibility promise. The pure-Java CPU engine (the reference every other engine is checked
 * against): {@link io.nexttrack.engine.cpu.CpuEngine}, its layers, GEMM and worker pool, and
 * {@link io.nexttrack.engine.cpu.CpuKernels}, the inner loops on the Vector API or their plain-Java twins. Use it
 * through {@link io.nexttrack.engine.EngineFactory}. The classes are public only because other packages of nexttrack
 * (optim, eval, recommend), the JMH benchmarks and the GPU kernels' tests (which check every kernel against its CPU
 * twin) use them.
 */
package io.nexttrack.engine.cpu;
