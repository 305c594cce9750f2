package io.nexttrack.engine.gpu;

import io.nexttrack.YesData;
import io.nexttrack.engine.Availability;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Lstm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * How a GPU test starts: it skips where no GPU works, and FAILS instead when {@code -Dnexttrack.gpu.required=true}
 * (native/gpu-check.sh sets it), so that a broken library path on a GPU machine cannot pass quietly. In the run on
 * the CUDA emulation ({@code -Dnexttrack.gpu.emulation=DIR}, the gpu-emulation execution in java/pom.xml) a GPU is
 * required too, once the emulation is built, and the cuDNN LSTM's cases skip: cuDNN is not emulated.
 */
final class GpuRequirement {
    static final String PROPERTY = "nexttrack.gpu.required";
    static final String EMULATION = "nexttrack.gpu.emulation";

    private GpuRequirement() {}

    static void assumeGpu() {
        String emulation = System.getProperty(EMULATION);
        if (emulation != null) requireEmulation(Path.of(emulation));
        Availability a = CudaBackend.instance().availability();
        check(a, required());
        if (emulation != null && !a.description().startsWith("nexttrack CUDA emulation")) {
            Assertions.fail("the emulated run found another CUDA (" + a.description() + "): a CUDA library before the emulation on"
                    + " the class path?");
        }
    }

    /** As {@link #assumeGpu()}, for a test of this LSTM: on the emulation the cuDNN LSTM's cases skip. */
    static void assumeGpu(Lstm lstm) {
        assumeGpu();
        if (lstm == Lstm.CUDNN && System.getProperty(EMULATION) != null) {
            Assumptions.abort("cuDNN is not emulated: the cuDNN LSTM is tested only on a real GPU (native/emu/README.md)");
        }
    }

    static boolean required() {
        return Boolean.getBoolean(PROPERTY) || System.getProperty(EMULATION) != null;
    }

    /**
     * The emulated run needs the emulation's libraries: built wherever the host build of the kernels is (x86-64 Linux
     * with cmake, a C++ compiler and nm); skipped with the reason otherwise, and failed under CI (CI=true).
     */
    private static void requireEmulation(Path dir) {
        boolean built = Files.isRegularFile(dir.resolve("org/bytedeco/cuda/linux-x86_64/libcudart.so.13"));
        String message = "the CUDA emulation is not built at " + dir + " (cmake/build-native.sh builds it on x86-64 Linux with"
                + " cmake, a C++20 compiler and nm)";
        if (!built && "true".equals(System.getenv("CI"))) Assertions.fail(message);
        Assumptions.assumeTrue(built, message);
    }

    /** yes_small for the GPU tests: missing data fails them too when a GPU is required (gpu-check.sh carries a copy). */
    static Path yesData() {
        String dir = System.getenv("NEXTTRACK_YES_DATA");
        if (required() && (dir == null || !Files.isRegularFile(Path.of(dir, "train.txt")))) {
            Assertions.fail("a required GPU test needs NEXTTRACK_YES_DATA pointing at yes_small, got " + dir);
        }
        return YesData.require();
    }

    static void check(Availability a, boolean required) {
        if (a.available()) return;
        if (required) Assertions.fail("a GPU is required (-D" + PROPERTY + "=true) but none works: " + a.description());
        Assumptions.abort("no GPU: " + a.description());
    }
}
