package io.nexttrack.engine.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The kernels of native/ built for the CPU ({@code libnexttrack_kernels_host.so}, see native/README.md), called
 * through java.lang.foreign. Each kernel K has the launcher {@code host_K(grid, block, shared bytes, K's
 * arguments)}, whose downcall signature comes from {@link KernelCatalog}, as the GPU engine's launch wrappers do.
 * Missing library: the test is skipped, or fails under CI (CI=true), where the build always makes it.
 */
final class HostKernels {
    private static final String PROPERTY = "nexttrack.kernels.host";
    private static HostKernels loaded;

    private final Map<KernelCatalog, MethodHandle> launchers = new EnumMap<>(KernelCatalog.class);

    private HostKernels(Path library) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lookup = SymbolLookup.libraryLookup(library, Arena.global());
        for (KernelCatalog kernel : KernelCatalog.values()) {
            List<MemoryLayout> args = new ArrayList<>(List.of(JAVA_INT, JAVA_INT, JAVA_INT));
            for (KernelCatalog.Param p : kernel.params()) args.add(layout(p.kind()));
            String symbol = "host_" + kernel.cudaName();
            MemorySegment address = lookup.find(symbol).orElseThrow(() -> new AssertionError(symbol + " missing in " + library));
            launchers.put(kernel, linker.downcallHandle(address, FunctionDescriptor.of(JAVA_INT, args.toArray(MemoryLayout[]::new))));
        }
    }

    private static MemoryLayout layout(KernelCatalog.Kind kind) {
        return switch (kind) {
            case POINTER -> ADDRESS;
            case INT -> JAVA_INT;
            case FLOAT -> JAVA_FLOAT;
            case DOUBLE -> JAVA_DOUBLE;
        };
    }

    /** The library, or the test is skipped (failed under CI) with the reason. */
    static synchronized HostKernels require() {
        if (loaded != null) return loaded;
        String path = System.getProperty(PROPERTY);
        Path library = path == null ? null : Path.of(path);
        boolean present = library != null && Files.isRegularFile(library);
        String message = "host build of the kernels not found at " + library + " (cmake/build-native.sh makes it during"
                + " the Maven build; it needs cmake and a C++20 compiler; -D" + PROPERTY + "=... points elsewhere)";
        if (!present && "true".equals(System.getenv("CI"))) throw new AssertionError(message);
        Assumptions.assumeTrue(present, message);
        loaded = new HostKernels(library);
        return loaded;
    }

    /** Runs one launch to completion; {@code args} are the kernel's, in order: MemorySegment, Integer, Float, Double. */
    void launch(Launch launch, Object... args) {
        KernelCatalog kernel = launch.kernel();
        List<KernelCatalog.Param> params = kernel.params();
        if (args.length != params.size()) throw new IllegalArgumentException(kernel.cudaName() + " takes " + params.size() + " arguments");
        Object[] all = new Object[3 + args.length];
        all[0] = launch.grid();
        all[1] = launch.block();
        all[2] = launch.sharedBytes();
        for (int i = 0; i < args.length; i++) {
            Class<?> expected = switch (params.get(i).kind()) {
                case POINTER -> MemorySegment.class;
                case INT -> Integer.class;
                case FLOAT -> Float.class;
                case DOUBLE -> Double.class;
            };
            if (!expected.isInstance(args[i])) {
                throw new IllegalArgumentException(kernel.cudaName() + " argument " + params.get(i).name() + ": " + args[i]);
            }
            all[3 + i] = args[i];
        }
        int status;
        try {
            status = (int) launchers.get(kernel).invokeWithArguments(all);
        } catch (Throwable e) {
            throw new AssertionError(kernel.cudaName(), e);
        }
        if (status != 0) throw new AssertionError(kernel.cudaName() + ": impossible launch " + launch);
    }

    static MemorySegment floats(Arena arena, float[] a) { return arena.allocateFrom(JAVA_FLOAT, a); }

    static MemorySegment ints(Arena arena, int[] a) { return arena.allocateFrom(JAVA_INT, a); }

    static MemorySegment bytes(Arena arena, byte[] a) { return arena.allocateFrom(JAVA_BYTE, a); }

    static MemorySegment doubles(Arena arena, int n) { return arena.allocate(JAVA_DOUBLE, n); }

    static float[] floats(MemorySegment s) { return s.toArray(JAVA_FLOAT); }

    static double[] doubles(MemorySegment s) { return s.toArray(JAVA_DOUBLE); }
}
