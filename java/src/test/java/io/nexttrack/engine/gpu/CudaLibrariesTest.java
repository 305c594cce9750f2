package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.engine.EngineFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA libraries of NVIDIA's pip packages are found where pip puts them, and only those the toolkit's places
 * lack; on the CUDA emulation, a CLI whose class path holds no CUDA library trains on the GPU with the libraries
 * taken from a Python environment's {@code site-packages/nvidia/cu13/lib}, without cuDNN.
 */
class CudaLibrariesTest {
    @TempDir Path tmp;

    static void touch(Path dir, String... files) throws IOException {
        Files.createDirectories(dir);
        for (String f : files) Files.writeString(dir.resolve(f), "");
    }

    @Test
    void findsWhatTheToolkitLacksInTheActiveEnvironmentFirst() throws IOException {
        Path venv = tmp.resolve("venv"), home = tmp.resolve("home"), toolkit = tmp.resolve("toolkit");
        Path cu13 = venv.resolve("lib/python3.12/site-packages/nvidia/cu13/lib");
        Path cudnn = venv.resolve("lib/python3.12/site-packages/nvidia/cudnn/lib");
        Path userCu13 = home.resolve(".local/lib/python3.11/site-packages/nvidia/cu13/lib");
        touch(cu13, "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13");
        touch(cudnn, "libcudnn.so.9", "libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_adv.so.9", "libcudnn_cnn.so.9");
        touch(userCu13, "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13");
        touch(toolkit);

        assertEquals(List.of(cu13, cudnn), CudaLibraries.pipDirectories(Map.of("VIRTUAL_ENV", venv.toString()), home, List.of(toolkit)));
        assertEquals(List.of(userCu13), CudaLibraries.pipDirectories(Map.of(), home, List.of(toolkit)),
                "without an active environment, the user's site-packages (no cuDNN there: nothing else)");

        touch(toolkit, "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13");
        assertEquals(List.of(cudnn), CudaLibraries.pipDirectories(Map.of("VIRTUAL_ENV", venv.toString()), home, List.of(toolkit)),
                "what the toolkit has comes from the toolkit");
        assertEquals(List.of(), CudaLibraries.pipDirectories(Map.of(), tmp.resolve("nohome"), List.of(toolkit)));
    }

    @Test
    void newestPythonFirstAndCondaToo() throws IOException {
        Path conda = tmp.resolve("conda"), toolkit = tmp.resolve("toolkit");
        Path old = conda.resolve("lib/python3.9/site-packages/nvidia/cu13/lib"), recent = conda.resolve("lib/python3.12/site-packages/nvidia/cu13/lib");
        touch(old, "libcudart.so.13");
        touch(recent, "libcudart.so.13");
        touch(toolkit);
        assertEquals(List.of(recent), CudaLibraries.pipDirectories(Map.of("CONDA_PREFIX", conda.toString()), tmp, List.of(toolkit)));
    }

    @Test
    void aMissingLibraryIsNamedFromTheLinkersMessageInTheCauses() {
        var cause = new UnsatisfiedLinkError("/tmp/cache/libjnicudnn.so: libcudnn.so.9: cannot open shared object file: No such file or directory");
        var e = new UnsatisfiedLinkError("no jnicudnn in java.library.path: /usr/lib");
        e.initCause(cause);
        assertEquals("libcudnn.so.9", CudaLibraries.missingLibrary(e));
        assertEquals("libcudart.so.13", CudaLibraries.missingLibrary(new UnsatisfiedLinkError(
                "/x/libjnicudart.so: libcudart.so.13: cannot open shared object file: No such file or directory")));
        assertNull(CudaLibraries.missingLibrary(new UnsatisfiedLinkError("no jnicudnn in java.library.path: /usr/lib")));
    }

    /**
     * End to end on the emulation: the stand-ins are copied into a virtual environment's {@code nvidia/cu13/lib} as pip
     * installs CUDA 13's wheels (cuDNN left out), and {@code nexttrack bench --device gpu} runs in a JVM whose class
     * path has the product's classes and jars but not the emulation's directory.
     */
    @Test
    @Tag("gpu")
    void theCliTrainsOnTheGpuWithLibrariesFromAPythonEnvironmentAndNoCudnn() throws Exception {
        String emulation = System.getProperty(GpuRequirement.EMULATION);
        Assumptions.assumeTrue(emulation != null, "only on the CUDA emulation");
        GpuRequirement.assumeGpu();
        Path standIns = Path.of(emulation, "org/bytedeco/cuda/linux-x86_64");
        Path lib = tmp.resolve("venv/lib/python3.12/site-packages/nvidia/cu13/lib");
        Files.createDirectories(lib);
        for (String f : List.of("libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcuda.so.1", "libnexttrack_cudaemu.so")) {
            Files.copy(standIns.resolve(f), lib.resolve(f)); // libcuda.so.1 stands for the driver, found beside the runtime
        }
        Path kernels = tmp.resolve("kernels/io/nexttrack/engine/gpu/kernels.fatbin");
        Files.createDirectories(kernels.getParent());
        try (InputStream in = CudaBackend.class.getResourceAsStream(CudaBackend.FATBIN)) {
            Files.copy(in, kernels);
        }
        List<String> classPath = new ArrayList<>();
        for (Class<?> c : List.of(EngineFactory.class, picocli.CommandLine.class, org.bytedeco.javacpp.Loader.class,
                org.bytedeco.cuda.global.cudart.class)) {
            classPath.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        for (String native_ : List.of("org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so", "org/bytedeco/cuda/linux-x86_64/libjnicudart.so")) {
            URL url = CudaBackend.class.getClassLoader().getResource(native_);
            String jar = url.getPath().substring("file:".length(), url.getPath().indexOf("!/"));
            classPath.add(jar);
        }
        classPath.add(tmp.resolve("kernels").toString());
        assertTrue(classPath.stream().noneMatch(p -> p.startsWith(emulation)), classPath.toString());

        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dorg.bytedeco.javacpp.cachedir=" + tmp.resolve("javacpp-cache"), "-cp", String.join(File.pathSeparator, classPath),
                "io.nexttrack.cli.Main", "bench", "--device", "gpu", "--songs", "40", "--steps", "2", "--warmup", "1", "--hidden", "8",
                "--embedding", "8", "--batch", "4", "--unroll", "3");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("VIRTUAL_ENV", tmp.resolve("venv").toString());
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().remove("CONDA_PREFIX");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String device = out.lines().filter(l -> l.startsWith("device: ")).findFirst().orElse("");
        assertTrue(device.startsWith("device: gpu") && device.contains("nexttrack CUDA emulation"), out);
        assertTrue(device.contains("CUDA libraries from " + lib), device);
        assertTrue(device.contains("no cuDNN (libcudnn"), device);
    }
}
