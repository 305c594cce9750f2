package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;

import io.nexttrack.engine.Availability;
import io.nexttrack.engine.Engine;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.EngineSettings;
import io.nexttrack.engine.GpuBackend;
import io.nexttrack.engine.Lstm;
import io.nexttrack.engine.Scorer;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.Loader;

/**
 * The GPU engines through JavaCPP: CUDA 13 runtime and driver API, cuBLAS and cuDNN 9, and our kernels from
 * the fatbin resource. Whether a GPU works is checked once per process and cached.
 */
public final class CudaBackend implements GpuBackend {
    /** Where the build puts the kernels (cmake/build-native.sh); absent when the build found no nvcc. */
    static final String FATBIN = KernelCatalog.FATBIN_RESOURCE;

    private static final CudaBackend INSTANCE = new CudaBackend();
    private volatile Availability availability;

    private CudaBackend() {}

    public static CudaBackend instance() { return INSTANCE; }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            synchronized (this) {
                if (availability == null) availability = check();
                a = availability;
            }
        }
        return a;
    }

    /**
     * Loads the CUDA runtime bindings (on a machine without the NVIDIA driver the first load throws
     * UnsatisfiedLinkError for libcuda.so.1, and every later use of the class NoClassDefFoundError), counts the
     * devices, then loads cuBLAS, looks for the kernels and notes whether cuDNN is there (a GPU without cuDNN
     * runs the fused LSTM; {@code --lstm cudnn} then fails in one line).
     */
    private static Availability check() {
        List<Path> pip = CudaLibraries.addPipLibraries();
        try {
            int[] count = new int[1];
            int status = cudaGetDeviceCount(count);
            if (status != Cuda.CUDA_SUCCESS) return Availability.no("cudaGetDeviceCount: " + Cuda.runtimeError(status));
            if (count[0] == 0) return Availability.no("no CUDA device");
            cudaDeviceProp p = new cudaDeviceProp();
            Cuda.check(cudaGetDeviceProperties(p, 0), "cudaGetDeviceProperties");
            String device = String.format(Locale.ROOT, "%s, %.0f GiB, sm_%d%d", p.name().getString(),
                    p.totalGlobalMem() / (double) (1L << 30), p.major(), p.minor());
            if (!kernelsRunOn(p.major())) {
                return Availability.no(device + ": the kernels are built for sm_80 and newer (cuModuleLoadData would find no code for it)");
            }
            try {
                Loader.load(cublas.class);
            } catch (LinkageError e) {
                String missing = CudaLibraries.missingLibrary(e);
                String why = missing != null ? missing + " not found" : Availability.failedLoad(e).description();
                return Availability.no("cuBLAS cannot be loaded (" + why + "); " + HOW_TO_GET);
            }
            if (CudaBackend.class.getResource(FATBIN) == null) {
                return Availability.no("this build has no CUDA kernels (" + FATBIN.substring(1) + " missing: built without nvcc)");
            }
            String noCudnn = cudnnMissing();
            if (!pip.isEmpty()) device += "; CUDA libraries from " + pip.stream().map(Path::toString).collect(Collectors.joining(", "));
            return Availability.yes(noCudnn == null ? device : device + "; " + noCudnn);
        } catch (LinkageError e) {
            String missing = CudaLibraries.missingLibrary(e);
            if (missing != null && !missing.startsWith("libcuda.so")) return Availability.no(missing + " not found; " + HOW_TO_GET);
            return Availability.failedLoad(e);
        } catch (GpuException e) {
            return Availability.no(e.getMessage());
        }
    }

    /** What to do when the CUDA runtime or cuBLAS is missing on a machine with a driver (docs/gpu.md). */
    static final String HOW_TO_GET = "install the CUDA 13 libraries: the CUDA toolkit, NVIDIA's pip packages nvidia-cuda-runtime"
            + " and nvidia-cublas (found in the active Python environment, ~/.local or the system's site-packages), or build with"
            + " mvn -Pcuda-redist";

    /**
     * Why cuDNN cannot be used here, or null when it can. Only {@code --lstm cudnn} needs it: the fused LSTM runs on the
     * CUDA runtime, cuBLAS and our kernels alone. Checked once, with the GPU.
     */
    private static volatile String cudnnMissing;

    private static String cudnnMissing() {
        try {
            Loader.load(cudnn.class);
            if (cudnn.cudnnGetVersion() == 0) cudnnMissing = "no cuDNN (this cuDNN reports version 0: the CUDA emulation's)";
        } catch (LinkageError e) {
            String missing = CudaLibraries.missingLibrary(e);
            String m = missing != null ? missing + " not found"
                    : e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            cudnnMissing = "no cuDNN (" + m + ")";
        }
        return cudnnMissing;
    }

    /** For {@code --lstm cudnn}: one line naming what is missing and how to get it. */
    static void requireCudnn() {
        String missing = cudnnMissing;
        if (missing != null) {
            throw new EngineFactory.UnavailableException("--lstm cudnn: " + missing + "; the default --lstm fused needs no cuDNN, or install"
                    + " cuDNN 9 for CUDA 13 (libcudnn*.so.9: NVIDIA's nvidia-cudnn-cu13 pip package, the cuDNN 9 package of the CUDA"
                    + " repository, or the org.bytedeco:cuda:" + preset() + ":linux-x86_64-redist-cudnn jar: see README, GPU engine)");
        }
    }

    /** The JavaCPP CUDA preset's version (from its jar), for messages. */
    static String preset() {
        try {
            String v = Loader.getVersion("org.bytedeco", "cuda");
            return v == null ? "<version>" : v;
        } catch (java.io.IOException | RuntimeException e) {
            return "<version>";
        }
    }

    /**
     * Whether the fatbin has code for a device of this compute capability: sm_80 cubins run on every 8.x device, and
     * the sm_90 PTX is compiled by the driver for 9.0 and newer; nothing runs below 8.0 (NvccFatbin.cmake).
     */
    static boolean kernelsRunOn(int major) {
        return major >= 8;
    }

    @Override
    public Engine training(Parameters parameters, Adam adam, EngineSettings settings, Lstm lstm) {
        if (lstm == Lstm.CUDNN) requireCudnn();
        return new GpuTrainingEngine(parameters, adam, settings, lstm);
    }

    @Override
    public Scorer scorer(Parameters parameters, int lanes, int steps, Lstm lstm) {
        if (lstm == Lstm.CUDNN) requireCudnn();
        return new GpuScorer(parameters, lanes, steps, lstm);
    }
}
