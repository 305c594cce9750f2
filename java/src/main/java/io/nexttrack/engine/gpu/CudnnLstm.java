package io.nexttrack.engine.gpu;

import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_N;
import static org.bytedeco.cuda.global.cublas.CUBLAS_OP_T;
import static org.bytedeco.cuda.global.cublas.cublasSgeam;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy2DAsync;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToDevice;
import static org.bytedeco.cuda.global.cudart.cudaMemset2DAsync;
import static org.bytedeco.cuda.global.cudnn.*;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.cudnn.cudnnDropoutStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNDataStruct;
import org.bytedeco.cuda.cudnn.cudnnRNNStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The stacked LSTM through cuDNN's v8 RNN API, on bucket chunks: one playlist per lane, equal lengths, resets
 * only at a chunk's first step (cuDNN cannot reset a lane inside a sequence). A chunk runs on its active lanes
 * packed side by side ({@link LaneCompaction}), so that with equal lengths the persistent algorithm
 * CUDNN_RNN_ALGO_PERSIST_STATIC_SMALL_H can run; unequal lengths (evaluation chunks) or a device where it is not
 * supported use CUDNN_RNN_ALGO_STANDARD. Single input bias (our model has one bias per gate), FP32 with FMA math
 * (no TF32), sequence lengths in device memory, padded I/O. The weights are copied from the flat parameters into
 * cuDNN's weight space before each forward and the weight gradients back ({@link CudnnWeightMap}).
 */
final class CudnnLstm extends GpuLstm {
    private final int layers, embedding;
    private final cudnnContext handle = new cudnnContext();
    private final cudnnDropoutStruct dropout = new cudnnDropoutStruct();
    private final Network standard, persistent;
    private boolean persistentWorks;
    private final LaneCompaction compaction;
    private final cudnnRNNDataStruct xDesc = new cudnnRNNDataStruct(), yDesc = new cudnnRNNDataStruct();
    private final cudnnTensorStruct hDesc = new cudnnTensorStruct();
    private final DeviceBuffer y, hx, cx, hy, cy;
    private DeviceBuffer work, reserve;
    private final FloatPointer paddingFill = new FloatPointer(0f);
    private final FloatPointer one = new FloatPointer(1f), zero = new FloatPointer(0f);
    private final SizeTPointer workBytes = new SizeTPointer(1), reserveBytes = new SizeTPointer(1);
    private final int[] lengths;
    /** The network and input of the last forward (backward uses the same), and the chunk prepare() made. */
    private Network last;
    private long lastX;
    private Batch current;

    /** One cuDNN RNN descriptor (one algorithm) with its weight space, weight gradients and the map to ours. */
    private final class Network {
        final int algorithm;
        final cudnnRNNStruct desc = new cudnnRNNStruct();
        DeviceBuffer weights, gradients;
        CudnnWeightMap map;
        long weightBytes;

        Network(int algorithm) {
            this.algorithm = algorithm;
            Cuda.checkCudnn(cudnnCreateRNNDescriptor(desc), "cudnnCreateRNNDescriptor");
            try {
                Cuda.checkCudnn(cudnnSetRNNDescriptor_v8(desc, algorithm, CUDNN_LSTM, CUDNN_RNN_SINGLE_INP_BIAS, CUDNN_UNIDIRECTIONAL,
                        CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT, CUDNN_FMA_MATH, embedding, hidden, hidden, layers, dropout,
                        CUDNN_RNN_PADDED_IO_ENABLED), "cudnnSetRNNDescriptor_v8(" + name() + ")");
            } catch (GpuException e) { // e.g. the persistent algorithm refused: no Network, so nobody else destroys it
                cudnnDestroyRNNDescriptor(desc);
                throw e;
            }
        }

        String name() { return algorithm == CUDNN_RNN_ALGO_STANDARD ? "STANDARD" : "PERSIST_STATIC_SMALL_H"; }

        /** The weight space and its map, on first use (a descriptor that cuDNN refuses never allocates). */
        void prepareWeights() {
            if (map != null) return;
            SizeTPointer size = new SizeTPointer(1);
            Cuda.checkCudnn(cudnnGetRNNWeightSpaceSize(handle, desc, size), "cudnnGetRNNWeightSpaceSize");
            weightBytes = size.get();
            weights = ctx.bytes("cuDNN weight space (" + name() + ")", weightBytes);
            gradients = ctx.bytes("cuDNN weight gradients (" + name() + ")", weightBytes);
            map = new CudnnWeightMap(params.host, entries(this), weightBytes / 4);
        }
    }

    CudnnLstm(GpuContext ctx, DeviceParameters params, DeviceBuffer state, int lanes, int steps) {
        super(ctx, params, state, lanes, steps);
        this.layers = config.layers();
        this.embedding = config.embedding();
        this.lengths = new int[lanes];
        this.compaction = new LaneCompaction(lanes);
        Cuda.checkCudnn(cudnnCreate(handle), "cudnnCreate");
        try { // until the constructor returns nobody holds this LSTM to close it: a failure closes what was made
            Cuda.checkCudnn(cudnnSetStream(handle, ctx.stream), "cudnnSetStream");
            Cuda.checkCudnn(cudnnCreateDropoutDescriptor(dropout), "cudnnCreateDropoutDescriptor");
            SizeTPointer statesSize = new SizeTPointer(1);
            Cuda.checkCudnn(cudnnDropoutGetStatesSize(handle, statesSize), "cudnnDropoutGetStatesSize");
            DeviceBuffer dropoutStates = ctx.bytes("cuDNN dropout states", statesSize.get());
            Cuda.checkCudnn(cudnnSetDropoutDescriptor(dropout, handle, 0f, dropoutStates.pointer(), statesSize.get(), 0L),
                    "cudnnSetDropoutDescriptor (probability 0)");
            Cuda.checkCudnn(cudnnCreateRNNDataDescriptor(xDesc), "cudnnCreateRNNDataDescriptor(x)");
            Cuda.checkCudnn(cudnnCreateRNNDataDescriptor(yDesc), "cudnnCreateRNNDataDescriptor(y)");
            Cuda.checkCudnn(cudnnCreateTensorDescriptor(hDesc), "cudnnCreateTensorDescriptor(h)");
            standard = new Network(CUDNN_RNN_ALGO_STANDARD);
            persistent = persistentNetwork();
            persistentWorks = persistent != null;
            long stateFloats = (long) layers * lanes * hidden;
            y = ctx.floats("cuDNN LSTM output [" + positions + ", " + hidden + "]", (long) positions * hidden);
            hx = ctx.floats("cuDNN h in", stateFloats);
            cx = ctx.floats("cuDNN c in", stateFloats);
            hy = ctx.floats("cuDNN h out", stateFloats);
            cy = ctx.floats("cuDNN c out", stateFloats);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The persistent algorithm's network, or null where cuDNN does not support it for this model on this device. */
    private Network persistentNetwork() {
        try {
            return new Network(CUDNN_RNN_ALGO_PERSIST_STATIC_SMALL_H);
        } catch (GpuException e) {
            if (notSupported(e)) return null;
            throw e;
        }
    }

    /** cuDNN 9 says "not supported" with 3000 or a sub-code such as CUDNN_STATUS_NOT_SUPPORTED_SHAPE (3002). */
    private static boolean notSupported(GpuException e) {
        return e instanceof Cuda.CudnnException c && Cuda.cudnnNotSupported(c.status);
    }

    @Override public Optional<Batcher.Layout> requiredLayout() { return Optional.of(Batcher.Layout.BUCKETS); }

    @Override
    public Batch prepare(Batch batch) {
        compaction.pack(batch);
        current = compaction.packedView(batch);
        return current;
    }

    @Override public int batchLane(int lane) { return compaction.batchLane(lane); }

    /** Reads every linear layer's place in the weight space (offsets relative to its start, in floats). */
    private List<CudnnWeightMap.Entry> entries(Network net) {
        List<CudnnWeightMap.Entry> list = new ArrayList<>();
        cudnnTensorStruct mDesc = new cudnnTensorStruct(), bDesc = new cudnnTensorStruct();
        Cuda.checkCudnn(cudnnCreateTensorDescriptor(mDesc), "cudnnCreateTensorDescriptor(matrix)");
        Cuda.checkCudnn(cudnnCreateTensorDescriptor(bDesc), "cudnnCreateTensorDescriptor(bias)");
        try {
            long base = net.weights.address();
            for (int l = 0; l < layers; l++) {
                for (int id = 0; id < 8; id++) {
                    PointerPointer<Pointer> m = new PointerPointer<>(1), b = new PointerPointer<>(1);
                    Cuda.checkCudnn(cudnnGetRNNWeightParams(handle, net.desc, l, net.weightBytes, net.weights.pointer(), id, mDesc, m, bDesc, b),
                            "cudnnGetRNNWeightParams(layer " + l + ", linear layer " + id + ")");
                    int[] dataType = new int[1], nbDims = new int[1], dims = new int[CUDNN_DIM_MAX], strides = new int[CUDNN_DIM_MAX];
                    Cuda.checkCudnn(cudnnGetTensorNdDescriptor(mDesc, CUDNN_DIM_MAX, dataType, nbDims, dims, strides),
                            "cudnnGetTensorNdDescriptor(matrix)");
                    // A dense matrix of H rows (one per unit of the gate) by `cols` inputs, row-major, however cuDNN
                    // spreads its shape over the descriptor's dimensions; CudnnWeightMap checks cols against the layer.
                    long elements = 1, expectStride = 1;
                    for (int d = Math.min(nbDims[0], CUDNN_DIM_MAX) - 1; d >= 0; d--) {
                        if (dims[d] > 1 && strides[d] != expectStride) {
                            throw new GpuException("unexpected cuDNN weight matrix descriptor for layer " + l + " linear layer " + id
                                    + ": dims " + java.util.Arrays.toString(dims) + ", strides " + java.util.Arrays.toString(strides));
                        }
                        expectStride *= dims[d];
                        elements *= dims[d];
                    }
                    if (m.get(0) == null || elements % hidden != 0) {
                        throw new GpuException("unexpected cuDNN weight matrix for layer " + l + " linear layer " + id + ": " + elements + " floats");
                    }
                    long matrix = (m.get(0).address() - base) / 4;
                    long bias = b.get(0) == null || b.get(0).address() == 0 ? -1 : (b.get(0).address() - base) / 4;
                    list.add(new CudnnWeightMap.Entry(l, id, matrix, hidden, (int) (elements / hidden), bias));
                }
            }
        } finally {
            cudnnDestroyTensorDescriptor(mDesc);
            cudnnDestroyTensorDescriptor(bDesc);
        }
        return list;
    }

    /** Our weights into the network's weight space: one transpose per gate matrix, one copy per bias. */
    private void uploadWeights(Network net) {
        long ours = params.values.address(), theirs = net.weights.address();
        for (CudnnWeightMap.Transpose t : net.map.matrices) geam(t, ours, theirs);
        for (CudnnWeightMap.Copy c : net.map.biases) ctx.deviceToDevice(theirs + 4 * c.cudnn(), ours + 4 * c.ours(), 4L * c.count(), "LSTM bias to cuDNN");
    }

    /** The network's weight gradients into our gradient buffer. */
    private void downloadGradients(Network net) {
        long ours = params.gradientBase(), theirs = net.gradients.address(); // ours + 4 * offset: also with a compact gradient
        for (CudnnWeightMap.Transpose t : net.map.matrices) geam(t.inverse(), theirs, ours);
        for (CudnnWeightMap.Copy c : net.map.biases) ctx.deviceToDevice(ours + 4 * c.ours(), theirs + 4 * c.cudnn(), 4L * c.count(), "LSTM bias gradient from cuDNN");
    }

    /** {@code C = A^T} (column-major, as {@link CudnnWeightMap.Transpose} defines) with A in {@code aBase}, C in {@code cBase}. */
    private void geam(CudnnWeightMap.Transpose t, long aBase, long cBase) {
        FloatPointer c = DevicePointer.floats(cBase + 4 * t.c());
        Cuda.checkCublas(cublasSgeam(ctx.blasHandle, CUBLAS_OP_T, CUBLAS_OP_N, t.m(), t.n(), one, DevicePointer.floats(aBase + 4 * t.a()), t.lda(),
                zero, c, t.ldc(), c, t.ldc()), "cublasSgeam (LSTM weights between our layout and cuDNN's)");
    }

    /** Describes the packed chunk to cuDNN: n lanes, their lengths, and the state tensors [L, n, H]. */
    private void describe(Batch chunk) {
        int n = chunk.lanes;
        System.arraycopy(chunk.lengths, 0, lengths, 0, n);
        Cuda.checkCudnn(cudnnSetRNNDataDescriptor(xDesc, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED, steps, n, embedding,
                lengths, paddingFill), "cudnnSetRNNDataDescriptor(x)");
        Cuda.checkCudnn(cudnnSetRNNDataDescriptor(yDesc, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_SEQ_MAJOR_UNPACKED, steps, n, hidden,
                lengths, paddingFill), "cudnnSetRNNDataDescriptor(y)");
        Cuda.checkCudnn(cudnnSetTensorNdDescriptor(hDesc, CUDNN_DATA_FLOAT, 3, new int[] {layers, n, hidden}, new int[] {n * hidden, hidden, 1}),
                "cudnnSetTensorNdDescriptor(h)");
    }

    /** Grows the workspace and reserve space to what this network and chunk need (the first chunks of a run). */
    private void temporarySpace(Network net, int mode) {
        SizeTPointer w = workBytes, r = reserveBytes;
        Cuda.checkCudnn(cudnnGetRNNTempSpaceSizes(handle, net.desc, mode, xDesc, w, r), "cudnnGetRNNTempSpaceSizes(" + net.name() + ")");
        // Growing frees the old buffer while earlier steps may still be queued: cudaFree waits for the device first.
        if (work == null || work.bytes < w.get()) {
            if (work != null) work.close();
            work = DeviceBuffer.allocate("cuDNN workspace", w.get());
        }
        if (mode == CUDNN_FWD_MODE_TRAINING && (reserve == null || reserve.bytes < r.get())) {
            if (reserve != null) reserve.close();
            reserve = DeviceBuffer.allocate("cuDNN reserve space", r.get());
        }
    }

    /** The packed state: the active lanes' h and c from the engine's state, zeros where a lane starts a playlist. */
    private void gatherState(int n) {
        for (LaneCompaction.Run run : compaction.runs()) {
            copy(LaneCompaction.stateCopy(run, false, true, n, layers, lanes, hidden), state, hx);
            copy(LaneCompaction.stateCopy(run, true, true, n, layers, lanes, hidden), state, cx);
        }
        for (LaneCompaction.Run run : compaction.resetRuns()) {
            LaneCompaction.StridedCopy rows = LaneCompaction.stateCopy(run, false, true, n, layers, lanes, hidden);
            for (DeviceBuffer packedState : new DeviceBuffer[] {hx, cx}) {
                Cuda.check(cudaMemset2DAsync(DevicePointer.at(packedState.at(rows.to())), 4 * rows.toPitch(), 0, 4 * rows.width(),
                        rows.height(), ctx.stream), "cudaMemset2DAsync(state of lanes that start a playlist)");
            }
        }
    }

    /** The packed final state back into the engine's state, run by run. */
    private void scatterState(int n) {
        for (LaneCompaction.Run run : compaction.runs()) {
            copy(LaneCompaction.stateCopy(run, false, false, n, layers, lanes, hidden), hy, state);
            copy(LaneCompaction.stateCopy(run, true, false, n, layers, lanes, hidden), cy, state);
        }
    }

    private void copy(LaneCompaction.StridedCopy c, DeviceBuffer from, DeviceBuffer to) {
        Cuda.check(cudaMemcpy2DAsync(DevicePointer.at(to.at(c.to())), 4 * c.toPitch(), DevicePointer.at(from.at(c.from())), 4 * c.fromPitch(),
                4 * c.width(), c.height(), cudaMemcpyDeviceToDevice, ctx.stream), "cudaMemcpy2DAsync(LSTM state between the engine and cuDNN)");
    }

    @Override
    public long forward(DeviceChunk chunk, long x, boolean training) {
        int n = chunk.lanes();
        Batch view = current;
        if (view == null || view.lanes != n) throw new IllegalStateException("forward of a chunk that prepare() did not make");
        describe(view);
        gatherState(n);
        int mode = training ? CUDNN_FWD_MODE_TRAINING : CUDNN_FWD_MODE_INFERENCE;
        IntPointer deviceLengths = DevicePointer.ints(chunk.lengths());
        Network net = compaction.equalLengths() && persistentWorks ? persistent : standard;
        int status = run(net, mode, deviceLengths, x);
        if (Cuda.cudnnNotSupported(status) && net == persistent) {
            persistentWorks = false; // e.g. a hidden size too large for it on this device: STANDARD from now on
            net = standard;
            status = run(net, mode, deviceLengths, x);
        }
        Cuda.checkCudnn(status, "cudnnRNNForward(" + net.name() + ", " + n + " lanes)");
        scatterState(n);
        last = net;
        lastX = x;
        return y.address();
    }

    /** Weights in, then the forward pass; returns cuDNN's status so that an unsupported algorithm can fall back. */
    private int run(Network net, int mode, IntPointer deviceLengths, long x) {
        try {
            net.prepareWeights();
            temporarySpace(net, mode);
        } catch (GpuException e) {
            if (net == persistent && notSupported(e)) return ((Cuda.CudnnException) e).status;
            throw e;
        }
        uploadWeights(net);
        boolean train = mode == CUDNN_FWD_MODE_TRAINING;
        return cudnnRNNForward(handle, net.desc, mode, deviceLengths, xDesc, DevicePointer.at(x), yDesc, y.pointer(), hDesc, hx.pointer(),
                hy.pointer(), hDesc, cx.pointer(), cy.pointer(), net.weightBytes, net.weights.pointer(), work.bytes, work.pointer(),
                train ? reserve.bytes : 0, train ? reserve.pointer() : null);
    }

    @Override
    public void backward(DeviceChunk chunk, long dTop, long dX) {
        if (last == null) throw new IllegalStateException("backward before forward");
        IntPointer deviceLengths = DevicePointer.ints(chunk.lengths());
        try {
            backward(last, deviceLengths, dTop, dX);
        } catch (GpuException e) {
            if (last != persistent || !notSupported(e)) throw e;
            // The persistent algorithm ran forward but refuses backward: STANDARD from now on. hx and cx still hold
            // the chunk's initial state, so forward runs again with STANDARD (its own reserve space) first.
            persistentWorks = false;
            last = standard;
            Cuda.checkCudnn(run(standard, CUDNN_FWD_MODE_TRAINING, deviceLengths, lastX), "cudnnRNNForward(STANDARD, " + chunk.lanes() + " lanes)");
            scatterState(chunk.lanes());
            backward(standard, deviceLengths, dTop, dX);
        }
        downloadGradients(last);
    }

    private void backward(Network net, IntPointer deviceLengths, long dTop, long dX) {
        // No gradient arrives from the next chunk (dhy, dcy = 0) and none is kept for the state carried in (dhx, dcx).
        Cuda.checkCudnn(cudnnRNNBackwardData_v8(handle, net.desc, deviceLengths, yDesc, y.pointer(), DevicePointer.at(dTop), xDesc,
                DevicePointer.at(dX), hDesc, hx.pointer(), null, null, hDesc, cx.pointer(), null, null, net.weightBytes,
                net.weights.pointer(), work.bytes, work.pointer(), reserve.bytes, reserve.pointer()), "cudnnRNNBackwardData_v8(" + net.name() + ")");
        net.gradients.zero(ctx.stream); // cuDNN adds into the weight gradients (CUDNN_WGRAD_MODE_ADD)
        Cuda.checkCudnn(cudnnRNNBackwardWeights_v8(handle, net.desc, CUDNN_WGRAD_MODE_ADD, deviceLengths, xDesc, DevicePointer.at(lastX),
                hDesc, hx.pointer(), yDesc, y.pointer(), net.weightBytes, net.gradients.pointer(), work.bytes, work.pointer(), reserve.bytes,
                reserve.pointer()), "cudnnRNNBackwardWeights_v8(" + net.name() + ")");
    }

    /** Also of a half-made LSTM (its constructor failed): only what was created is destroyed. */
    @Override
    public void close() {
        if (!xDesc.isNull()) cudnnDestroyRNNDataDescriptor(xDesc);
        if (!yDesc.isNull()) cudnnDestroyRNNDataDescriptor(yDesc);
        if (!hDesc.isNull()) cudnnDestroyTensorDescriptor(hDesc);
        if (standard != null) cudnnDestroyRNNDescriptor(standard.desc);
        if (persistent != null) cudnnDestroyRNNDescriptor(persistent.desc);
        if (!dropout.isNull()) cudnnDestroyDropoutDescriptor(dropout);
        cudnnDestroy(handle);
        if (work != null) work.close();
        if (reserve != null) reserve.close();
    }
}
