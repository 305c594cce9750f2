package io.nexttrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the main classes, read by jdeps from the compiled classes ({@link PackageGraph}, whose
 * {@link PackageGraph#FLOORS} declare the floors): no arrow points up, no packages form a loop, the ground floor's
 * inner loops use nothing else of nexttrack, and no class outside {@code io.nexttrack.engine} uses the engines'
 * internal packages. Each failure lists the offending arrows, class by class. The drawing of the whole graph is
 * written to {@code target/package-graph.txt} (also printed by {@code PackageGraph.main}).
 */
class ArchitectureTest {
    static PackageGraph graph;

    @BeforeAll
    static void draw() throws IOException, URISyntaxException {
        Path classes = Path.of(NextTrack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        graph = PackageGraph.of(classes);
        Path target = classes.getParent();
        if (target != null && Files.isDirectory(target)) Files.writeString(target.resolve("package-graph.txt"), graph.draw());
    }

    /** Fails with every offence on a line of its own. */
    private static void assertNone(String what, List<String> offences) {
        assertTrue(offences.isEmpty(), offences.size() + " " + what + ":\n  " + String.join("\n  ", offences));
    }

    @Test
    void jdepsSawTheWholeLibrary() {
        assertTrue(graph.packages().containsAll(List.of("", "cli", "engine", "engine.cpu", "engine.gpu", "numeric", "train")),
                "packages seen: " + graph.packages());
    }

    @Test
    void everyRoomStandsOnADeclaredFloor() {
        assertNone("packages on no floor (add them to PackageGraph.FLOORS)", graph.undeclared());
    }

    @Test
    void noArrowPointsUp() {
        assertNone("arrows pointing up a floor", graph.arrowsUp());
    }

    @Test
    void noPackagesFormALoop() {
        assertNone("loops of packages", graph.cycles());
    }

    @Test
    void theGroundFloorUsesNothingElseOfNexttrack() {
        Map<String, Map<String, List<String>>> arrows = graph.roomArrows();
        for (String room : PackageGraph.FLOORS.get(0)) {
            Map<String, List<String>> out = arrows.getOrDefault(room, Map.of());
            assertEquals(Map.of(), out, PackageGraph.show(room) + " uses other packages of nexttrack");
        }
    }

    @Test
    void nothingOutsideTheEngineUsesItsInternalPackages() {
        assertNone("uses of engine.cpu or engine.gpu from outside io.nexttrack.engine (go through EngineFactory, or move what "
                + "they need to io.nexttrack.numeric)", graph.engineReachIns());
    }

    /** The CPU engine runs where the GPU bindings are absent: it uses nothing of the GPU engine. */
    @Test
    void theCpuEngineUsesNothingOfTheGpuEngine() {
        List<String> uses = graph.classes.entrySet().stream()
                .filter(e -> PackageGraph.packageOf(e.getKey()).equals("engine.cpu"))
                .flatMap(e -> e.getValue().stream().filter(to -> PackageGraph.packageOf(to).equals("engine.gpu"))
                        .map(to -> PackageGraph.showClass(e.getKey()) + " -> " + PackageGraph.showClass(to)))
                .toList();
        assertNone("uses of engine.gpu by engine.cpu", uses);
    }
}
