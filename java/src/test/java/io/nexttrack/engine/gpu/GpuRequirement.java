package io.nexttrack.engine.gpu;

import io.nexttrack.YesData;
import io.nexttrack.engine.Availability;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * How a GPU test starts: it skips where no GPU works, and FAILS instead when {@code -Dnexttrack.gpu.required=true}
 * (native/gpu-check.sh sets it), so that a broken library path on a GPU machine cannot pass quietly.
 */
final class GpuRequirement {
    static final String PROPERTY = "nexttrack.gpu.required";

    private GpuRequirement() {}

    static void assumeGpu() {
        check(CudaBackend.instance().availability(), Boolean.getBoolean(PROPERTY));
    }

    /** yes_small for the GPU tests: missing data fails them too when a GPU is required (gpu-check.sh carries a copy). */
    static Path yesData() {
        String dir = System.getenv("NEXTTRACK_YES_DATA");
        if (Boolean.getBoolean(PROPERTY) && (dir == null || !Files.isRegularFile(Path.of(dir, "train.txt")))) {
            Assertions.fail("-D" + PROPERTY + "=true needs NEXTTRACK_YES_DATA pointing at yes_small, got " + dir);
        }
        return YesData.require();
    }

    static void check(Availability a, boolean required) {
        if (a.available()) return;
        if (required) Assertions.fail("a GPU is required (-D" + PROPERTY + "=true) but none works: " + a.description());
        Assumptions.abort("no GPU: " + a.description());
    }
}
