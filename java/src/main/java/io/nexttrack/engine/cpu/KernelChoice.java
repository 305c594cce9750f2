package io.nexttrack.engine.cpu;

/**
 * Chooses {@link CpuKernels#CHOSEN} once, when the first kernel runs: the Vector API where the JVM has the
 * incubator module, the scalar twins otherwise (with one line on stderr saying how to get the fast path) or when
 * {@value #PROPERTY}{@code =false} asks for them (tests, comparisons; no note then).
 */
final class KernelChoice {
    /** System property: {@code false} forces the scalar kernels even where the module is present. */
    static final String PROPERTY = "nexttrack.vector";
    static final String MODULE = "jdk.incubator.vector";
    /** The note, printed once per process when the module is missing. */
    static final String NOTE = "nexttrack: note: the JVM runs without the Vector API, so the CPU engine uses its scalar code; "
            + "add the JVM option --add-modules " + MODULE + " to make it several times faster";

    private KernelChoice() {}

    static CpuKernels choose() {
        boolean module = ModuleLayer.boot().findModule(MODULE).isPresent();
        if (module && !"false".equalsIgnoreCase(System.getProperty(PROPERTY))) return new VectorKernels();
        if (!module) System.err.println(NOTE);
        return new ScalarKernels();
    }
}
