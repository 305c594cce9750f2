package io.nexttrack.engine.cpu;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.Workspace;
import io.nexttrack.numeric.InnerLoops;
import io.nexttrack.numeric.MatMul;
import java.util.Arrays;

/**
 * One LSTM layer over a time-major chunk, forward and backward through time, with its carried state. {@link CpuModel}
 * stacks them; on the GPU, {@code FusedLstm} (its twin, layer by layer on our kernels) or {@code CudnnLstm} runs the
 * whole stack.
 *
 * <pre>
 * [i f g o] = [x, h_prev] . W + b          (W: [in + H, 4H], gate column blocks i, f, g, o)
 * i, f, o = sigmoid(.), g = tanh(.)
 * c = f * c_prev + i * g,  h = o * tanh(c)
 * </pre>
 * Lanes are independent, so the recurrence runs each worker's lanes through all steps without barriers.
 * Padding steps (t >= length of the lane) leave the state alone, output zeros and get no gradient.
 *
 * <p>Internal to the engine; public only for the kernel benchmarks and the tests of its GPU twins
 * (nt_lstm_forward, nt_lstm_backward).
 */
public final class CpuLstmLayer {
    private static final InnerLoops K = InnerLoops.CHOSEN;

    final int in;
    final int hidden;
    final int lanes;
    final int steps;
    /** Width of a row of {@link #xh}: in + hidden. */
    public final int width;
    private final int gateWidth;
    private final int positions;

    /** [positions, in + H]: the input (written by the caller) and h_prev of each position; the GEMM's A. */
    public final float[] xh;
    /** [positions, 4H]: activated gates in forward, overwritten with their pre-activation gradient in backward. */
    private final float[] gates;
    private final float[] cPrev;
    private final float[] tanhCell;
    /** [positions, H]: the layer's output h (zero at padding). */
    public final float[] out;
    /** [positions, in]: gradient w.r.t. the layer input, filled by backward. */
    public final float[] dInput;
    /** Carried state [lanes, H]. */
    public final float[] h;
    public final float[] c;
    private final float[] dhNext;
    private final float[] dcNext;
    /** [4H, in + H]: the weights transposed once per backward pass, so that dx and dh are plain products; allocated by the first. */
    private float[] weightT;

    public CpuLstmLayer(int in, int hidden, int lanes, int steps) {
        this.in = in;
        this.hidden = hidden;
        this.lanes = lanes;
        this.steps = steps;
        this.width = in + hidden;
        this.gateWidth = 4 * hidden;
        this.positions = lanes * steps;
        this.xh = new float[positions * width];
        this.gates = new float[positions * gateWidth];
        this.cPrev = new float[positions * hidden];
        this.tanhCell = new float[positions * hidden];
        this.out = new float[positions * hidden];
        this.dInput = new float[positions * in];
        this.h = new float[lanes * hidden];
        this.c = new float[lanes * hidden];
        this.dhNext = new float[lanes * hidden];
        this.dcNext = new float[lanes * hidden];
    }

    /** What the constructor allocates, and the transposed weights of the first backward pass (see {@link Workspace}). */
    static Workspace workspace(long in, long hidden, long lanes, long steps) {
        long positions = lanes * steps, width = in + hidden;
        return Workspace.floats(positions * width).plus(Workspace.floats(positions * 4 * hidden))
                .plus(Workspace.floats(positions * hidden).times(3)).plus(Workspace.floats(positions * in))
                .plus(Workspace.floats(lanes * hidden).times(4)).plus(Workspace.floats(width * 4 * hidden));
    }

    void resetState() {
        Arrays.fill(h, 0f);
        Arrays.fill(c, 0f);
    }

    /**
     * Runs the chunk whose inputs are in {@code xh[:, 0:in)}; weight and bias at {@code wOff}, {@code bOff} of {@code p}.
     * The batch may have fewer lanes or steps than the layer (a scoring engine reused for smaller batches): its
     * positions then use the first {@code batch.lanes * batch.steps} rows of the buffers, and lane b's carried state.
     */
    public void forward(float[] p, int wOff, int bOff, Batch batch, WorkerPool pool) {
        int lanes = batch.lanes, steps = batch.steps, positions = lanes * steps;
        // The input half of the product does not depend on the recurrence: one big GEMM for all positions.
        pool.run((part, parts) -> {
            int r0 = WorkerPool.split(positions, part, parts, 4), r1 = WorkerPool.split(positions, part + 1, parts, 4);
            for (int r = r0; r < r1; r++) System.arraycopy(p, bOff, gates, r * gateWidth, gateWidth);
            MatMul.mul(xh, r0 * width, width, 1, p, wOff, gateWidth, gates, r0 * gateWidth, gateWidth,
                    r1 - r0, 0, gateWidth, in, true);
        });
        int recurrentOff = wOff + in * gateWidth;
        pool.run((part, parts) -> {
            int b0 = WorkerPool.split(lanes, part, parts, 1), b1 = WorkerPool.split(lanes, part + 1, parts, 1);
            if (b0 >= b1) return;
            for (int t = 0; t < steps; t++) {
                int row0 = t * lanes;
                for (int b = b0; b < b1; b++) {
                    int pos = row0 + b;
                    if (batch.resets[pos] != 0 && t < batch.lengths[b]) {
                        Arrays.fill(h, b * hidden, (b + 1) * hidden, 0f);
                        Arrays.fill(c, b * hidden, (b + 1) * hidden, 0f);
                    }
                    System.arraycopy(h, b * hidden, xh, pos * width + in, hidden);
                    System.arraycopy(c, b * hidden, cPrev, pos * hidden, hidden);
                }
                MatMul.mul(xh, (row0 + b0) * width + in, width, 1, p, recurrentOff, gateWidth,
                        gates, (row0 + b0) * gateWidth, gateWidth, b1 - b0, 0, gateWidth, hidden, true);
                for (int b = b0; b < b1; b++) {
                    int pos = row0 + b;
                    if (t < batch.lengths[b]) cellForward(pos, b);
                    else Arrays.fill(out, pos * hidden, (pos + 1) * hidden, 0f);
                }
            }
        });
    }

    private void cellForward(int pos, int lane) {
        K.cellForward(gates, pos * gateWidth, cPrev, pos * hidden, c, lane * hidden, tanhCell, out, h, hidden);
    }

    /**
     * Backpropagates {@code dOut} ([positions, H], gradient w.r.t. {@link #out}) through the chunk: adds
     * the weight and bias gradients into {@code grad} and, if {@code inputGradient}, fills {@link #dInput}.
     * No gradient flows into the state carried in from the previous chunk (truncated BPTT).
     */
    public void backward(float[] p, int wOff, float[] grad, int gwOff, int gbOff, float[] dOut, boolean inputGradient,
                  Batch batch, WorkerPool pool) {
        if (batch.lanes != lanes || batch.steps != steps) {
            throw new IllegalArgumentException("backward needs a full " + lanes + "x" + steps + " batch, not " + batch.lanes + "x" + batch.steps);
        }
        if (weightT == null) weightT = new float[width * gateWidth];
        float[] weightT = this.weightT;
        pool.run((part, parts) -> MatMul.transpose(p, wOff, width, gateWidth, weightT,
                WorkerPool.split(width, part, parts, 1), WorkerPool.split(width, part + 1, parts, 1)));
        pool.run((part, parts) -> {
            int b0 = WorkerPool.split(lanes, part, parts, 1), b1 = WorkerPool.split(lanes, part + 1, parts, 1);
            if (b0 >= b1) return;
            Arrays.fill(dhNext, b0 * hidden, b1 * hidden, 0f);
            Arrays.fill(dcNext, b0 * hidden, b1 * hidden, 0f);
            for (int t = steps - 1; t >= 0; t--) {
                int row0 = t * lanes;
                for (int b = b0; b < b1; b++) {
                    int pos = row0 + b;
                    if (t < batch.lengths[b]) cellBackward(pos, b, dOut, batch.resets[pos] != 0);
                    else Arrays.fill(gates, pos * gateWidth, (pos + 1) * gateWidth, 0f);
                }
                // dh_prev = dGates . U^T, U = the recurrent rows of W: columns [in, in + H) of W^T.
                MatMul.mul(gates, (row0 + b0) * gateWidth, gateWidth, 1, weightT, in, width,
                        dhNext, b0 * hidden, hidden, b1 - b0, 0, hidden, gateWidth, false);
                for (int b = b0; b < b1; b++) {
                    // The state before a reset was replaced by zeros: nothing flows back past it.
                    if (batch.resets[row0 + b] != 0) Arrays.fill(dhNext, b * hidden, (b + 1) * hidden, 0f);
                }
            }
        });
        pool.run((part, parts) -> {
            // dW = [x, h_prev]^T . dGates, split by rows of W; db = column sums, split by columns.
            int r0 = WorkerPool.split(width, part, parts, 4), r1 = WorkerPool.split(width, part + 1, parts, 4);
            MatMul.mul(xh, r0, 1, width, gates, 0, gateWidth, grad, gwOff + r0 * gateWidth, gateWidth,
                    r1 - r0, 0, gateWidth, positions, true);
            int j0 = WorkerPool.split(gateWidth, part, parts, K.lanes()), j1 = WorkerPool.split(gateWidth, part + 1, parts, K.lanes());
            columnSums(gates, positions, gateWidth, j0, j1, grad, gbOff);
            if (inputGradient) {
                int q0 = WorkerPool.split(positions, part, parts, 4), q1 = WorkerPool.split(positions, part + 1, parts, 4);
                MatMul.mul(gates, q0 * gateWidth, gateWidth, 1, weightT, 0, width, dInput, q0 * in, in, q1 - q0, 0, in,
                        gateWidth, false);
            }
        });
    }

    /** Turns the gates of one position into their pre-activation gradients. */
    private void cellBackward(int pos, int lane, float[] dOut, boolean reset) {
        K.outputGateAndCellGradient(gates, pos * gateWidth + 3 * hidden, tanhCell, pos * hidden, dOut, dhNext, dcNext, lane * hidden,
                hidden);
        K.inputGatesGradient(gates, pos * gateWidth, cPrev, pos * hidden, dcNext, lane * hidden, hidden, reset);
    }

    /** out[off + j] += sum over rows of a[r, j] for j in [j0, j1), in row order. On the GPU: GpuContext.addColumnSums. */
    public static void columnSums(float[] a, int rows, int ld, int j0, int j1, float[] out, int off) {
        K.columnSums(a, rows, ld, j0, j1, out, off);
    }
}
