package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * native/gpu-check.sh without a GPU: it fails cleanly, in one line, when .device/ is missing or there is no GPU,
 * and (dry run, with a stand-in nvidia-smi) plans the GPU tests with the GPU required, both LSTMs' benchmarks at
 * both vocabulary sizes and the PyTorch anchor at the same shapes.
 */
class GpuCheckScriptTest {
    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    static Path script() {
        return Path.of(System.getProperty("nexttrack.native.dir", "../native"), "gpu-check.sh").toAbsolutePath();
    }

    Result run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", script().toString());
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gpu-check.sh finished");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void withoutDeviceFolderItSaysHowToMakeOne() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("nothing"));
        Result r = run(Map.of("GPU_CHECK_DEVICE_DIR", empty.toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals("gpu-check: no " + empty + "/java here: prepare it with 'bash native/gpu-check.sh --pack' on a machine with Java and Maven",
                r.err().strip());
    }

    @Test
    void withoutGpuItSaysSo() throws Exception {
        Path device = fakeDevice();
        Result r = run(Map.of("GPU_CHECK_DEVICE_DIR", device.toString(), "GPU_CHECK_NVIDIA_SMI", "nvidia-smi-not-on-this-machine"));
        assertEquals(2, r.code(), r.err());
        assertEquals("gpu-check: no GPU here (nvidia-smi not found)", r.err().strip());
    }

    @Test
    void onAGpuMachineItRunsEveryCheck() throws Exception {
        Path device = fakeDevice();
        Path smi = Files.writeString(dir.resolve("smi"), "#!/bin/sh\necho 'Fake H100, 580.00, 81559 MiB'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r = run(Map.of("GPU_CHECK_DEVICE_DIR", device.toString(), "GPU_CHECK_NVIDIA_SMI", smi.toString(), "GPU_CHECK_DRY_RUN", "1"));
        assertEquals(0, r.code(), r.err());
        String plan = r.out();
        assertTrue(plan.contains("JAVA_OPTS=-Dnexttrack.gpu.required=true"), plan);
        assertTrue(plan.contains("--select-package io.nexttrack.engine.gpu --include-tag gpu --exclude-engine jqwik --fail-if-no-tests"), plan);
        for (String lstm : new String[] {"fused", "cudnn"}) {
            assertTrue(plan.contains("io.nexttrack.cli.Main bench --device gpu --lstm " + lstm + " --songs 3168,75262"), plan);
        }
        assertTrue(plan.contains("torch_seed_model.py --device cuda --songs 3168 75262 --precision fp32"), plan);
        int total = 0;
        for (String line : plan.lines().toList()) total += Integer.parseInt(line.replaceAll(".*, (\\d+)s\\): .*", "$1"));
        assertTrue(total <= 360, "every step under timeout, 6 minutes in all: " + total + " s");
    }

    private Path fakeDevice() throws IOException {
        Path device = Files.createDirectories(dir.resolve("device"));
        for (String f : new String[] {"java", "junit", "classpath"}) Files.writeString(device.resolve(f), "");
        return device;
    }
}
