/**
 * Internal: no compatibility promise. The GPU engine through JavaCPP (CUDA, cuBLAS, cuDNN and nexttrack's own
 * kernels). Use it through {@link io.nexttrack.engine.EngineFactory}; the classes that are public are so for
 * {@code io.nexttrack.engine} (which reaches {@link io.nexttrack.engine.gpu.CudaBackend} only when a GPU might be
 * used) and for the kernels' tests and benchmarks.
 */
package io.nexttrack.engine.gpu;
