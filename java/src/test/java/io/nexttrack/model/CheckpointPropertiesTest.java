package io.nexttrack.model;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The checkpoint format under random input: valid checkpoints round-trip exactly; every single-byte change,
 * every truncation and random bytes end in {@link Checkpoint.CheckpointException} naming the file as
 * corrupted (or as no model file at all), never another exception, a hang or a silently wrong result.
 * (jqwik runs these outside JUnit Jupiter, so they manage their own temporary folder.)
 */
class CheckpointPropertiesTest {
    private static Path dir;

    @BeforeContainer
    static void makeFolder() throws IOException {
        dir = Files.createTempDirectory("nexttrack-checkpoint-properties");
    }

    @AfterContainer
    static void removeFolder() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    /** A small model: 4 songs, E = 2, H = 3, one layer (a file of a few hundred bytes). */
    static TrainedModel small() {
        ModelConfig c = new ModelConfig(4, 2, 3, 1, 0.1f, false, 0f);
        return new TrainedModel(new Parameters(c).initialise(3), new Vocabulary(List.of("a", "b", "c", "d")),
                new SongCatalog(new String[] {"T", "", "Ü", "x"}, new String[] {"A", "B", "", "y"}));
    }

    /** Reading {@code bytes} as a model file fails with the documented message, and only that way. */
    static void assertRefused(byte[] bytes, String what) throws IOException {
        assertRefused(Files.write(dir.resolve("bad.nt"), bytes), what);
    }

    static void assertRefused(Path f, String what) {
        Checkpoint.CheckpointException e = assertThrows(Checkpoint.CheckpointException.class, () -> TrainedModel.load(f), what);
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": "), m);
        assertTrue(m.contains("corrupted or truncated") || m.contains("not a nexttrack model file"), what + ": " + m);
    }

    @Property(tries = 50)
    void checkpointsRoundTripExactly(@ForAll("checkpoints") Checkpoint ck) throws IOException {
        Path f = dir.resolve("round.nt");
        ck.write(f);
        Checkpoint back = Checkpoint.read(f);
        assertEquals(ck.header(), back.header());
        assertEquals(ck.strings().keySet(), back.strings().keySet());
        ck.strings().forEach((k, v) -> assertEquals(v.stream().map(s -> s == null ? "" : s).toList(), back.strings().get(k)));
        assertEquals(ck.tensors().keySet(), back.tensors().keySet());
        ck.tensors().forEach((k, v) -> {
            assertArrayEquals(ck.shapes().get(k), back.shapes().get(k));
            float[] w = back.tensors().get(k);
            for (int i = 0; i < v.length; i++) assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(w[i]), k);
        });
    }

    @Property(tries = 30)
    void modelsRoundTripExactly(@ForAll @IntRange(min = 1, max = 30) int songs, @ForAll @IntRange(min = 1, max = 5) int e,
                                @ForAll @IntRange(min = 1, max = 5) int h, @ForAll @IntRange(min = 1, max = 3) int layers,
                                @ForAll long seed) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < songs; s++) ids.add("song-" + s + "-ü");
        TrainedModel m = new TrainedModel(new Parameters(new ModelConfig(songs, e, h, layers, 0.5f, false, 0f)).initialise(seed),
                new Vocabulary(ids), SongCatalog.empty(songs));
        Path f = dir.resolve("model.nt");
        m.save(f);
        TrainedModel back = TrainedModel.load(f);
        assertEquals(m.config(), back.config());
        assertArrayEquals(m.parameters().values(), back.parameters().values());
        assertEquals(ids, back.vocabulary().externalIds());
    }

    /**
     * Exhaustive: every byte of the file, every single-bit flip and one other value per byte. The byte is patched
     * in place (rewriting a whole file costs a millisecond on ext4, which flushes truncated files).
     */
    @Property(tries = 2)
    void everySingleByteChangeIsReportedAsCorruption(@ForAll @IntRange(min = 1, max = 255) int other) throws IOException {
        Path f = dir.resolve("patched.nt");
        small().save(f);
        byte[] bytes = Files.readAllBytes(f);
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            for (int i = 0; i < bytes.length; i++) {
                for (int change : new int[] {1, 2, 4, 8, 16, 32, 64, 128, other}) {
                    file.seek(i);
                    file.write(bytes[i] ^ change);
                    assertRefused(f, "byte " + i + " xor " + change);
                }
                file.seek(i);
                file.write(bytes[i]);
            }
        }
        assertArrayEquals(bytes, Files.readAllBytes(f));
        TrainedModel.load(f); // and the original reads again
    }

    @Property(tries = 1)
    void everyTruncationAndEveryAppendIsReported() throws IOException {
        Path good = dir.resolve("good.nt");
        small().save(good);
        byte[] bytes = Files.readAllBytes(good);
        for (int n = 0; n < bytes.length; n++) assertRefused(Arrays.copyOf(bytes, n), "first " + n + " bytes");
        for (int extra = 1; extra <= 9; extra++) assertRefused(Arrays.copyOf(bytes, bytes.length + extra), extra + " bytes more");
    }

    @Property(tries = 200)
    void randomBytesAreNeverAModel(@ForAll @Size(max = 600) byte[] junk, @ForAll boolean withMagic) throws IOException {
        byte[] b = junk.clone();
        if (withMagic) System.arraycopy(Checkpoint.MAGIC, 0, b, 0, Math.min(b.length, Checkpoint.MAGIC.length));
        assertRefused(b, "random bytes");
    }

    @Provide
    Arbitrary<Checkpoint> checkpoints() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(20); // any chars, surrogates included
        Arbitrary<Map<String, String>> header = Arbitraries.maps(text, text).ofMaxSize(6);
        Arbitrary<Map<String, List<String>>> strings = Arbitraries.maps(text, text.injectNull(0.1).list().ofMaxSize(5)).ofMaxSize(3);
        Arbitrary<float[]> data = Arbitraries.floats().list().ofMaxSize(12)
                .map(l -> { float[] a = new float[l.size()]; for (int i = 0; i < a.length; i++) a[i] = l.get(i); return a; });
        Arbitrary<Map<String, float[]>> tensors = Arbitraries.maps(text, data).ofMaxSize(3);
        return Combinators.combine(header, strings, tensors).as((h, s, t) -> {
            Checkpoint ck = new Checkpoint();
            h.forEach(ck::put);
            s.forEach(ck::putStrings);
            t.forEach((name, v) -> ck.putTensor(name, 1, v.length, v));
            return ck;
        });
    }
}
