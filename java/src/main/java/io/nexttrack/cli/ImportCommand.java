package io.nexttrack.cli;

import io.nexttrack.data.ListeningEvents;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.PlaylistStore;
import io.nexttrack.data.Sessionizer;
import io.nexttrack.io.ByteSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nexttrack data import}: playlists or listening events into a playlist store, in one streaming pass. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Write playlists, or listening events cut into sessions, as a playlist store: one binary file that "
                + "every --data takes and reads by mapping it into memory, without parsing.",
                "Listening events: a CSV or TSV file whose header names user, track and timestamp columns (timestamps "
                + "ISO-8601 or seconds or milliseconds since 1970); each user's events are ordered by time and cut into "
                + "sessions where a pause is longer than --session-gap; sessions of fewer than 2 songs are dropped."})
public final class ImportCommand implements Callable<Integer> {
    /** What the input is. */
    public enum Input { AUTO, YES, PLAIN, EVENTS }

    @Option(names = "--data", required = true, paramLabel = "INPUT",
            description = "A Yes-format folder (train.txt [+ song_hash.txt]), a playlist file, or a file of listening events.")
    Path data;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Input format: ${COMPLETION-CANDIDATES}; auto tells them "
            + "apart (events by their header line) (default: ${DEFAULT-VALUE}).")
    Input format = Input.AUTO;

    @Option(names = "--out", required = true, paramLabel = "STORE",
            description = "The store to write, e.g. data.nts; an existing folder gets FOLDER/" + PlaylistStore.FILE_NAME + ".")
    Path out;

    @Option(names = "--session-gap", paramLabel = "GAP", converter = GapConverter.class,
            description = "Events: a pause longer than GAP starts a new session; exactly GAP does not (e.g. 30m, 90s, 2h, 1h30m; "
                    + "default: 30m).")
    Duration gap;

    @Option(names = "--drop-repeats", description = "Events: drop a track played again right after itself in a session.")
    boolean dropRepeats;

    @Mixin ConfigOption config;

    @Override
    public Integer call() throws Exception {
        Path target = Files.isDirectory(out) ? out.resolve(PlaylistStore.FILE_NAME) : out;
        Input input = format;
        if (input == Input.AUTO) {
            input = !Files.isDirectory(data) && Files.exists(data) && isEvents(data) ? Input.EVENTS : Input.AUTO;
        }
        if (input != Input.EVENTS && (gap != null || dropRepeats)) {
            throw new Main.UserError("--session-gap and --drop-repeats are for listening events; " + data
                    + " is read as playlists (--format events if it holds events)");
        }
        if (Files.exists(target) && Files.exists(data) && Files.isSameFile(target, data)) {
            throw new Main.UserError("--out " + out + " is the input itself");
        }
        long t0 = System.nanoTime();
        String line;
        if (input == Input.EVENTS) {
            long gapMillis = (gap == null ? Sessionizer.DEFAULT_GAP : gap).toMillis();
            ListeningEvents.Summary[] s = new ListeningEvents.Summary[1];
            PlaylistStore.write(target, w -> s[0] = ListeningEvents.importInto(data, gapMillis, dropRepeats, w));
            ListeningEvents.Summary r = s[0];
            line = String.format(Locale.ROOT, "read %,d listening events of %,d users (%,d tracks); cut at pauses over %s: "
                            + "%,d sessions kept, %,d dropped as shorter than 2 songs%s. ", r.events(), r.users(), r.tracks(),
                    ListeningEvents.gapText(gapMillis), r.sessions(), r.droppedShort(),
                    dropRepeats ? String.format(Locale.ROOT, ", %,d repeat%s dropped", r.droppedRepeats(), r.droppedRepeats() == 1 ? "" : "s")
                            : "");
        } else {
            PlaylistReader.Format f = switch (input) {
                case YES -> PlaylistReader.Format.YES;
                case PLAIN -> PlaylistReader.Format.PLAIN;
                default -> PlaylistReader.Format.AUTO;
            };
            PlaylistStore.write(target, w -> PlaylistReader.importInto(data, f, w));
            line = "";
        }
        var d = PlaylistStore.read(target);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%swrote %,d playlists (%,d plays of %,d songs) to %s (%s) in %.2f s%n", line,
                d.playlists().size(), d.playlists().tokens(), d.songCount(), target, ByteSize.of(Files.size(target)), seconds);
        return 0;
    }

    private static boolean isEvents(Path file) throws java.io.IOException {
        return !PlaylistStore.looksLikeStore(file) && ListeningEvents.looksLikeEvents(file);
    }

    private static final Pattern GAP = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** "30m", "90s", "1h30m", "250ms", "0s", or ISO-8601 ("PT30M"). */
    static Duration parseGap(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.strip());
                if (!d.isNegative()) return d;
            } catch (java.time.format.DateTimeParseException e) {
                // reported below
            }
        } else if (!t.isEmpty()) {
            Matcher m = GAP.matcher(t);
            Duration d = Duration.ZERO;
            int at = 0;
            while (at < t.length() && m.find(at) && m.start() == at) {
                long v = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(v);
                    case "s" -> Duration.ofSeconds(v);
                    case "m" -> Duration.ofMinutes(v);
                    case "h" -> Duration.ofHours(v);
                    default -> Duration.ofDays(v);
                });
                at = m.end();
            }
            if (at == t.length()) return d;
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration such as 30m, 90s, 2h or 1h30m");
    }

    static final class GapConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parseGap(value);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
