package io.nexttrack.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.engine.cpu.CpuScorer;
import io.nexttrack.engine.cpu.CpuTrainingEngine;
import io.nexttrack.engine.gpu.CudaBackend;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which engine each --device choice gets, and what it says, with a fake GPU (and the real check, which runs anywhere). */
class EngineFactoryTest {
    static final Parameters PARAMS = new Parameters(new ModelConfig(30, 4, 5, 1, 0.1f, false, 0f)).initialise(1);
    static final EngineSettings CONFIG = new EngineSettings(100, 20, 5, 1);

    static EngineFactory factory(Device d, Lstm lstm, GpuBackend gpu) {
        return new EngineFactory(d, lstm, 2, () -> gpu);
    }

    @Test
    void autoWithoutGpuUsesTheCpuAndSaysWhyInOneLine() {
        EngineFactory f = factory(Device.AUTO, Lstm.FUSED, new FakeGpu(Availability.no("no NVIDIA driver (libcuda.so.1 not found)")));
        assertFalse(f.usesGpu());
        assertEquals("device: cpu (2 threads); no GPU: no NVIDIA driver (libcuda.so.1 not found)", f.describe());
        try (Engine e = f.training(PARAMS, new Adam(PARAMS.size()), CONFIG); Scorer s = f.scorer(PARAMS, 3, 4)) {
            assertInstanceOf(CpuTrainingEngine.class, e);
            assertInstanceOf(CpuScorer.class, s);
        }
    }

    @Test
    void gpuWithoutGpuIsAOneLineUserError() {
        EngineFactory f = factory(Device.GPU, Lstm.FUSED, new FakeGpu(Availability.no("no CUDA device")));
        EngineFactory.UnavailableException e = assertThrows(EngineFactory.UnavailableException.class, f::describe);
        assertEquals("--device gpu: no usable GPU (no CUDA device); use --device cpu or auto", e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e, "the command line reports it with exit code 2");
        assertThrows(EngineFactory.UnavailableException.class, () -> f.training(PARAMS, new Adam(PARAMS.size()), CONFIG));
    }

    @Test
    void cpuNeverLooksForAGpu() {
        AtomicInteger looked = new AtomicInteger();
        EngineFactory f = new EngineFactory(Device.CPU, Lstm.CUDNN, 3, () -> {
            looked.incrementAndGet();
            throw new AssertionError("the GPU backend was created");
        });
        assertEquals("device: cpu (3 threads)", f.describe());
        try (Engine e = f.training(PARAMS, new Adam(PARAMS.size()), CONFIG)) {
            assertInstanceOf(CpuTrainingEngine.class, e);
            assertTrue(e.requiredLayout().isEmpty());
        }
        assertEquals(0, looked.get());
    }

    @Test
    void autoAndGpuTakeAWorkingGpu() {
        for (Device d : new Device[] {Device.AUTO, Device.GPU}) {
            FakeGpu gpu = new FakeGpu(Availability.yes("Fake H100, 79 GiB, sm_90"));
            EngineFactory f = factory(d, Lstm.CUDNN, gpu);
            assertEquals("device: gpu (Fake H100, 79 GiB, sm_90), lstm cudnn", f.describe());
            try (Engine e = f.training(PARAMS, new Adam(PARAMS.size()), CONFIG); Scorer s = f.scorer(PARAMS, 2, 2)) {
                assertSame(gpu.engines.get(0), e);
                assertEquals(1, gpu.scorers);
                assertEquals(2, s.lanes());
                assertEquals(java.util.Optional.of(io.nexttrack.data.Batcher.Layout.BUCKETS), e.requiredLayout(), "cuDNN's layout");
            }
        }
    }

    @Test
    void missingBindingsReadAsNoGpu() {
        EngineFactory f = new EngineFactory(Device.AUTO, Lstm.FUSED, 1, () -> {
            throw new NoClassDefFoundError("org/bytedeco/cuda/global/cudart");
        });
        assertFalse(f.usesGpu());
        assertEquals("device: cpu (1 thread); no GPU: the GPU bindings (org.bytedeco:cuda, optional dependencies) are not on the class path",
                f.describe());
        UnsatisfiedLinkError noDriver = new UnsatisfiedLinkError("no jnicudart in java.library.path");
        noDriver.initCause(new UnsatisfiedLinkError("libcuda.so.1: cannot open shared object file: No such file or directory"));
        assertEquals(Availability.no("no NVIDIA driver (libcuda.so.1 not found)"), Availability.failedLoad(noDriver));
    }

    /** The real check: it must never throw, whatever the machine, and explain itself in one line. */
    @Test
    void realAvailabilityIsCachedAndOneLine() {
        Availability a = CudaBackend.instance().availability();
        assertSame(a, CudaBackend.instance().availability(), "checked once");
        assertFalse(a.description().isBlank());
        assertEquals(1, a.description().lines().count(), a.description());
        if (!a.available() && System.getenv("CI") != null) {
            // CI machines have no NVIDIA driver: the first load fails on libcuda.so.1, later ones with NoClassDefFoundError.
            assertEquals("no NVIDIA driver (libcuda.so.1 not found)", a.description());
        }
        EngineFactory auto = EngineFactory.of(Device.AUTO, Lstm.FUSED, 1);
        assertEquals(a.available(), auto.usesGpu());
    }
}
