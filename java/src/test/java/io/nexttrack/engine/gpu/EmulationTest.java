package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES;
import static org.bytedeco.cuda.global.cudart.cuFuncSetAttribute;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cudaDeviceReset;
import static org.bytedeco.cuda.global.cudart.cudaEventRecord;
import static org.bytedeco.cuda.global.cudart.cudaEventSynchronize;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.engine.Engine;
import io.nexttrack.engine.Device;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.EngineSettings;
import io.nexttrack.engine.Lstm;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The CUDA emulation (native/emu/) catches each class of fault it claims to: every test here provokes one through
 * the real JavaCPP bindings and checks that it shows, as an exception that names it or as NaN where a GPU would
 * give garbage. Runs only in the emulated run (the gpu-emulation execution); a real GPU does none of this.
 * Kernels are launched by name with cuLaunchKernel, as the engine does, so that the launches can be wrong on purpose.
 */
@Tag("gpu")
class EmulationTest {
    static final int CUDA_ERROR_INVALID_VALUE = 1, CUDA_ERROR_INVALID_CONTEXT = 201, CUDA_ERROR_ILLEGAL_ADDRESS = 700;

    GpuContext ctx;
    CUmod_st module;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(System.getProperty(GpuRequirement.EMULATION) != null, "only on the CUDA emulation");
        GpuRequirement.assumeGpu();
        ctx = new GpuContext();
        byte[] image;
        try (InputStream in = EmulationTest.class.getResourceAsStream("/io/nexttrack/engine/gpu/kernels.fatbin")) {
            image = in.readAllBytes();
        }
        module = new CUmod_st();
        BytePointer bytes = new BytePointer(image.length);
        bytes.put(image);
        Cuda.checkDriver(cuModuleLoadData(module, bytes), "cuModuleLoadData");
    }

    @AfterEach
    void stop() {
        if (ctx != null) ctx.close();
    }

    CUfunc_st function(String name) {
        CUfunc_st f = new CUfunc_st();
        Cuda.checkDriver(cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + name + ")");
        return f;
    }

    /** cuLaunchKernel's kernelParams for these values: device addresses as Long, Integer, Float. */
    static PointerPointer<?> params(Object... values) {
        BytePointer slots = new BytePointer(8L * values.length);
        PointerPointer<?> pointers = new PointerPointer<>(values.length);
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case Long l -> slots.putLong(8L * i, l);
                case Integer x -> slots.putInt(8L * i, x);
                case Float x -> slots.putFloat(8L * i, x);
                default -> throw new IllegalArgumentException(String.valueOf(values[i]));
            }
            pointers.put(i, DevicePointer.at(slots.address() + 8L * i));
        }
        return pointers;
    }

    int launch(String kernel, int grid, int block, int shared, Object... args) {
        return cuLaunchKernel(function(kernel), grid, 1, 1, block, 1, 1, shared, ctx.stream, params(args), null);
    }

    void launchOk(String kernel, int grid, int block, int shared, Object... args) {
        Cuda.checkDriver(launch(kernel, grid, block, shared, args), "cuLaunchKernel(" + kernel + ")");
    }

    static String message(Executable e) {
        return assertThrows(GpuException.class, e).getMessage();
    }

    @Test
    void unwrittenDeviceMemoryReadsAsNaN() {
        DeviceBuffer fresh = ctx.floats("never written", 5);
        for (float x : GpuKernelsTest.down(ctx, fresh, 5)) assertTrue(Float.isNaN(x), "fresh device memory is NaN, got " + x);
        // A kernel that reads what nobody wrote passes the NaN on.
        DeviceBuffer a = GpuKernelsTest.up(ctx, 1, 2, 3, 4, 5), out = ctx.floats("product", 5);
        launchOk("nt_multiply", 1, 32, 0, a.address(), fresh.address(), out.address(), 5);
        for (float x : GpuKernelsTest.down(ctx, out, 5)) assertTrue(Float.isNaN(x));
    }

    @Test
    void copiesOutOfBoundsOrInTheWrongDirectionAreRefused() {
        DeviceBuffer d = ctx.floats("four floats", 4);
        FloatPointer host = new FloatPointer(8);
        String past = message(() -> ctx.toDevice(d.address(), host, 20, "one float too many"));
        assertTrue(past.contains("bytes [0, 20) of the device allocation") && past.contains("(out of bounds)"), past);
        String before = message(() -> ctx.toHost(host, d.address() - 4, 8, "one float before"));
        assertTrue(before.contains("out of bounds"), before);
        PinnedBuffer pinned = ctx.pinned("page-locked", 16);
        String direction = message(() -> Cuda.check(cudaMemcpyAsync(pinned.pointer(), host, 16, cudaMemcpyHostToDevice, ctx.stream),
                "cudaMemcpyAsync to a host buffer as if it were the device"));
        assertTrue(direction.contains("invalid copy direction") && direction.contains("page-locked host allocation"), direction);
    }

    /** The destination of a queued copy to the host reads as NaN until the host waits for it. */
    @Test
    void readingAPinnedBufferBeforeItsEventShowsNaN() {
        DeviceBuffer d = GpuKernelsTest.up(ctx, 1.5f, 2.5f);
        PinnedBuffer pinned = ctx.pinned("result slot", 8);
        pinned.buffer.putFloat(0, 7f).putFloat(4, 7f);
        CUevent_st copied = ctx.event();
        ctx.toHost(pinned.pointer(), d.address(), 8, "result");
        Cuda.check(cudaEventRecord(copied, ctx.stream), "cudaEventRecord");
        assertTrue(Float.isNaN(pinned.buffer.getFloat(0)) && Float.isNaN(pinned.buffer.getFloat(4)), "read before the event: NaN");
        Cuda.check(cudaEventSynchronize(copied), "cudaEventSynchronize");
        assertEquals(1.5f, pinned.buffer.getFloat(0));
        assertEquals(2.5f, pinned.buffer.getFloat(4));
    }

    /** A page-locked staging buffer rewritten before its queued copy ran: reported when the host next waits. */
    @Test
    void aStagingBufferRewrittenBeforeItsCopyRanIsReported() {
        DeviceBuffer d = ctx.floats("destination", 2);
        PinnedBuffer staging = ctx.pinned("staging", 8);
        staging.buffer.putFloat(0, 1f).putFloat(4, 2f);
        ctx.toDevice(d.address(), staging.pointer(), 8, "chunk");
        staging.buffer.putFloat(0, 3f); // the next chunk packed too early
        String m = message(() -> ctx.synchronize("the copy runs"));
        assertTrue(m.contains("illegal memory access") && m.contains("the host source was changed after the copy was queued"), m);
    }

    /** The driver API needs a current context: a thread that has made no runtime call has none. */
    @Test
    void aLaunchFromAThreadWithoutAContextFails() throws InterruptedException {
        DeviceBuffer out = ctx.floats("out", 4);
        AtomicReference<Integer> status = new AtomicReference<>();
        Thread other = new Thread(() -> status.set(launch("nt_fill", 1, 32, 0, out.address(), 1f, 4)));
        other.start();
        other.join();
        assertEquals(CUDA_ERROR_INVALID_CONTEXT, status.get());
        launchOk("nt_fill", 1, 32, 0, out.address(), 1f, 4); // this thread has one (its runtime calls made it current)
        assertArrayEquals(new float[] {1, 1, 1, 1}, GpuKernelsTest.down(ctx, out, 4));
    }

    @Test
    void kernelPointersOutsideLiveAllocationsAreRefused() {
        DeviceBuffer out = ctx.floats("out", 4);
        String wild = message(() -> Cuda.checkDriver(launch("nt_fill", 1, 32, 0, out.address() + (1L << 20), 1f, 4), "wild pointer"));
        assertTrue(wild.contains("nt_fill argument 0 (float*)") && wild.contains("is not in a live device allocation"), wild);
        DeviceBuffer freed = DeviceBuffer.floats("freed", 4);
        long address = freed.address();
        freed.close();
        String stale = message(() -> Cuda.checkDriver(launch("nt_fill", 1, 32, 0, address, 1f, 4), "freed buffer"));
        assertTrue(stale.contains("not in a live device allocation"), stale);
        PinnedBuffer host = ctx.pinned("host", 16);
        String pinned = message(() -> Cuda.checkDriver(launch("nt_fill", 1, 32, 0, host.address(), 1f, 4), "host memory"));
        assertTrue(pinned.contains("not in a live device allocation"), pinned);
    }

    /** A kernel that writes past its buffer (here: n one too large) is caught by the red zone after the allocation. */
    @Test
    void aKernelWritingPastItsBufferIsCaught() {
        DeviceBuffer out = ctx.floats("out", 64);
        launchOk("nt_fill", 1, 32, 0, out.address(), 1f, 65);
        String m = message(() -> ctx.synchronize("the kernel runs"));
        assertTrue(m.contains("kernel nt_fill wrote outside its memory") && m.contains("past the end of the device allocation"), m);
        // The fault is sticky on that stream, as a GPU's context would be: later work there fails too.
        assertThrows(GpuException.class, () -> ctx.toDevice(out.address(), new FloatPointer(1), 4, "after the fault"));
    }

    /** Above 48 KiB of dynamic shared memory a kernel must opt in, and an H100 allows 227 KiB at most. */
    @Test
    void sharedMemoryAbove48KiBNeedsTheOptInAndTheH100Limit() {
        CUfunc_st forward = function("nt_lstm_forward");
        int big = 100 * 1024;
        DeviceBuffer x = ctx.floats("LSTM buffers", 1 << 16);
        long a = x.address();
        Object[] args = {a, a, a, a, a, a, a, a, a, a, a, 1, 1, 4, 1, 0};
        int refused = cuLaunchKernel(forward, 1, 1, 1, 32, 1, 1, big, ctx.stream, params(args), null);
        assertEquals(CUDA_ERROR_INVALID_VALUE, refused);
        assertEquals(CUDA_ERROR_INVALID_VALUE, cuFuncSetAttribute(forward, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, 228 * 1024));
        Cuda.checkDriver(cuFuncSetAttribute(forward, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, big), "opt in");
        Cuda.checkDriver(cuLaunchKernel(forward, 1, 1, 1, 32, 1, 1, big, ctx.stream, params(args), null), "after the opt-in");
        assertEquals(CUDA_ERROR_INVALID_VALUE, launch("nt_fill", 1, 2048, 0, a, 1f, 4), "a block of 2,048 threads");
    }

    /** NT_REQUIRE in a kernel (a trap on a GPU) fails the launch: here nt_loss_sum, which must run as one block. */
    @Test
    void aKernelRequirementFailsTheLaunch() {
        DeviceBuffer rows = GpuKernelsTest.up(ctx, 1, 2, 3), loss = ctx.bytes("loss", 8);
        launchOk("nt_loss_sum", 2, 32, 0, rows.address(), loss.address(), 3);
        String m = message(() -> ctx.synchronize("the kernel runs"));
        assertTrue(m.contains("unspecified launch failure") && m.contains("kernel requirement failed: gridDim.x == 1"), m);
    }

    /** cuBLAS operands are checked against their allocations: C one row short here. */
    @Test
    void gemmOperandsOutsideTheirAllocationsAreRefused() {
        DeviceBuffer a = ctx.floats("A", 6), b = ctx.floats("B", 6), c = ctx.floats("C", 8);
        RowMajorGemm g = new RowMajorGemm(false, false, 3, 3, 2, 2, 3, 3); // C is 3 x 3: 9 floats
        String m = message(() -> ctx.blas.gemm(g, 1f, a.address(), b.address(), 0f, c.address()));
        assertTrue(m.contains("cublasSgemm: C (3 x 3, ld 3, 36 bytes)") && m.contains("out of bounds"), m);
    }

    /**
     * Where the build had no nvcc, the emulation's stand-in fatbin (the kernel names of native/*.cuh) is the module:
     * every kernel of the catalogue is found in it, and a name it lacks is not.
     */
    @Test
    void theStandInFatbinNamesEveryKernel() throws IOException {
        byte[] image = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(System.getProperty(GpuRequirement.EMULATION),
                "io/nexttrack/engine/gpu/kernels.fatbin"));
        assertTrue(new String(image, java.nio.charset.StandardCharsets.US_ASCII).startsWith("NTEMU-FATBIN\n"));
        BytePointer bytes = new BytePointer(image.length); // as KernelModule loads it: no terminating NUL
        bytes.put(image);
        CUmod_st standIn = new CUmod_st();
        Cuda.checkDriver(cuModuleLoadData(standIn, bytes), "cuModuleLoadData(stand-in)");
        for (KernelCatalog k : KernelCatalog.values()) Cuda.checkDriver(cuModuleGetFunction(new CUfunc_st(), standIn, k.cudaName()), k.cudaName());
        assertEquals(500, cuModuleGetFunction(new CUfunc_st(), standIn, "nt_no_such_kernel"), "CUDA_ERROR_NOT_FOUND");
    }

    /** Every function the JNI libraries import exists; one that is not emulated says so instead of killing the JVM. */
    @Test
    void aFunctionThatIsNotEmulatedSaysSo() {
        int status = cudaDeviceReset();
        assertEquals(801, status);
        String m = Cuda.runtimeError(status);
        assertTrue(m.contains("not emulated: cudaDeviceReset"), m);
    }

    /**
     * A GPU without cuDNN (here: the emulation's, whose cuDNN reports version 0) runs the fused LSTM, and
     * {@code --lstm cudnn} is one line saying what is missing and how to get it.
     */
    @Test
    void withoutCudnnTheFusedLstmTrainsAndCudnnIsOneLine() {
        Parameters params = new Parameters(new ModelConfig(50, 8, 8, 1, 0.1f, false, 0f)).initialise(1);
        EngineSettings config = new EngineSettings(4, 3, 5, 1);
        EngineFactory fused = new EngineFactory(Device.GPU, Lstm.FUSED, 1, CudaBackend::instance);
        assertTrue(fused.describe().contains("; no cuDNN ("), fused.describe());
        try (Engine engine = fused.training(params, new Adam(params.size()), config)) {
            assertInstanceOf(GpuTrainingEngine.class, engine);
        }
        EngineFactory cudnn = new EngineFactory(Device.GPU, Lstm.CUDNN, 1, CudaBackend::instance);
        EngineFactory.UnavailableException e = assertThrows(EngineFactory.UnavailableException.class,
                () -> cudnn.training(params, new Adam(params.size()), config));
        assertTrue(e.getMessage().startsWith("--lstm cudnn: no cuDNN (") && e.getMessage().contains("--lstm fused needs no cuDNN")
                && e.getMessage().contains("redist-cudnn"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** cudaDeviceProp as the emulation fills it is read right by JavaCPP's layout: an H100's limits. */
    @Test
    void devicePropertiesAreAnH100s() {
        cudaDeviceProp p = new cudaDeviceProp();
        Cuda.check(cudaGetDeviceProperties(p, 0), "cudaGetDeviceProperties");
        assertEquals("nexttrack CUDA emulation (H100 limits)", p.name().getString());
        assertEquals(9, p.major());
        assertEquals(0, p.minor());
        assertEquals(132, p.multiProcessorCount());
        assertEquals(227L * 1024, p.sharedMemPerBlockOptin());
        assertEquals(1024, p.maxThreadsPerBlock());
    }
}
