package io.nexttrack.engine;

import io.nexttrack.engine.gpu.CudaBackend;

/**
 * Reaches the CUDA backend only when a GPU might be used: the JVM loads {@link CudaBackend} (and JavaCPP
 * with it) on the first call, so a class path without the optional bindings reads as "no GPU", not a crash.
 */
final class RealGpu {
    private RealGpu() {}

    static GpuBackend backend() {
        return CudaBackend.instance();
    }
}
