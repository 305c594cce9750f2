package io.nexttrack.engine.gpu;

import static io.nexttrack.engine.gpu.HostKernels.bytes;
import static io.nexttrack.engine.gpu.HostKernels.floats;
import static io.nexttrack.engine.gpu.HostKernels.ints;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.cpu.CpuLstmLayer;
import io.nexttrack.engine.cpu.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernels of native/lstm.cuh, LSTM_FORWARD and LSTM_BACKWARD, on the host build against CpuLstmLayer, from a random carried-in state, over one or
 * two consecutive chunks (the state carried from one to the next), with resets at random places, empty and short lanes and a last step that is padding in every lane; the GEMMs
 * around the kernels (input projection; dW, dX) are plain Java loops here, the bias gradient too.
 * Tolerances:
 * <ul>
 *   <li>forward (out, the state each step starts from, the final h and c): every element within
 *       {@value #FORWARD} x max(1, |CPU value|). Both sides are float with their own exp/tanh (~2 ulp) and sum the
 *       H + in products of each gate in different orders. Measured worst: 3.6e-7 (final c).</li>
 *   <li>backward (dW, db, dX): relative norm of the difference {@value #BACKWARD}; the Java GEMMs here add in
 *       double, the CPU's in float. Measured worst: 7.2e-7 (dW of the recurrent rows).</li>
 * </ul>
 */
class LstmKernelsTest {
    static final double FORWARD = 3e-6;
    static final double BACKWARD = 5e-6;

    /**
     * lanes, steps, input width, hidden, layers, chunks, lanes per block, threads per block (0: Launch.lstm's) and
     * where R lives: the seed shape with R in shared memory and read from global memory (100 lanes = 14 blocks of
     * 7 + 2), H = 37 (not a multiple of 32) with the production launch, and H = 300 (R too large for shared memory,
     * 1,200 gate columns for 1,024 threads).
     */
    @ParameterizedTest
    @CsvSource({"100, 20, 100, 100, 2, 1, 4, 128, true", "100, 20, 100, 100, 1, 1, 7, 96, false",
            "37, 9, 23, 37, 2, 2, 1, 0, true", "37, 9, 23, 37, 1, 2, 5, 64, false", "5, 4, 3, 300, 1, 2, 1, 0, false"})
    void matchesLstmLayerForwardAndBackward(int lanes, int steps, int input, int hidden, int layerCount, int chunks,
                                            int lanesPerBlock, int block, boolean recurrentInShared) {
        HostKernels host = HostKernels.require();
        SplittableRandom rnd = new SplittableRandom(lanes * 1000L + hidden);
        int positions = lanes * steps, gateWidth = 4 * hidden;
        Layer[] layers = new Layer[layerCount];
        try (Arena arena = Arena.ofConfined(); WorkerPool pool = new WorkerPool(1)) {
            for (int l = 0; l < layerCount; l++) layers[l] = new Layer(l == 0 ? input : hidden, hidden, lanes, steps, rnd, arena);
            // An H100's opt-in limit, or just enough for the per-lane state (9 H floats backward) so that R must stay
            // in global memory.
            int maxShared = recurrentInShared ? 232_448 : 9 * lanesPerBlock * hidden * Float.BYTES;
            Launch.Lstm forward = lstmLaunch(KernelCatalog.LSTM_FORWARD, lanes, hidden, lanesPerBlock, block, maxShared);
            Launch.Lstm backward = lstmLaunch(KernelCatalog.LSTM_BACKWARD, lanes, hidden, lanesPerBlock, block, maxShared);
            assertTrue(forward.recurrentInShared() == recurrentInShared);
            for (int chunk = 0; chunk < chunks; chunk++) {
                Batch batch = KernelTestData.chunk(lanes, steps, 50, lanes > 2, rnd.nextLong());
                MemorySegment lengths = ints(arena, batch.lengths), resets = bytes(arena, batch.resets);
                float[] x = KernelTestData.uniform(rnd, positions * input, 1);
                for (int l = 0; l < layerCount; l++) {
                    Layer layer = layers[l];
                    layer.cpuForward(x, batch, pool);
                    layer.hostForward(host, forward, x, lengths, resets, arena);
                    String where = "layer " + l + " of " + layerCount + ", chunk " + chunk + ": ";
                    assertForward(where + "out", layer.hostOut, layer.cpu.out);
                    assertForward(where + "state each step started from", layer.hostHPrev, layer.cpuHPrev());
                    assertForward(where + "final h", floats(layer.h), layer.cpu.h);
                    assertForward(where + "final c", floats(layer.c), layer.cpu.c);
                    x = layer.cpu.out; // both stacks get the same input, so each layer is checked on its own
                }
                float[] dOut = KernelTestData.uniform(rnd, positions * hidden, 1);
                for (int l = layerCount - 1; l >= 0; l--) {
                    Layer layer = layers[l];
                    float[] cpuGrad = layer.cpuBackward(dOut, batch, pool);
                    float[] hostGrad = layer.hostBackward(host, backward, dOut, lengths, resets, arena);
                    String where = "layer " + l + " of " + layerCount + ", chunk " + chunk + ": ";
                    int in = layer.in, wx = in * gateWidth, wr = hidden * gateWidth;
                    assertBackward(where + "dW input rows", hostGrad, cpuGrad, 0, wx);
                    assertBackward(where + "dW recurrent rows", hostGrad, cpuGrad, wx, wr);
                    assertBackward(where + "db", hostGrad, cpuGrad, wx + wr, gateWidth);
                    assertBackward(where + "dX", layer.hostInputGradient, layer.cpu.dInput, 0, positions * in);
                    dOut = layer.cpu.dInput;
                }
            }
        }
    }

    private static Launch.Lstm lstmLaunch(KernelCatalog kernel, int lanes, int hidden, int lanesPerBlock, int block, int maxShared) {
        return block == 0 ? Launch.lstm(kernel, lanes, hidden, maxShared)
                : Launch.lstm(kernel, lanes, hidden, lanesPerBlock, block, maxShared);
    }

    private static void assertForward(String what, float[] actual, float[] expected) {
        double worst = KernelTestData.maxRelative(actual, expected, expected.length);
        assertTrue(worst <= FORWARD, what + " differs by " + worst);
    }

    private static void assertBackward(String what, float[] actual, float[] expected, int off, int n) {
        double err = KernelTestData.relativeNorm(actual, expected, off, n);
        assertTrue(err <= BACKWARD, what + ": relative error " + err);
    }

    /** One layer twice: CpuLstmLayer on the CPU, and the kernels with the GEMMs around them done in Java. */
    private static final class Layer {
        final int in, hidden, lanes, steps, positions, gateWidth;
        /** W [in + H, 4H] then b [4H], the CPU's layout. */
        final float[] p;
        final CpuLstmLayer cpu;
        final MemorySegment h, c, bias, recurrent;
        MemorySegment gates, hPrev, cPrev, tanhC;
        float[] x, hostOut, hostHPrev, hostInputGradient;

        Layer(int in, int hidden, int lanes, int steps, SplittableRandom rnd, Arena arena) {
            this.in = in;
            this.hidden = hidden;
            this.lanes = lanes;
            this.steps = steps;
            this.positions = lanes * steps;
            this.gateWidth = 4 * hidden;
            int w = (in + hidden) * gateWidth;
            this.p = KernelTestData.uniform(rnd, w + gateWidth, 1 / Math.sqrt(hidden));
            for (int j = w; j < w + gateWidth; j++) p[j] *= 3; // biases of either sign, some gates nearly shut
            this.cpu = new CpuLstmLayer(in, hidden, lanes, steps);
            float[] h0 = KernelTestData.uniform(rnd, lanes * hidden, 0.5), c0 = KernelTestData.uniform(rnd, lanes * hidden, 2);
            System.arraycopy(h0, 0, cpu.h, 0, h0.length);
            System.arraycopy(c0, 0, cpu.c, 0, c0.length);
            this.h = floats(arena, h0);
            this.c = floats(arena, c0);
            this.bias = floats(arena, Arrays.copyOfRange(p, w, w + gateWidth));
            this.recurrent = floats(arena, Arrays.copyOfRange(p, in * gateWidth, w));
        }

        void cpuForward(float[] x, Batch batch, WorkerPool pool) {
            for (int pos = 0; pos < positions; pos++) System.arraycopy(x, pos * in, cpu.xh, pos * cpu.width, in);
            cpu.forward(p, 0, (in + hidden) * gateWidth, batch, pool);
        }

        /** h_prev of every position: the recurrent half of CpuLstmLayer.xh. */
        float[] cpuHPrev() {
            float[] a = new float[positions * hidden];
            for (int pos = 0; pos < positions; pos++) System.arraycopy(cpu.xh, pos * cpu.width + in, a, pos * hidden, hidden);
            return a;
        }

        void hostForward(HostKernels host, Launch.Lstm launch, float[] x, MemorySegment lengths, MemorySegment resets, Arena arena) {
            this.x = x.clone();
            float[] projection = new float[positions * gateWidth]; // X . W[0, in): cuBLAS on the GPU
            double[] row = new double[gateWidth];
            for (int pos = 0; pos < positions; pos++) {
                Arrays.fill(row, 0);
                for (int k = 0; k < in; k++) {
                    double xk = x[pos * in + k];
                    for (int col = 0; col < gateWidth; col++) row[col] += xk * p[k * gateWidth + col];
                }
                for (int col = 0; col < gateWidth; col++) projection[pos * gateWidth + col] = (float) row[col];
            }
            gates = floats(arena, projection);
            hPrev = floats(arena, new float[positions * hidden]);
            cPrev = floats(arena, new float[positions * hidden]);
            tanhC = floats(arena, new float[positions * hidden]);
            MemorySegment out = floats(arena, new float[positions * hidden]);
            host.launch(launch.launch(), gates, bias, recurrent, lengths, resets, h, c, hPrev, cPrev, tanhC, out, lanes, steps,
                    hidden, launch.lanesPerBlock(), launch.recurrentInShared() ? 1 : 0);
            hostOut = floats(out);
            hostHPrev = floats(hPrev);
        }

        float[] cpuBackward(float[] dOut, Batch batch, WorkerPool pool) {
            float[] grad = new float[p.length];
            int w = (in + hidden) * gateWidth;
            cpu.backward(p, 0, grad, 0, w, dOut, true, batch, pool);
            return grad;
        }

        /** The kernel, then dW = [X, h_prev]^T . dG and dX = dG . W[0, in)^T and db = column sums of dG in Java. */
        float[] hostBackward(HostKernels host, Launch.Lstm launch, float[] dOut, MemorySegment lengths, MemorySegment resets, Arena arena) {
            host.launch(launch.launch(), gates, recurrent, lengths, resets, floats(arena, dOut), cPrev, tanhC, lanes, steps, hidden,
                    launch.lanesPerBlock(), launch.recurrentInShared() ? 1 : 0);
            float[] dGates = floats(gates);
            float[] prev = floats(hPrev);
            int w = (in + hidden) * gateWidth;
            double[] dw = new double[w];
            for (int pos = 0; pos < positions; pos++) {
                for (int row = 0; row < in + hidden; row++) {
                    double a = row < in ? x[pos * in + row] : prev[pos * hidden + row - in];
                    for (int col = 0; col < gateWidth; col++) dw[row * gateWidth + col] += a * dGates[pos * gateWidth + col];
                }
            }
            float[] grad = new float[p.length];
            for (int i = 0; i < w; i++) grad[i] = (float) dw[i];
            for (int pos = 0; pos < positions; pos++) {
                for (int col = 0; col < gateWidth; col++) grad[w + col] += dGates[pos * gateWidth + col];
            }
            hostInputGradient = new float[positions * in];
            for (int pos = 0; pos < positions; pos++) {
                for (int k = 0; k < in; k++) {
                    double s = 0;
                    for (int col = 0; col < gateWidth; col++) s += (double) dGates[pos * gateWidth + col] * p[k * gateWidth + col];
                    hostInputGradient[pos * in + k] = (float) s;
                }
            }
            return grad;
        }
    }
}
