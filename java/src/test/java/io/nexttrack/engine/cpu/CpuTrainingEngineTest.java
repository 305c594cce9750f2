package io.nexttrack.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.nexttrack.data.Batch;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import org.junit.jupiter.api.Test;

class CpuTrainingEngineTest {
    /** A chunk without a real position has nothing to learn from: no Adam step (its count included), no change. */
    @Test
    void chunkWithoutRealPositionsTakesNoStep() {
        Parameters params = TestData.parameters(40, 6, 8, 2, 4);
        Adam adam = new Adam(params.size());
        try (CpuTrainingEngine engine = new CpuTrainingEngine(params, adam, 5, 3, 4, 1, 0)) {
            engine.train(TestData.batch(3, 4, 40, 1));
            assertEquals(1, adam.step());
            float[] before = params.values().clone(), m = adam.state().m().clone(), state = engine.state();

            Batch empty = new Batch(3, 4);
            empty.clear();
            assertEquals(0, engine.train(empty));
            assertEquals(1, adam.step());
            assertEquals(0, engine.lastGradientNorm());
            assertArrayEquals(before, params.values());
            assertArrayEquals(m, adam.state().m());
            assertArrayEquals(state, engine.state(), "padding leaves the carried state alone");

            engine.train(TestData.batch(3, 4, 40, 2));
            assertEquals(2, adam.step());
            assertFalse(java.util.Arrays.equals(before, params.values()), "a real chunk steps");
        }
    }
}
