package io.nexttrack.engine.gpu;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.data.Batch;
import io.nexttrack.numeric.LogSoftmax;
import io.nexttrack.numeric.TopK;
import io.nexttrack.optim.Adam;
import io.nexttrack.optim.GradientClipping;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every kernel on the GPU against its Java twin, on random (never zero) inputs with odd sizes; tolerances per
 * kernel in each test. LSTM_FORWARD is checked here on its own; LSTM_BACKWARD through whole training steps
 * ({@link GpuEngineStepTest}: every LSTM weight gradient against the CPU engine's). Skips without a GPU; fails with
 * -Dnexttrack.gpu.required=true.
 */
@Tag("gpu")
class GpuKernelsTest {
    static GpuContext ctx;
    static final SplittableRandom RND = new SplittableRandom(11);

    @BeforeAll
    static void start() {
        GpuRequirement.assumeGpu();
        ctx = new GpuContext();
    }

    @AfterAll
    static void stop() {
        if (ctx != null) ctx.close();
    }

    static float[] random(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (RND.nextDouble() * 2 - 1) + 1e-3f;
        return x;
    }

    static DeviceBuffer up(float[] x) { return up(ctx, x); }

    /** {@code x} in a new device buffer of {@code c}, copied and waited for. */
    static DeviceBuffer up(GpuContext c, float... x) { return up(c, new FloatPointer(x), 4L * x.length); }

    static DeviceBuffer up(int[] x) { return up(new IntPointer(x), 4L * x.length); }

    static DeviceBuffer up(byte[] x) { return up(new org.bytedeco.javacpp.BytePointer(x), x.length); }

    static DeviceBuffer up(org.bytedeco.javacpp.Pointer host, long bytes) { return up(ctx, host, bytes); }

    private static DeviceBuffer up(GpuContext c, org.bytedeco.javacpp.Pointer host, long bytes) {
        DeviceBuffer d = c.bytes("test data", bytes);
        c.toDevice(d.address(), host, bytes, "test");
        c.synchronize("test upload");
        return d;
    }

    static float[] down(DeviceBuffer d, int n) { return down(ctx, d, n); }

    /** The first {@code n} floats of a device buffer of {@code c}, once everything queued has run. */
    static float[] down(GpuContext c, DeviceBuffer d, int n) {
        FloatPointer p = new FloatPointer(n);
        c.toHost(p, d.address(), 4L * n, "test");
        c.synchronize("test download");
        float[] x = new float[n];
        p.get(x);
        return x;
    }

    static int[] downInts(DeviceBuffer d, int n) {
        IntPointer p = new IntPointer(n);
        ctx.toHost(p, d.address(), 4L * n, "test");
        ctx.synchronize("test download");
        int[] x = new int[n];
        p.get(x);
        return x;
    }

    static double downDouble(long address) {
        DoublePointer p = new DoublePointer(1);
        ctx.toHost(p, address, 8, "test");
        ctx.synchronize("test download");
        return p.get(0);
    }

    /** A chunk of 37 lanes x 5 steps over 1001 songs with uneven lengths and some empty lanes. */
    static Batch chunk(int lanes, int steps, int songs) {
        Batch b = new Batch(lanes, steps);
        b.clear();
        for (int lane = 0; lane < lanes; lane++) {
            int len = lane % 7 == 3 ? 0 : 1 + RND.nextInt(steps);
            for (int t = 0; t < len; t++) b.put(t, lane, RND.nextInt(songs), RND.nextInt(songs), RND.nextInt(4) == 0);
        }
        return b;
    }

    @Test
    void fillAndMultiply() {
        int n = 1037;
        DeviceBuffer a = up(random(n));
        ctx.kernels.fill(a.address(), 2.5f, n);
        float[] filled = new float[n];
        Arrays.fill(filled, 2.5f);
        assertArrayEquals(filled, down(a, n));
        float[] x = random(n), y = random(n), expected = new float[n];
        for (int i = 0; i < n; i++) expected[i] = x[i] * y[i];
        DeviceBuffer dx = up(x), dy = up(y);
        ctx.kernels.multiply(dx.address(), dy.address(), dx.address(), n);
        assertArrayEquals(expected, down(dx, n)); // one rounding each: the same bits
    }

    @Test
    void embeddingGatherAndDeterministicGradient() {
        int lanes = 37, steps = 5, songs = 1001, dim = 13, positions = lanes * steps;
        Batch b = chunk(lanes, steps, songs);
        float[] table = random(songs * dim), rows = random(positions * dim);
        DeviceBuffer ids = up(b.inputs), lengths = up(b.lengths), dTable = up(table), out = ctx.floats("out", (long) positions * dim);
        ctx.kernels.embeddingGather(ids.address(), lengths.address(), dTable.address(), out.address(), lanes, positions, dim);
        float[] expected = new float[positions * dim];
        for (int pos = 0; pos < positions; pos++) {
            if (pos / lanes < b.lengths[pos % lanes]) System.arraycopy(table, b.inputs[pos] * dim, expected, pos * dim, dim);
        }
        assertArrayEquals(expected, down(out, positions * dim), "rows at real positions, zeros at padding");

        // Twin: CpuModel.scatterEmbeddingGradient, real positions in ascending order.
        float[] grads = random(songs * dim), twin = grads.clone();
        for (int pos = 0; pos < positions; pos++) {
            if (pos / lanes >= b.lengths[pos % lanes]) continue;
            for (int j = 0; j < dim; j++) twin[b.inputs[pos] * dim + j] += rows[pos * dim + j];
        }
        PositionsBySong g = new PositionsBySong(lanes, steps).group(b);
        DeviceBuffer s = up(Arrays.copyOf(g.songs(), Math.max(1, g.count()))), o = up(Arrays.copyOf(g.offsets(), g.count() + 1)),
                q = up(Arrays.copyOf(g.positions(), Math.max(1, g.size()))), dRows = up(rows), dGrads = up(grads);
        ctx.kernels.embeddingGrad(s.address(), o.address(), q.address(), dRows.address(), dGrads.address(), g.count(), dim);
        assertArrayEquals(twin, down(dGrads, songs * dim), "the same additions in the same order: the same bits");
    }

    @Test
    void softmaxCrossEntropyColumnSumsAndLossSum() {
        int lanes = 9, steps = 4, songs = 3001, positions = lanes * steps, first = 5, rows = 23;
        Batch b = chunk(lanes, steps, songs);
        float[] logits = random(rows * songs), bias = random(songs);
        for (int i = 0; i < logits.length; i++) logits[i] *= 8;
        float scale = 1f / 17;
        DeviceBuffer dl = up(logits), db = up(bias), targets = up(b.targets), lengths = up(b.lengths), rowLoss = ctx.floats("row loss", positions);
        ctx.kernels.fill(rowLoss.address(), 0f, positions);
        ctx.kernels.softmaxXent(dl.address(), db.address(), targets.address(), lengths.address(), rowLoss.address(), scale, first, rows, lanes, songs);
        float[] gradient = down(dl, rows * songs), losses = down(rowLoss, positions);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int pos = first + r;
            boolean real = pos / lanes < b.lengths[pos % lanes];
            if (!real) {
                for (int j = 0; j < songs; j++) assertEquals(0f, gradient[r * songs + j]);
                assertEquals(0f, losses[pos]);
                continue;
            }
            // Twin: CpuOutputLayer.softmaxCrossEntropy (max-shifted, exponentials summed in double).
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < songs; j++) max = Math.max(max, logits[r * songs + j] + bias[j]);
            double sum = 0;
            for (int j = 0; j < songs; j++) sum += Math.exp(logits[r * songs + j] + bias[j] - max);
            int target = b.targets[pos];
            double loss = max + Math.log(sum) - (logits[r * songs + target] + bias[target]);
            assertEquals(loss, losses[pos], 1e-4 * Math.max(1, loss), "row loss " + r);
            total += losses[pos];
            for (int j = 0; j < songs; j++) {
                double p = Math.exp(logits[r * songs + j] + bias[j] - max) / sum;
                assertEquals(scale * (p - (j == target ? 1 : 0)), gradient[r * songs + j], 1e-6, "gradient " + r + ", " + j);
            }
        }
        DeviceBuffer loss = ctx.bytes("loss", 8);
        ctx.kernels.lossSum(rowLoss.address(), loss.address(), positions);
        assertEquals(total, downDouble(loss.address()), 1e-9 * Math.max(1, total), "loss sum in double");

        // Column sums (the bias gradients), a GEMM with ones added to what is there: within 1e-5 of the sums in double
        // (rows of values in [-1, 1): the float sums' rounding is below 1e-5 at these sizes, whatever cuBLAS's order).
        float[] a = random(rows * songs), sums = random(songs), twin = new float[songs];
        for (int j = 0; j < songs; j++) {
            double s = sums[j];
            for (int r = 0; r < rows; r++) s += a[r * songs + j];
            twin[j] = (float) s;
        }
        DeviceBuffer da = up(a), ds = up(sums);
        ctx.addColumnSums(da.address(), ds.address(), rows, songs);
        assertArrayEquals(twin, down(ds, songs), 1e-5f);
    }

    @Test
    void gradientNormAndClippedAdamMatchTheCpu() {
        int n = 100_003;
        for (float maxNorm : new float[] {1e6f, 0.5f}) { // no clipping (Adam alone: the same bits), then clipping
            float[] g = random(n), p = random(n), m = random(n), v = random(n);
            for (int i = 0; i < n; i++) v[i] = Math.abs(v[i]);
            DeviceBuffer dg = up(g), dp = up(p), dm = up(m), dv = up(v), partials = ctx.bytes("partials", 8L * Launch.NORM_BLOCKS),
                    sumSquares = ctx.bytes("sum of squares", 8);
            ctx.kernels.sumSquares(dg.address(), partials.address(), sumSquares.address(), n);
            double norm = GradientClipping.norm(g);
            assertEquals(norm * norm, downDouble(sumSquares.address()), 1e-9 * norm * norm, "squared norm in double");

            Adam adam = new Adam(n, 1e-3f, 0.9f, 0.999f, 1e-8f);
            adam.setState(new Adam.State(m.clone(), v.clone(), 6));
            float[] cpuP = p.clone(), cpuG = g.clone();
            new GradientClipping(maxNorm).clip(cpuG);
            Adam.StepConstants c = adam.constants(7); // the step update() is about to take
            adam.update(cpuP, cpuG);
            ctx.kernels.clipAdam(dp.address(), dg.address(), dm.address(), dv.address(), sumSquares.address(), maxNorm, c.alpha(), 0.9f,
                    0.999f, c.eps(), n);
            float[] gpuP = down(dp, n), gpuM = down(dm, n);
            if (maxNorm > 1e5f) {
                assertArrayEquals(cpuP, gpuP, "Adam without FMA contraction: the same bits");
                assertArrayEquals(adam.state().m(), gpuM);
            } else {
                assertArrayEquals(cpuP, gpuP, 1e-6f, "clipped: the norms differ in their last bits");
                assertArrayEquals(adam.state().m(), gpuM, 1e-6f);
            }
        }
    }

    /**
     * The sampled loss's kernels: SAMPLED_COLUMNS against CpuSampledOutputLayer.gatherColumns (the same bits), and
     * SPARSE_ADAM against Adam.updateRows for an embedding's rows and the output weights' columns (the same bits for
     * the same norm; here the norm is given, so the clip factor is the same), untouched parameters left alone.
     */
    @Test
    void sampledColumnsAndSparseAdamMatchTheCpu() {
        int hidden = 37, songs = 20_011, count = 1_009;
        int[] columns = new int[count];
        for (int j = 0; j < count; j++) columns[j] = j * 19 + (j % 3);
        float[] p = random(hidden * songs + songs), correction = random(count);
        float[] expected = new float[hidden * count], expectedBias = new float[count];
        io.nexttrack.engine.cpu.CpuSampledOutputLayer.gatherColumns(p, 0, hidden * songs, songs, columns, correction, count, expected,
                expectedBias, 0, hidden);
        DeviceBuffer dp = up(p), dc = up(columns), dcorr = up(correction), out = ctx.floats("out", (long) hidden * count),
                outBias = ctx.floats("out bias", count);
        ctx.kernels.sampledColumns(dp.address(), dp.at((long) hidden * songs), dc.address(), dcorr.address(), out.address(), outBias.address(),
                hidden, songs, count);
        assertArrayEquals(expected, down(out, hidden * count));
        assertArrayEquals(expectedBias, down(outBias, count));

        for (boolean columnsLayout : new boolean[] {true, false}) {
            int width = columnsLayout ? hidden : 13, size = columnsLayout ? hidden * songs : songs * 13;
            float[] w = random(size), m = random(size), v = random(size), g = random(count * width);
            for (int i = 0; i < size; i++) v[i] = Math.abs(v[i]);
            io.nexttrack.optim.SparseGradient sg = new io.nexttrack.optim.SparseGradient(0, 0, java.util.List.of(columnsLayout
                    ? io.nexttrack.optim.SparseGradient.Block.columns("w", 0, width, songs)
                    : io.nexttrack.optim.SparseGradient.Block.rows("e", 0, width)), count * width);
            sg.blocks().get(0).set(columns, count);
            sg.arrange();
            System.arraycopy(g, 0, sg.values, 0, g.length);
            double norm = GradientClipping.norm(g);
            float maxNorm = (float) (norm / 2);
            float clip = (float) (maxNorm / norm);
            Adam adam = new Adam(1, 1e-3f, 0.9f, 0.999f, 1e-8f);
            adam.setState(new Adam.State(new float[1], new float[1], 40));
            Adam.StepConstants k = adam.nextStep();
            float[] ew = w.clone(), em = m.clone(), ev = v.clone();
            Adam.updateRows(ew, em, ev, sg.values, sg.blocks().get(0), clip, 0.9f, 0.999f, k);
            DeviceBuffer dw = up(w), dm = up(m), dv = up(v), dg = up(g), sum = ctx.bytes("sum of squares", 8);
            org.bytedeco.javacpp.DoublePointer squares = new DoublePointer(new double[] {norm * norm});
            ctx.toDevice(sum.address(), squares, 8, "test");
            ctx.kernels.sparseAdam(dw.address(), dg.address(), dm.address(), dv.address(), dc.address(), sum.address(), maxNorm, k.alpha(),
                    0.9f, 0.999f, k.eps(), count, width, columnsLayout ? 1 : width, columnsLayout ? songs : 1, columnsLayout);
            assertArrayEquals(ew, down(dw, size), "parameters, " + (columnsLayout ? "columns" : "rows"));
            assertArrayEquals(em, down(dm, size), "m");
            assertArrayEquals(ev, down(dv, size), "v");
        }
    }

    @Test
    void logSoftmaxAndTopK() {
        int lanes = 6, steps = 3, songs = 75_262, rows = lanes * steps;
        Batch b = chunk(lanes, steps, songs);
        float[] logits = random(rows * songs), bias = random(songs);
        for (int i = 0; i < 50; i++) logits[7 * songs + 1000 + i] = 5f; // ties in row 7
        DeviceBuffer dl = up(logits), db = up(bias), lengths = up(b.lengths);
        ctx.kernels.logSoftmax(dl.address(), db.address(), lengths.address(), 0, rows, lanes, songs);
        float[] got = down(dl, rows * songs);
        int[] real = new int[rows];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            if (r / lanes >= b.lengths[r % lanes]) continue;
            real[count++] = r;
            float[] twin = new float[songs];
            for (int j = 0; j < songs; j++) twin[j] = logits[r * songs + j] + bias[j];
            LogSoftmax.inPlace(twin, 0, songs);
            for (int j = 0; j < songs; j++) assertEquals(twin[j], got[r * songs + j], 2e-5f, "row " + r + " song " + j);
        }
        int k = 20;
        DeviceBuffer index = up(Arrays.copyOf(real, Math.max(1, count))), songsOut = ctx.floats("top songs", (long) count * k),
                scoresOut = ctx.floats("top scores", (long) count * k);
        ctx.kernels.topK(dl.address(), index.address(), songsOut.address(), scoresOut.address(), count, songs, k);
        int[] best = downInts(songsOut, count * k);
        float[] scores = down(scoresOut, count * k);
        for (int i = 0; i < count; i++) {
            int[] twin = TopK.of(got, real[i] * songs, songs, k);
            assertArrayEquals(twin, Arrays.copyOfRange(best, i * k, (i + 1) * k), "row " + real[i] + ": the same songs in the same order");
            for (int r = 0; r < k; r++) assertEquals(got[real[i] * songs + twin[r]], scores[i * k + r]);
        }
    }

    /**
     * LSTM_FORWARD with the input projection by cuBLAS, against CpuLstmLayer.forward from a random carried-in state, with
     * resets, empty and short lanes and padding (KernelTestData.chunk); H = 37 and the seed's 100. Tolerance: every
     * element within 1e-5 x max(1, |CPU value|), looser than the host-build test's {@value LstmKernelsTest#FORWARD}
     * ({@link LstmKernelsTest}, whose input projection is a Java loop; here cuBLAS computes it). Backward is checked
     * through whole steps (GpuEngineStepTest: every LSTM weight gradient against the CPU engine).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"37, 9, 23, 37", "100, 20, 100, 100"})
    void lstmForwardMatchesCpuLstmLayer(int lanes, int steps, int in, int hidden) {
        int positions = lanes * steps, g = 4 * hidden, w = (in + hidden) * g;
        Batch batch = KernelTestData.chunk(lanes, steps, 50, true, lanes + hidden);
        float[] p = KernelTestData.uniform(RND, w + g, 1 / Math.sqrt(hidden)), x = KernelTestData.uniform(RND, positions * in, 1);
        float[] h0 = KernelTestData.uniform(RND, lanes * hidden, 0.5), c0 = KernelTestData.uniform(RND, lanes * hidden, 2);
        io.nexttrack.engine.cpu.CpuLstmLayer cpu = new io.nexttrack.engine.cpu.CpuLstmLayer(in, hidden, lanes, steps);
        System.arraycopy(h0, 0, cpu.h, 0, h0.length);
        System.arraycopy(c0, 0, cpu.c, 0, c0.length);
        for (int pos = 0; pos < positions; pos++) System.arraycopy(x, pos * in, cpu.xh, pos * cpu.width, in);
        try (io.nexttrack.engine.cpu.WorkerPool pool = new io.nexttrack.engine.cpu.WorkerPool(1)) {
            cpu.forward(p, 0, w, batch, pool);
        }
        DeviceBuffer dp = up(p), dx = up(x), h = up(h0), c = up(c0), lengths = up(batch.lengths), resets = up(batch.resets);
        DeviceBuffer gates = ctx.floats("gates", (long) positions * g), hPrev = ctx.floats("h_prev", (long) positions * hidden),
                cPrev = ctx.floats("c_prev", (long) positions * hidden), tanhC = ctx.floats("tanh c", (long) positions * hidden),
                out = ctx.floats("out", (long) positions * hidden);
        ctx.blas.gemm(new RowMajorGemm(false, false, positions, g, in, in, g, g), 1f, dx.address(), dp.address(), 0f, gates.address());
        ctx.kernels.lstmForward(gates.address(), dp.at(w), dp.at((long) in * g), lengths.address(), resets.address(), h.address(), c.address(),
                hPrev.address(), cPrev.address(), tanhC.address(), out.address(), lanes, steps, hidden);
        for (Object[] pair : new Object[][] {{"out", down(out, positions * hidden), cpu.out}, {"final h", down(h, lanes * hidden), cpu.h},
                {"final c", down(c, lanes * hidden), cpu.c}}) {
            float[] got = (float[]) pair[1], expected = (float[]) pair[2];
            double worst = KernelTestData.maxRelative(got, expected, expected.length);
            assertTrue(worst <= 1e-5, pair[0] + " differs by " + worst + " (H = " + hidden + ")");
        }
    }
}
