package io.nexttrack.data;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.cli.SynthCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Synthetic playlists streamed into a store, and the MPD-like shape. */
class SynthStoreTest {
    @TempDir Path dir;

    @Test
    void streamingIntoAStoreGivesWhatGenerateGives() throws Exception {
        for (SyntheticPlaylists.Shape shape : new SyntheticPlaylists.Shape[] {SyntheticPlaylists.Shape.YES,
                SyntheticPlaylists.Shape.MPD, new SyntheticPlaylists.Shape(12, 0.8)}) {
            int playlists = 40_000; // several chunks, and more than one wave of them
            Dataset d = SyntheticPlaylists.generate(900, playlists, 4, shape);
            Path f = dir.resolve("s.nts");
            try (ForkJoinPool one = new ForkJoinPool(1)) { // the threads change nothing
                one.submit(() -> {
                    PlaylistStore.write(f, w -> SyntheticPlaylists.generateInto(900, playlists, 4, shape, w));
                    return null;
                }).get();
            }
            PlaylistStoreTest.assertSameDataset(d, PlaylistStore.read(f));
        }
    }

    @Test
    void mpdLikeLengthsHaveTheMeanAskedForInsideFiveTo250() {
        for (double mean : new double[] {5, 6.5, 66.346428, 127.5, 200, 250}) {
            double q = SyntheticLengths.ratioForMean(5, 250, mean);
            assertEquals(mean, SyntheticLengths.meanOf(5, 250, q), 1e-6, "mean " + mean);
        }
        SyntheticLengths lengths = new SyntheticLengths(5, 250, 66.346428);
        SplittableRandom r = new SplittableRandom(1);
        long sum = 0;
        int n = 400_000, min = Integer.MAX_VALUE, max = 0;
        for (int i = 0; i < n; i++) {
            int l = lengths.sample(r);
            sum += l;
            min = Math.min(min, l);
            max = Math.max(max, l);
        }
        assertEquals(66.35, sum / (double) n, 0.3);
        assertEquals(5, min);
        assertEquals(250, max);
        assertThrows(IllegalArgumentException.class, () -> new SyntheticPlaylists.Shape(4, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticPlaylists.Shape(251, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticPlaylists.Shape(0, -1));
    }

    @Test
    void theSynthCommandWritesAStoreEqualToItsText() throws IOException {
        Path text = dir.resolve("text"), store = dir.resolve("store");
        String[] common = {"--preset", "MPD", "--songs", "3000", "--playlists", "2000", "--seed", "6"};
        assertEquals(0, new CommandLine(new SynthCommand()).execute(join(common, "--out", text.toString())));
        assertEquals(0, new CommandLine(new SynthCommand()).execute(join(common, "--store", "--out", store.toString())));
        Dataset fromText = PlaylistReader.read(text), fromStore = PlaylistReader.read(store);
        assertTrue(fromStore.playlists().isMapped());
        PlaylistStoreTest.assertSameDataset(fromText, fromStore);
        assertEquals(2000, fromStore.playlists().size());
        assertEquals(66.3, fromStore.playlists().tokens() / 2000.0, 2.5);
        String source = Files.readString(store.resolve("SOURCE.md"));
        assertTrue(source.contains("nexttrack data synth --songs 3000 --playlists 2000 --seed 6 --mean-length 66.346428 "
                + "--popularity 0.62 --store --out " + store), source);
        assertTrue(source.contains("a length of 5..250 songs (a geometric tail, mean 66.35, as the MPD's)"), source);
        assertFalse(Files.exists(store.resolve("train.txt")));
    }

    private static String[] join(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
