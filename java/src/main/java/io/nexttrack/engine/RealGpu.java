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

    /** A short reason for a failed start: the missing library or class, not a stack trace. */
    static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        if (m.contains("libcuda.so")) return "no NVIDIA driver (libcuda.so.1 not found)";
        if (e instanceof NoClassDefFoundError) return "the GPU bindings are not on the class path (" + m + ")";
        return m;
    }
}
