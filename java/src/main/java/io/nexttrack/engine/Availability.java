package io.nexttrack.engine;

/**
 * Whether a GPU engine can run here, with a one-line reason for people: the device's name when it can,
 * why not when it cannot (e.g. "no NVIDIA driver (libcuda.so.1 not found)").
 */
public record Availability(boolean available, String description) {
    public static Availability yes(String device) { return new Availability(true, device); }

    public static Availability no(String reason) { return new Availability(false, reason); }

    /**
     * No GPU because loading the bindings failed: without the NVIDIA driver the first load of JavaCPP's CUDA
     * runtime throws UnsatisfiedLinkError for libcuda.so.1 (NoClassDefFoundError afterwards); without the optional
     * bindings on the class path, NoClassDefFoundError for their classes. Says which, in one line.
     */
    public static Availability failedLoad(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("libcuda.so")) return no("no NVIDIA driver (libcuda.so.1 not found)");
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        if (e instanceof NoClassDefFoundError && m.startsWith("org/bytedeco/")) {
            return no("the GPU bindings (org.bytedeco:cuda, optional dependencies) are not on the class path");
        }
        return no("the GPU libraries cannot be loaded (" + m + ")");
    }
}
