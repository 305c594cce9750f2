package io.nexttrack;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * The package graph of nexttrack's compiled main classes, drawn as a house: each package is a room (the engine's
 * internal packages {@code engine.cpu} and {@code engine.gpu} are inside the engine's room), the rooms stand on the
 * floors of {@link #FLOORS}, and a class that uses another class draws an arrow from its room to that one. The arrows
 * come from {@code jdeps} reading the class files, so they include references that have no import statement (a
 * fully-qualified name, a nested type of a nested type), and exclude javadoc links, which the compiler drops.
 *
 * <p>{@link ArchitectureTest} holds the house to its rules (no arrow up, no loop, nothing outside the engine in the
 * engine's internal packages); {@link #main} prints the drawing: {@code java -cp target/test-classes
 * io.nexttrack.PackageGraph target/classes}.
 */
final class PackageGraph {
    static final String BASE = "io.nexttrack";

    /**
     * The floors, bottom first, each a list of rooms named relative to {@code io.nexttrack} ("" is the package
     * {@code io.nexttrack} itself: the {@code NextTrack} API). An arrow may point down or stay on its floor, never
     * up, and no arrows may close a loop (on a floor as anywhere else). Floors group rooms by what they are, so that
     * a room may use its neighbour on the same floor in one direction: model uses data; eval.baselines uses eval;
     * train may use eval and eval.baselines (a training run that ends with the hybrid's tuning against the baselines)
     * as long as neither uses train.
     * The ground floor uses no other room at all ({@code ArchitectureTest}).
     */
    static final List<List<String>> FLOORS = List.of(
            List.of("numeric", "io", "json"),                       // 0: the ground: inner loops, files, JSON
            List.of("data", "model", "optim"),                      // 1: playlists; the model's values; Adam and clipping
            List.of("engine"),                                      // 2: the engines (engine.cpu and engine.gpu inside)
            List.of("eval", "eval.baselines", "train", "recommend"),// 3: what the library does with an engine
            List.of("", "serve"),                                   // 4: the NextTrack API, the HTTP service
            List.of("cli"));                                        // 5: the command line

    /** The room whose internal packages no class outside it may use. */
    static final String ENGINE = "engine";

    /** Class -> classes it uses, both in {@code io.nexttrack}, as jdeps reports them. */
    final Map<String, Set<String>> classes;

    PackageGraph(Map<String, Set<String>> classes) {
        this.classes = classes;
    }

    /** Runs jdeps over a directory of compiled classes. */
    static PackageGraph of(Path classesDir) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("this JDK has no jdeps"));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:class", "-filter:none", classesDir.toString());
        if (rc != 0) throw new IllegalStateException("jdeps failed (" + rc + "): " + err);
        Pattern arrow = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");
        Map<String, Set<String>> classes = new TreeMap<>();
        for (String line : out.toString().lines().toList()) {
            Matcher m = arrow.matcher(line);
            if (!m.find()) continue;
            String from = m.group(1), to = m.group(2);
            if (!inBase(from) || !inBase(to)) continue;
            classes.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
        }
        if (classes.isEmpty()) throw new IllegalStateException("jdeps found no class of " + BASE + " in " + classesDir + ": " + out);
        return new PackageGraph(classes);
    }

    private static boolean inBase(String className) {
        return className.startsWith(BASE + ".");
    }

    /** "eval.baselines" for io.nexttrack.eval.baselines.ItemKnn, "" for io.nexttrack.NextTrack. */
    static String packageOf(String className) {
        String p = className.substring(0, className.lastIndexOf('.'));
        return p.equals(BASE) ? "" : p.substring(BASE.length() + 1);
    }

    /** The room of a package: the engine's internal packages are in the engine's room. */
    static String roomOf(String pkg) {
        return pkg.startsWith(ENGINE + ".") ? ENGINE : pkg;
    }

    /** The floor of a room, -1 if none declares it. */
    static int floorOf(String room) {
        for (int f = 0; f < FLOORS.size(); f++) if (FLOORS.get(f).contains(room)) return f;
        return -1;
    }

    static String show(String pkgOrRoom) {
        return pkgOrRoom.isEmpty() ? BASE : pkgOrRoom;
    }

    static String showClass(String className) {
        return className.substring(BASE.length() + 1);
    }

    /** Packages seen (as sources or targets of arrows). */
    Set<String> packages() {
        Set<String> p = new TreeSet<>();
        classes.forEach((from, tos) -> {
            p.add(packageOf(from));
            for (String to : tos) p.add(packageOf(to));
        });
        return p;
    }

    Set<String> rooms() {
        Set<String> r = new TreeSet<>();
        for (String p : packages()) r.add(roomOf(p));
        return r;
    }

    /** Room -> room it uses -> the class arrows behind it ("train.Trainer -> engine.Engine"). */
    Map<String, Map<String, List<String>>> roomArrows() {
        Map<String, Map<String, List<String>>> arrows = new TreeMap<>();
        classes.forEach((from, tos) -> {
            for (String to : tos) {
                String a = roomOf(packageOf(from)), b = roomOf(packageOf(to));
                if (a.equals(b)) continue;
                arrows.computeIfAbsent(a, k -> new TreeMap<>()).computeIfAbsent(b, k -> new ArrayList<>())
                        .add(showClass(from) + " -> " + showClass(to));
            }
        });
        return arrows;
    }

    /** Rooms that none of {@link #FLOORS} declares. */
    List<String> undeclared() {
        return rooms().stream().filter(r -> floorOf(r) < 0).map(PackageGraph::show).toList();
    }

    /** Every arrow from a room to one on a higher floor, with the class arrows behind it. */
    List<String> arrowsUp() {
        List<String> up = new ArrayList<>();
        roomArrows().forEach((a, targets) -> targets.forEach((b, why) -> {
            int fa = floorOf(a), fb = floorOf(b);
            if (fa >= 0 && fb > fa) up.add(show(a) + " (floor " + fa + ") -> " + show(b) + " (floor " + fb + "): " + String.join(", ", why));
        }));
        return up;
    }

    /** The loops: every group of two or more rooms that reach each other (strongly connected), with the arrows inside it. */
    List<String> cycles() {
        Map<String, Map<String, List<String>>> arrows = roomArrows();
        List<String> out = new ArrayList<>();
        for (Set<String> group : stronglyConnected(rooms(), arrows)) {
            if (group.size() < 2) continue;
            List<String> inside = new ArrayList<>();
            for (String a : group) {
                arrows.getOrDefault(a, Map.of()).forEach((b, why) -> {
                    if (group.contains(b)) inside.add(show(a) + " -> " + show(b));
                });
            }
            out.add(group.stream().map(PackageGraph::show).toList() + ": " + String.join(", ", inside));
        }
        return out;
    }

    /** Class arrows from outside the engine's room into its internal packages ({@code engine.cpu}, {@code engine.gpu}). */
    List<String> engineReachIns() {
        List<String> out = new ArrayList<>();
        classes.forEach((from, tos) -> {
            if (roomOf(packageOf(from)).equals(ENGINE)) return;
            for (String to : tos) {
                if (packageOf(to).startsWith(ENGINE + ".")) out.add(showClass(from) + " -> " + showClass(to));
            }
        });
        return out;
    }

    /** The longest chain of arrows, counted in rooms (loops collapsed to one room): the floors a strict drawing needs. */
    int depth() {
        Map<String, Map<String, List<String>>> arrows = roomArrows();
        List<Set<String>> groups = stronglyConnected(rooms(), arrows);
        Map<String, Integer> groupOf = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) for (String r : groups.get(g)) groupOf.put(r, g);
        // Tarjan's algorithm lists the groups dependencies first, so one pass in order suffices.
        int[] level = new int[groups.size()];
        int depth = 0;
        for (int g = 0; g < groups.size(); g++) {
            for (String a : groups.get(g)) {
                for (String b : arrows.getOrDefault(a, Map.of()).keySet()) {
                    int h = groupOf.get(b);
                    if (h != g) level[g] = Math.max(level[g], level[h] + 1);
                }
            }
            depth = Math.max(depth, level[g] + 1);
        }
        return depth;
    }

    /** Tarjan's strongly connected components; a component comes after every component it has arrows to. */
    private static List<Set<String>> stronglyConnected(Set<String> nodes, Map<String, Map<String, List<String>>> arrows) {
        Map<String, Integer> index = new TreeMap<>(), low = new TreeMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String n : nodes) if (!index.containsKey(n)) connect(n, arrows, index, low, stack, onStack, out, counter);
        return out;
    }

    private static void connect(String v, Map<String, Map<String, List<String>>> arrows, Map<String, Integer> index,
                                Map<String, Integer> low, List<String> stack, Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.add(v);
        onStack.add(v);
        for (String w : arrows.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, arrows, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> group = new TreeSet<>();
            String w;
            do {
                w = stack.removeLast();
                onStack.remove(w);
                group.add(w);
            } while (!w.equals(v));
            out.add(group);
        }
    }

    /** The drawing: rooms by floor, the arrows between rooms, then what breaks the rules. */
    String draw() {
        StringBuilder s = new StringBuilder();
        Set<String> packages = packages(), rooms = rooms();
        Map<String, Map<String, List<String>>> arrows = roomArrows();
        int arrowCount = arrows.values().stream().mapToInt(Map::size).sum();
        s.append(String.format("%d packages in %d rooms; %d arrows between rooms; the longest chain of arrows passes %d rooms%n",
                packages.size(), rooms.size(), arrowCount, depth()));
        s.append(String.format("floors, top first (declared in PackageGraph.FLOORS):%n"));
        for (int f = FLOORS.size() - 1; f >= 0; f--) {
            List<String> here = new ArrayList<>();
            for (String r : FLOORS.get(f)) {
                if (!rooms.contains(r)) continue;
                List<String> inside = packages.stream().filter(p -> !p.equals(r) && roomOf(p).equals(r)).toList();
                here.add(show(r) + (inside.isEmpty() ? "" : " (+ " + String.join(", ", inside) + ")"));
            }
            s.append(String.format("  %d: %s%n", f, String.join(", ", here)));
        }
        List<String> undeclared = undeclared();
        if (!undeclared.isEmpty()) s.append(String.format("  not on any floor: %s%n", String.join(", ", undeclared)));
        s.append(String.format("arrows (room -> rooms it uses):%n"));
        for (List<String> floor : FLOORS.reversed()) {
            for (String r : floor) {
                Map<String, List<String>> to = arrows.get(r);
                if (to == null) continue;
                s.append(String.format("  %s -> %s%n", show(r), String.join(", ", to.keySet().stream().map(PackageGraph::show).toList())));
            }
        }
        List<String> up = arrowsUp(), cycles = cycles(), reachIns = engineReachIns();
        s.append(String.format("arrows up: %d%n", up.size()));
        for (String a : up) s.append("  ").append(a).append(System.lineSeparator());
        s.append(String.format("loops: %d%n", cycles.size()));
        for (String c : cycles) s.append("  ").append(c).append(System.lineSeparator());
        s.append(String.format("classes outside the engine using engine.cpu or engine.gpu: %d%n", reachIns.size()));
        for (String a : reachIns) s.append("  ").append(a).append(System.lineSeparator());
        return s.toString();
    }

    public static void main(String[] args) {
        System.out.print(of(Path.of(args.length > 0 ? args[0] : "target/classes")).draw());
    }
}
