package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * cuLaunchKernel passes arguments by position and checks nothing: the {@code extern "C" __global__} declarations
 * in native/*.cuh must match {@link KernelCatalog} exactly (same kernels; per kernel the same parameter names, order
 * and C types, const included).
 */
class KernelDeclarationsTest {
    private static final Pattern DECLARATION = Pattern.compile("extern\\s+\"C\"\\s+__global__\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");

    static Path nativeDir() {
        return Path.of(System.getProperty("nexttrack.native.dir", "../native"));
    }

    /** Kernel name -> its parameters as (name, C type) read from the sources. */
    static Map<String, List<KernelCatalog.Param>> declarations() throws IOException {
        Map<String, List<KernelCatalog.Param>> found = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(nativeDir())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".cuh")).sorted().toList()) {
                Matcher m = DECLARATION.matcher(Files.readString(file));
                while (m.find()) {
                    assertNull(found.put(m.group(1), params(m.group(2))), m.group(1) + " declared twice");
                }
            }
        }
        return found;
    }

    /** "const float* __restrict__ logits, int n" -> [(logits, const float*), (n, int)]. */
    static List<KernelCatalog.Param> params(String list) {
        List<KernelCatalog.Param> params = new ArrayList<>();
        for (String raw : list.split(",")) {
            String p = raw.replace("__restrict__", " ").replace("*", " * ").trim().replaceAll("\\s+", " ");
            int cut = p.lastIndexOf(' ');
            params.add(new KernelCatalog.Param(p.substring(cut + 1), p.substring(0, cut).replace(" *", "*")));
        }
        return params;
    }

    @Test
    void sourcesDeclareExactlyTheDescribedKernels() throws IOException {
        Map<String, List<KernelCatalog.Param>> declared = declarations();
        assertFalse(declared.isEmpty(), "no kernels found in " + nativeDir().toAbsolutePath());
        for (KernelCatalog kernel : KernelCatalog.values()) {
            List<KernelCatalog.Param> source = declared.remove(kernel.cudaName());
            assertNotNull(source, kernel.cudaName() + " is described in KernelCatalog.java but not declared in native/*.cuh");
            assertEquals(source, kernel.params(), kernel.cudaName() + ": parameters in native/*.cuh vs KernelCatalog.java");
        }
        assertTrue(declared.isEmpty(), "declared in native/*.cuh but not described in KernelCatalog.java: " + declared.keySet());
    }

    @Test
    void parsesCDeclarations() {
        assertEquals(List.of(new KernelCatalog.Param("logits", "const float*"), new KernelCatalog.Param("resets", "const unsigned char*"),
                        new KernelCatalog.Param("out", "float*"), new KernelCatalog.Param("n", "int")),
                params("const float* __restrict__ logits, const unsigned char *resets,\n float*out, int n"));
        assertEquals(KernelCatalog.Kind.POINTER, KernelCatalog.CLIP_ADAM.params().get(4).kind());
        assertEquals(KernelCatalog.Kind.DOUBLE, new KernelCatalog.Param("x", "double").kind());
        assertEquals(KernelCatalog.Kind.FLOAT, KernelCatalog.CLIP_ADAM.params().get(5).kind());
        assertEquals(KernelCatalog.Kind.INT, KernelCatalog.CLIP_ADAM.params().get(10).kind());
        assertTrue(KernelCatalog.CLIP_ADAM.params().get(1).readOnly());
        assertFalse(KernelCatalog.CLIP_ADAM.params().get(0).readOnly());
    }

    @Test
    void launchesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Launch(KernelCatalog.SOFTMAX_XENT, 10, 100, 0), "not a multiple of 32");
        assertThrows(IllegalArgumentException.class, () -> new Launch(KernelCatalog.LOSS_SUM, 2, 256, 0), "one block only");
        assertThrows(IllegalArgumentException.class, () -> new Launch(KernelCatalog.FILL, 1, 2048, 0), "too many threads");
        assertThrows(IllegalArgumentException.class, () -> new Launch(KernelCatalog.TOP_K, 4, 96, 0), "top-k needs a power of two");
        new Launch(KernelCatalog.TOP_K, 4, 64, 0);
        new Launch(KernelCatalog.FILL, 3, 100, 0);
        Launch.Lstm h100 = Launch.lstm(KernelCatalog.LSTM_FORWARD, 100, 100, 232_448);
        assertTrue(h100.recurrentInShared());
        assertEquals(4 * (4 * 100 * 100 + 6 * 100), h100.launch().sharedBytes());
        assertEquals(100, h100.launch().grid());
        assertEquals(416, h100.launch().block());
        Launch.Lstm back = Launch.lstm(KernelCatalog.LSTM_BACKWARD, 100, 100, 232_448);
        assertEquals(4 * (4 * 100 * 100 + 9 * 100), back.launch().sharedBytes(), "backward: dG, dh_prev's sums per gate, dc");
        assertEquals(416, back.launch().block(), "one thread per gate column in both phases");
        Launch.Lstm large = Launch.lstm(KernelCatalog.LSTM_BACKWARD, 100, 256, 232_448);
        assertFalse(large.recurrentInShared(), "4 x 256 x 256 floats exceed 227 KiB: R stays in global memory");
        assertEquals(1024, large.launch().block());
    }
}
