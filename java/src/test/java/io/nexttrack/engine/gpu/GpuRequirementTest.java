package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.engine.Availability;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The GPU tests skip without a GPU, but fail when a GPU is required: checked here, where there is none. */
class GpuRequirementTest {
    @Test
    void skipsWithoutAGpuUnlessOneIsRequired() {
        Availability none = Availability.no("no NVIDIA driver (libcuda.so.1 not found)");
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> GpuRequirement.check(none, false));
        assertTrue(skipped.getMessage().contains("libcuda.so.1"), skipped.getMessage());
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, () -> GpuRequirement.check(none, true));
        assertTrue(failed.getMessage().contains("a GPU is required (-Dnexttrack.gpu.required=true) but none works"), failed.getMessage());
        GpuRequirement.check(Availability.yes("H100"), true);
    }
}
