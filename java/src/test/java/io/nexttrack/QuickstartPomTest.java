package io.nexttrack;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * examples/quickstart's pom is what the documentation tells a user to write: the dependency and the compiler plugin
 * set to release 25, which Maven before 3.9 (Debian's 3.8.7) needs (its default compiler plugin, 3.1, fails with
 * "Source option 5 is no longer supported"). The build runs the quickstart with that pom, so the snippets are
 * checked by Maven too. The snippets are looked for in README.md and docs/.
 */
class QuickstartPomTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..").normalize();

    /** Every ```xml block of the README and the docs. */
    private static List<String> xmlSnippets() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        if (Files.isDirectory(ROOT.resolve("docs"))) {
            try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
                docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        List<String> blocks = new ArrayList<>();
        Pattern xml = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
        for (Path f : files) {
            Matcher m = xml.matcher(Files.readString(f));
            while (m.find()) blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The snippet that holds {@code marker} (shown once, or the same wherever it is shown). */
    private static String snippet(String marker) throws IOException {
        List<String> found = xmlSnippets().stream().filter(s -> s.contains(marker)).map(QuickstartPomTest::normalised).distinct().toList();
        assertEquals(1, found.size(), "one snippet with " + marker + " in README.md and docs/: " + found);
        return found.getFirst();
    }

    /** XML with the layout between tags and comments removed. */
    private static String normalised(String xml) {
        return xml.replaceAll("(?s)<!--.*?-->", "").replaceAll(">\\s+<", "><").strip();
    }

    @Test
    void theQuickstartPomIsWhatTheReadmeShows() throws Exception {
        String pom = normalised(Files.readString(ROOT.resolve("examples/quickstart/pom.xml")));
        String dependency = snippet("<artifactId>nexttrack</artifactId>");
        assertTrue(pom.contains("<dependencies>" + dependency + "</dependencies>"), "the pom's one dependency is the README's: " + dependency);

        String compiler = snippet("<artifactId>maven-compiler-plugin</artifactId>");
        assertTrue(compiler.contains("<release>25</release>"), compiler);
        Matcher plugin = Pattern.compile("<plugin>.*?</plugin>").matcher(compiler);
        assertTrue(plugin.find(), compiler);
        assertTrue(pom.contains("<build><plugins>" + plugin.group()), "the pom's compiler plugin is the README's: " + plugin.group());
        assertTrue(compiler.startsWith("<build><plugins><plugin>") && compiler.endsWith("</plugin></plugins></build>"),
                "the snippet says where the plugin goes: " + compiler);

        for (String other : new String[] {"<parent>", "<repositories>", "maven.compiler", "<argLine>", "--add-modules"}) {
            assertFalse(pom.contains(other), "nothing a user is not told about: " + other);
        }
    }
}
