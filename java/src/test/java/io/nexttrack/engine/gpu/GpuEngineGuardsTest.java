package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.cpu.CpuModel;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.cuda.global.cudnn;
import org.junit.jupiter.api.Test;

/**
 * Decisions of the GPU engine that would only show on a GPU, checked on the CPU: which cuDNN statuses make the
 * persistent LSTM fall back to STANDARD, which batches the engine refuses, and on which devices the fatbin's
 * kernels can run.
 */
class GpuEngineGuardsTest {

    /** cuDNN 9 refuses the persistent algorithm with 3000 or a sub-code (the probe saw 3000; shapes give 3002). */
    @Test
    void everyNotSupportedStatusOfCudnn9FallsBack() {
        int[] notSupported = {cudnn.CUDNN_STATUS_NOT_SUPPORTED, cudnn.CUDNN_STATUS_NOT_SUPPORTED_GRAPH_PATTERN,
                cudnn.CUDNN_STATUS_NOT_SUPPORTED_SHAPE, cudnn.CUDNN_STATUS_NOT_SUPPORTED_DATA_TYPE, cudnn.CUDNN_STATUS_NOT_SUPPORTED_LAYOUT,
                cudnn.CUDNN_STATUS_NOT_SUPPORTED_ARCH_MISMATCH, cudnn.CUDNN_STATUS_NOT_SUPPORTED_SHARED_MEMORY_INSUFFICIENT,
                cudnn.CUDNN_STATUS_NOT_SUPPORTED_PADDING, cudnn.CUDNN_STATUS_NOT_SUPPORTED_BAD_LAUNCH_PARAM,
                cudnn.CUDNN_STATUS_NOT_SUPPORTED_INVALID_DYNAMIC_SHAPE};
        for (int status : notSupported) assertTrue(Cuda.cudnnNotSupported(status), "status " + status);
        for (int status : new int[] {cudnn.CUDNN_STATUS_SUCCESS, cudnn.CUDNN_STATUS_BAD_PARAM, cudnn.CUDNN_STATUS_BAD_PARAM + 2,
                cudnn.CUDNN_STATUS_INTERNAL_ERROR, cudnn.CUDNN_STATUS_EXECUTION_FAILED, cudnn.CUDNN_STATUS_NOT_INITIALIZED}) {
            assertFalse(Cuda.cudnnNotSupported(status), "status " + status);
        }
    }

    /** A batch of another shape is refused as the CPU engine refuses it, before a kernel indexes past its arrays. */
    @Test
    void batchesOfAnotherShapeAreRefusedLikeOnTheCpu() {
        GpuModel.checkShape(new Batch(16, 7), 16, 7);
        Parameters params = new Parameters(new ModelConfig(11, 3, 4, 1, 0.1f, false, 0f)).initialise(1);
        for (Batch wrong : new Batch[] {new Batch(15, 7), new Batch(16, 8)}) {
            IllegalArgumentException gpu = assertThrows(IllegalArgumentException.class, () -> GpuModel.checkShape(wrong, 16, 7));
            wrong.clear();
            try (CpuModel cpu = new CpuModel(params, 16, 7, 1)) {
                IllegalArgumentException onCpu = assertThrows(IllegalArgumentException.class, () -> cpu.forward(wrong));
                assertEquals(onCpu.getMessage(), gpu.getMessage());
            }
        }
    }

    /** Availability refuses exactly the devices for which the fatbin (CUDA_ARCHS in NvccFatbin.cmake) holds no code. */
    @Test
    void availabilityAcceptsTheDevicesTheFatbinHasCodeFor() throws IOException {
        Path cmake = Path.of(System.getProperty("nexttrack.native.dir", "../native"), "..", "cmake", "NvccFatbin.cmake");
        Matcher m = Pattern.compile("set\\(CUDA_ARCHS \"([0-9;]+)\"").matcher(Files.readString(cmake));
        assertTrue(m.find(), "CUDA_ARCHS in " + cmake);
        int oldest = Arrays.stream(m.group(1).split(";")).mapToInt(Integer::parseInt).min().orElseThrow();
        for (int major = 5; major <= 12; major++) {
            assertEquals(major >= oldest / 10, CudaBackend.kernelsRunOn(major), "compute capability " + major + ".x, cubins from sm_" + oldest);
        }
    }
}
