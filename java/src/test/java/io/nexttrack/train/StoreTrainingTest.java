package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Batcher;
import io.nexttrack.data.Dataset;
import io.nexttrack.data.PlaylistReader;
import io.nexttrack.data.PlaylistStore;
import io.nexttrack.data.Split;
import io.nexttrack.data.SyntheticPlaylists;
import io.nexttrack.data.YesWriter;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.model.ModelConfig;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on a mapped store is training on the text it was imported from: the same losses, bit for bit. */
class StoreTrainingTest {
    @TempDir Path dir;

    private record Run(List<Double> losses, List<Hook.Epoch> epochs, float[] parameters) {}

    private static Run train(Dataset d, Batcher.Layout layout) {
        Split split = Split.of(d.playlists(), 42);
        ModelConfig mc = new ModelConfig(d.songCount(), 8, 12, 2, 0.1f, false, 0.2f);
        TrainedModel model = new TrainedModel(new Parameters(mc).initialise(5), d.vocabulary(), d.catalog());
        TrainerTest.Recorder r = new TrainerTest.Recorder();
        TrainingConfig c = new TrainingConfig(2, 8, 6, layout, 1e-2, 1.0, 0.9, 0.999, 1e-8, 5, 3, 0, 0);
        try (Trainer t = NextTrack.trainer(model, c, split, List.of(r), EngineFactory.cpu(2))) {
            t.train();
        }
        return new Run(r.losses, r.epochs, model.parameters().values());
    }

    @Test
    void theSameLossesAndParametersFromTextAndFromTheStore() throws IOException {
        YesWriter.write(SyntheticPlaylists.generate(50, 600, 8), dir);
        Dataset text = PlaylistReader.read(dir);
        Path store = dir.resolve("data.nts");
        PlaylistStore.write(store, w -> PlaylistReader.importInto(dir, PlaylistReader.Format.AUTO, w));
        Dataset mapped = PlaylistReader.read(store);
        assertTrue(mapped.playlists().isMapped());
        assertEquals(text.playlists().fingerprint(), mapped.playlists().fingerprint());
        for (Batcher.Layout layout : Batcher.Layout.values()) {
            Run a = train(text, layout), b = train(mapped, layout);
            assertEquals(a.losses(), b.losses(), layout + ": every chunk's loss");
            for (int e = 0; e < a.epochs().size(); e++) {
                assertEquals(a.epochs().get(e).trainLoss(), b.epochs().get(e).trainLoss(), layout + ": epoch " + e);
                assertEquals(a.epochs().get(e).validationLoss(), b.epochs().get(e).validationLoss(), layout + ": epoch " + e);
            }
            assertArrayEquals(a.parameters(), b.parameters(), layout + ": the trained parameters");
            assertTrue(a.losses().size() > 20, "trained on something: " + a.losses().size() + " chunks");
        }
    }
}
