package io.nexttrack.train;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.NextTrack;
import io.nexttrack.data.Playlists;
import io.nexttrack.data.SongCatalog;
import io.nexttrack.data.Split;
import io.nexttrack.data.Vocabulary;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.model.Checkpoint;
import io.nexttrack.model.Hybrid;
import io.nexttrack.model.Parameters;
import io.nexttrack.model.RunCheckpoint;
import io.nexttrack.model.Temperature;
import io.nexttrack.model.TrainedModel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RunCheckpoint} owns every key a run stores: a resume file and a model file with its hybrid hold no header
 * entry, string list or tensor that the schema does not name (the parameter tensors are named by {@link Parameters}).
 */
class CheckpointSchemaTest {
    private static void assertOnlySchemaKeys(Checkpoint ck, TrainedModel model) {
        Set<String> header = new HashSet<>();
        for (RunCheckpoint.Key<?> k : RunCheckpoint.HEADER) header.add(k.name());
        for (String k : ck.header().keySet()) assertTrue(header.contains(k), "header entry '" + k + "' is not in RunCheckpoint");
        Set<String> strings = Set.of(RunCheckpoint.SONG_IDS, RunCheckpoint.SONG_TITLES, RunCheckpoint.SONG_ARTISTS, RunCheckpoint.HISTORY);
        for (String k : ck.strings().keySet()) assertTrue(strings.contains(k), "string list '" + k + "' is not in RunCheckpoint");
        Set<String> tensors = new HashSet<>(List.of(RunCheckpoint.HYBRID_LENGTHS, RunCheckpoint.HYBRID_SONGS,
                RunCheckpoint.HYBRID_REPEAT_TABLE, RunCheckpoint.STATE, RunCheckpoint.ADAM_M, RunCheckpoint.ADAM_V,
                RunCheckpoint.BEST_PARAMETERS));
        for (Parameters.Tensor t : model.parameters().tensors()) tensors.add(t.name());
        for (String k : ck.tensors().keySet()) assertTrue(tensors.contains(k), "tensor '" + k + "' is not in RunCheckpoint");
    }

    @Test
    void aResumeFileAndAModelFileHoldOnlyTheSchemasKeys() {
        Split split = new Split(TrainerTest.playlists(120, 1), TrainerTest.playlists(20, 2), Playlists.of(TrainerTest.SONGS));
        try (Trainer t = TrainerTest.trainer(TrainerTest.config(1).withEpochs(2), List.of(new Hook() {
            @Override public void onStep(Trainer tr, Step s) { if (s.epoch() == 1 && s.chunk() == 3) tr.requestStop(); }
        }), TrainerTest.freshModel())) {
            t.train();
            Checkpoint ck = t.checkpoint(); // inside epoch 2: with the carried state and the best parameters
            assertTrue(ck.hasTensor(RunCheckpoint.STATE) && ck.hasTensor(RunCheckpoint.BEST_PARAMETERS));
            assertOnlySchemaKeys(ck, t.model());
            assertEquals("in epoch 2, after chunk 3", RunCheckpoint.where(ck));
        }
        var data = new io.nexttrack.data.Dataset(Vocabulary.identity(TrainerTest.SONGS), split.train(), SongCatalog.empty(TrainerTest.SONGS));
        TrainedModel model = NextTrack.train(data, split, TrainerTest.freshModel().config(), TrainerTest.config(1), EngineFactory.cpu(1));
        assertNotNull(model.hybrid());
        assertNotNull(model.hybrid().repeats(), "the tuned hybrid keeps its repeat profile");
        assertTrue(model.encode().hasTensor(RunCheckpoint.HYBRID_REPEAT_TABLE));
        assertOnlySchemaKeys(model.encode(), model);
        // With every optional entry of the hybrid written (a bigram weight above 0 too):
        TrainedModel all = model.withHybrid(new Hybrid(model.hybrid().neighbours(), 0.2, 0.2, 0.1, model.hybrid().repeats(), 0.5,
                new Temperature(1.5, -0.1, 0.05)));
        assertOnlySchemaKeys(all.encode(), all);
        Hybrid back = TrainedModel.decode(all.encode()).hybrid();
        assertEquals(List.of(0.2, 0.2, 0.1, 0.5), List.of(back.setWeight(), back.sequenceWeight(), back.bigramWeight(), back.repeatWeight()));
        assertEquals(new Temperature(1.5, -0.1, 0.05), back.temperature());
    }
}
