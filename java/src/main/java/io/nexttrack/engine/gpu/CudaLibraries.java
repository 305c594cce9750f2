package io.nexttrack.engine.gpu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the CUDA libraries where NVIDIA's pip packages put them ({@code site-packages/nvidia/cu13/lib},
 * {@code nvidia/cublas/lib}, {@code nvidia/cudnn/lib}, ...), so that a machine with a driver and PyTorch but no CUDA
 * toolkit runs the GPU engine. JavaCPP looks only in the toolkit's places ({@code /usr/local/cuda/lib64}, ...) and
 * then asks the dynamic linker; a library found in neither but in a pip package is added to JavaCPP's search path
 * (the system properties {@value #LINK_PATH} and {@value #PRELOAD_PATH}, which JavaCPP searches before its own
 * paths). A library the toolkit has is taken from the toolkit. Nothing is changed when the user set those properties.
 */
final class CudaLibraries {
    static final String LINK_PATH = "org.bytedeco.javacpp.platform.linkpath";
    static final String PRELOAD_PATH = "org.bytedeco.javacpp.platform.preloadpath";

    /** The libraries the GPU engine loads (cuDNN's only for {@code --lstm cudnn}), by soname. */
    static final List<String> NEEDED = List.of("libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcudnn.so.9",
            "libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_adv.so.9", "libcudnn_cnn.so.9");

    /** The JavaCPP CUDA preset's own link paths, and where Debian's and NVIDIA's system packages install. */
    static final List<String> TOOLKIT_DIRS = List.of("/usr/local/cuda-13.1/lib64", "/usr/local/cuda/lib64",
            "/usr/local/cuda-13.1/lib", "/usr/local/cuda/lib", "/usr/lib64", "/usr/lib", "/usr/lib/x86_64-linux-gnu");

    private CudaLibraries() {}

    /**
     * Adds the pip packages' directories that hold a needed library missing from the toolkit's places to JavaCPP's
     * search path; call before the first use of a JavaCPP CUDA class. Returns the directories added (empty when
     * none was needed or the user set the paths).
     */
    static synchronized List<Path> addPipLibraries() {
        if (System.getProperty(LINK_PATH) != null || System.getProperty(PRELOAD_PATH) != null) return List.of();
        List<Path> dirs = pipDirectories(System.getenv(), Path.of(System.getProperty("user.home", "/")), systemLibraryDirs());
        if (!dirs.isEmpty()) {
            String path = String.join(":", dirs.stream().map(Path::toString).toList());
            System.setProperty(LINK_PATH, path);
            System.setProperty(PRELOAD_PATH, path);
        }
        return dirs;
    }

    private static final Pattern CANNOT_OPEN = Pattern.compile("(lib[\\w.+-]+\\.so[.\\d]*): cannot open shared object file");

    /**
     * The library whose absence made a load fail ("libcudnn.so.9"), from the dynamic linker's message anywhere in the
     * error's causes, or null when none says so.
     */
    static String missingLibrary(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = t.getMessage() == null ? null : CANNOT_OPEN.matcher(t.getMessage());
            if (m != null && m.find()) return m.group(1);
        }
        return null;
    }

    /** The toolkit's places and the directories of {@code LD_LIBRARY_PATH}. */
    private static List<Path> systemLibraryDirs() {
        List<Path> dirs = new ArrayList<>(TOOLKIT_DIRS.stream().map(Path::of).toList());
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String d : ld.split(":")) if (!d.isBlank()) dirs.add(Path.of(d));
        return dirs;
    }

    /**
     * The pip library directories that hold a needed library none of {@code systemDirs} has, in the order found:
     * the active environment first ({@code VIRTUAL_ENV}, {@code CONDA_PREFIX}), then the user's, then the system's.
     */
    static List<Path> pipDirectories(Map<String, String> env, Path home, List<Path> systemDirs) {
        Set<String> missing = new LinkedHashSet<>(NEEDED);
        missing.removeIf(lib -> systemDirs.stream().anyMatch(d -> Files.exists(d.resolve(lib))));
        Set<Path> found = new LinkedHashSet<>();
        for (Path sitePackages : sitePackages(env, home)) {
            for (Path lib : nvidiaLibDirs(sitePackages)) {
                for (var it = missing.iterator(); it.hasNext(); ) {
                    if (Files.exists(lib.resolve(it.next()))) {
                        found.add(lib);
                        it.remove();
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    /** Where Python packages are installed: the environment's, the user's, the system's. */
    static List<Path> sitePackages(Map<String, String> env, Path home) {
        List<Path> roots = new ArrayList<>();
        for (String prefix : new String[] {env.get("VIRTUAL_ENV"), env.get("CONDA_PREFIX")}) {
            if (prefix != null && !prefix.isBlank()) roots.addAll(pythonDirs(Path.of(prefix, "lib"), "site-packages"));
        }
        roots.addAll(pythonDirs(home.resolve(".local/lib"), "site-packages"));
        roots.addAll(pythonDirs(Path.of("/usr/local/lib"), "dist-packages"));
        roots.addAll(pythonDirs(Path.of("/usr/local/lib"), "site-packages"));
        roots.add(Path.of("/usr/lib/python3/dist-packages"));
        roots.addAll(pythonDirs(Path.of("/opt/conda/lib"), "site-packages"));
        return roots.stream().filter(Files::isDirectory).toList();
    }

    /** {@code lib/python3.*}{@code /packages} under a prefix's lib directory, newest Python first. */
    private static List<Path> pythonDirs(Path lib, String packages) {
        return list(lib, "python3*").stream().sorted((a, b) -> compareVersions(b, a)).map(p -> p.resolve(packages)).toList();
    }

    /** {@code site-packages/nvidia/<package>/lib}: {@code cu13} (CUDA 13's wheels), {@code cublas}, {@code cudnn}, ... */
    private static List<Path> nvidiaLibDirs(Path sitePackages) {
        return list(sitePackages.resolve("nvidia"), "*").stream().map(p -> p.resolve("lib")).filter(Files::isDirectory)
                .sorted().toList();
    }

    private static List<Path> list(Path dir, String glob) {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            return List.of(); // an unreadable directory holds nothing we can load
        }
        return out;
    }

    /** python3.9 before python3.12: by the number after the dot. */
    private static int compareVersions(Path a, Path b) {
        return Integer.compare(minor(a), minor(b));
    }

    private static int minor(Path p) {
        String n = p.getFileName().toString();
        try {
            return Integer.parseInt(n.substring(n.indexOf('.') + 1));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
