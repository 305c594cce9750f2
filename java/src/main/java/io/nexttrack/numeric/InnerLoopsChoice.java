package io.nexttrack.numeric;

/**
 * Chooses {@link InnerLoops#CHOSEN} once, when the first inner loop runs: the Vector API where the JVM has the
 * incubator module, the scalar twins otherwise (with one line on stderr saying how to get the fast path) or when
 * {@value #PROPERTY}{@code =false} asks for them (tests, comparisons; no note then). Public only for the tests of the
 * CPU engine, which start JVMs with and without the module.
 */
public final class InnerLoopsChoice {
    /** System property: {@code false} forces the scalar inner loops even where the module is present. */
    public static final String PROPERTY = "nexttrack.vector";
    public static final String MODULE = "jdk.incubator.vector";
    /** The note, printed once per process when the module is missing. */
    public static final String NOTE = "nexttrack: note: the JVM runs without the Vector API, so the CPU engine uses its scalar code; "
            + "add the JVM option --add-modules " + MODULE + " to make it several times faster";

    private InnerLoopsChoice() {}

    static InnerLoops choose() {
        boolean module = ModuleLayer.boot().findModule(MODULE).isPresent();
        if (module && !"false".equalsIgnoreCase(System.getProperty(PROPERTY))) return new VectorInnerLoops();
        if (!module) System.err.println(NOTE);
        return new ScalarInnerLoops();
    }
}
