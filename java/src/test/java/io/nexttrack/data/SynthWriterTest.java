package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.cli.SynthCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SynthWriterTest {
    @TempDir Path dir;

    @Test
    void roundTripThroughYesWriterAndPlaylistReader() throws IOException {
        Dataset d = SyntheticPlaylists.generate(700, 5000, 11);
        YesWriter.write(d, dir);
        Dataset back = PlaylistReader.read(dir);
        assertEquals(d.vocabulary().externalIds(), back.vocabulary().externalIds());
        assertEquals(d.playlists().songCount(), back.playlists().songCount());
        assertArrayEquals(d.playlists().offsets(), back.playlists().offsets());
        assertArrayEquals(d.playlists().songs(), back.playlists().songs());
        for (int s = 0; s < d.songCount(); s++) {
            assertEquals(d.catalog().title(s), back.catalog().title(s));
            assertEquals(d.catalog().artist(s), back.catalog().artist(s));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("song_hash.txt", "train.txt"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void writesTheExactYesLayout() throws IOException {
        Dataset d = new Dataset(new Vocabulary(List.of("17", "4", "99")), Playlists.of(3, new int[] {2, 0, 2}, new int[] {1}),
                new SongCatalog(new String[] {"Up w/ Down", "B", null}, new String[] {"X", "Y", null}));
        YesWriter.write(d, dir);
        assertEquals("17 4 99 \n1 1 2 \n2 0 2 \n1 \n", Files.readString(dir.resolve("train.txt")));
        assertEquals("0\tUp w\\/ Down\tX\n1\tB\tY\n2\t\t\n", Files.readString(dir.resolve("song_hash.txt")));
        assertEquals("Up w/ Down", PlaylistReader.read(dir).catalog().title(0));
    }

    @Test
    void overwritesAtomicallyWithoutLeavingTemporaryFiles() throws IOException {
        Dataset old = new Dataset(Vocabulary.identity(2), Playlists.of(2, new int[] {0, 1}), SongCatalog.empty(2));
        Dataset d = new Dataset(Vocabulary.identity(3), Playlists.of(3, new int[] {2, 1}), SongCatalog.empty(3));
        YesWriter.write(old, dir);
        YesWriter.write(d, dir);
        assertEquals("0 1 2 \n0 1 1 \n2 1 \n", Files.readString(dir.resolve("train.txt")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("song_hash.txt"), dir.resolve("train.txt")), files.sorted().toList());
        }
    }

    @Test
    void synthCommandIsByteIdenticalForTheSameArguments() throws IOException {
        Path out = dir.resolve("synth");
        String[] args = {"--songs", "400", "--playlists", "3000", "--seed", "5", "--out", out.toString()};
        assertEquals(0, new CommandLine(new SynthCommand()).execute(args));
        byte[][] first = read(out);
        assertEquals(0, new CommandLine(new SynthCommand()).execute(args));
        byte[][] second = read(out);
        for (int i = 0; i < first.length; i++) assertArrayEquals(first[i], second[i]);

        String source = new String(first[2], StandardCharsets.UTF_8);
        assertTrue(source.contains("synthetic") || source.contains("Synthetic"));
        assertTrue(source.contains("nexttrack data synth --songs 400 --playlists 3000 --seed 5 --out " + out));
        assertEquals(3000, PlaylistReader.read(out).playlists().size());

        args[5] = "6";
        assertEquals(0, new CommandLine(new SynthCommand()).execute(args));
        assertFalse(java.util.Arrays.equals(first[0], Files.readAllBytes(out.resolve("train.txt"))));
    }

    private static byte[][] read(Path out) throws IOException {
        return new byte[][] {Files.readAllBytes(out.resolve("train.txt")), Files.readAllBytes(out.resolve("song_hash.txt")),
                Files.readAllBytes(out.resolve("SOURCE.md"))};
    }
}
