package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES;
import static org.bytedeco.cuda.global.cudart.cuFuncSetAttribute;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cudaFree;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;

/**
 * The fatbin of {@code native/}, loaded once per process into the primary context, and every {@link KernelCatalog}'s
 * function. Launching goes through {@link #launch}, which checks the launch against the kernel's description.
 */
final class KernelModule {
    private static KernelModule loaded;

    private final Map<KernelCatalog, CUfunc_st> functions = new EnumMap<>(KernelCatalog.class);
    private final Map<KernelCatalog, Integer> sharedLimit = new EnumMap<>(KernelCatalog.class);
    /**
     * The fatbin in native memory, kept for the life of the module: JavaCPP frees a collected BytePointer, and with
     * CUDA's lazy loading (the default since CUDA 12.2) kernels are loaded at their first launch, not here.
     */
    private final BytePointer image;

    private KernelModule() {
        // The runtime creates the primary context lazily; the driver call below needs it to exist and be current.
        Cuda.check(cudaFree(null), "cudaFree(null) (creating the CUDA context)");
        byte[] fatbin;
        try (InputStream in = KernelModule.class.getResourceAsStream(KernelCatalog.FATBIN_RESOURCE)) {
            if (in == null) throw new GpuException("no " + KernelCatalog.FATBIN_RESOURCE.substring(1) + " in this build (built without nvcc)");
            fatbin = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + KernelCatalog.FATBIN_RESOURCE, e);
        }
        image = new BytePointer(fatbin.length);
        image.put(fatbin);
        CUmod_st module = new CUmod_st();
        Cuda.checkDriver(cuModuleLoadData(module, image), "cuModuleLoadData(kernels.fatbin, " + fatbin.length + " bytes)");
        for (KernelCatalog k : KernelCatalog.values()) {
            CUfunc_st f = new CUfunc_st();
            Cuda.checkDriver(cuModuleGetFunction(f, module, k.cudaName()), "cuModuleGetFunction(" + k.cudaName() + ")");
            functions.put(k, f);
        }
    }

    static synchronized KernelModule get() {
        if (loaded == null) loaded = new KernelModule();
        return loaded;
    }

    /**
     * Queues {@code launch} on {@code stream} with the arguments packed in {@code args} (of the same kernel).
     * cuLaunchKernel needs a current context on the calling thread; every engine call queues a runtime-API copy
     * (the chunk's) before its first launch, and a runtime call makes device 0's primary context current on a
     * thread that has none, so a thread other than the one that made the engine launches correctly too.
     */
    void launch(Launch launch, KernelArgs args, CUstream_st stream) {
        if (args.kernel != launch.kernel()) throw new IllegalArgumentException(args.kernel + " arguments for " + launch.kernel());
        CUfunc_st f = functions.get(launch.kernel());
        if (launch.sharedBytes() > 48 * 1024) allowShared(launch.kernel(), f, launch.sharedBytes());
        Cuda.checkDriver(cuLaunchKernel(f, launch.grid(), 1, 1, launch.block(), 1, 1, launch.sharedBytes(), stream, args.pointers, null),
                "cuLaunchKernel(" + launch.kernel().cudaName() + ", grid " + launch.grid() + ", block " + launch.block() + ", shared "
                        + launch.sharedBytes() + ")");
    }

    /** Above 48 KiB of dynamic shared memory a kernel must opt in first (once per size it grows to). */
    private synchronized void allowShared(KernelCatalog k, CUfunc_st f, int bytes) {
        if (sharedLimit.getOrDefault(k, 0) >= bytes) return;
        Cuda.checkDriver(cuFuncSetAttribute(f, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes),
                "cuFuncSetAttribute(" + k.cudaName() + ", max dynamic shared memory " + bytes + ")");
        sharedLimit.put(k, bytes);
    }
}
