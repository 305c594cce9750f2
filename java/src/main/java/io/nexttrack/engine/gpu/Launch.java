package io.nexttrack.engine.gpu;

/**
 * How one kernel is launched: {@code grid} blocks of {@code block} threads with {@code sharedBytes} of dynamic
 * shared memory (1-D grids and blocks). The factories hold every launch constant, so that the GPU engine and the
 * host-build tests launch the kernels the same way; the constructor checks the kernel's assumptions
 * ({@link KernelCatalog#checkLaunch}).
 */
public record Launch(KernelCatalog kernel, int grid, int block, int sharedBytes) {
    /** Threads per block unless a kernel needs otherwise. */
    public static final int BLOCK = 256;
    /** The most threads a block may have on every GPU we target. */
    public static final int MAX_BLOCK = 1024;
    /** Blocks of the first pass of the gradient norm ({@link KernelCatalog#SUM_SQUARES_PARTIAL}). */
    public static final int NORM_BLOCKS = 256;
    /** Lanes per block of the LSTM kernels: one, so a chunk of B lanes runs on B multiprocessors at once. */
    public static final int LSTM_LANES_PER_BLOCK = 1;

    public Launch {
        kernel.checkLaunch(grid, block);
        if (sharedBytes < 0) throw new IllegalArgumentException(kernel.cudaName() + ": " + sharedBytes + " shared bytes");
    }

    /** Most blocks a grid-stride loop gets: 1024 x 256 threads already fill an H100 (132 x 2048 threads). */
    public static final int MAX_STRIDE_BLOCKS = 1024;

    /** One thread per element: EMBEDDING_GATHER, EMBEDDING_GRAD, SAMPLED_COLUMNS. */
    public static Launch elements(KernelCatalog kernel, long n) {
        long grid = Math.max(1, (n + BLOCK - 1) / BLOCK);
        if (grid > Integer.MAX_VALUE) throw new IllegalArgumentException(kernel.cudaName() + ": " + n + " elements");
        return new Launch(kernel, (int) grid, BLOCK, 0);
    }

    /** A grid-stride loop over n elements: FILL, MULTIPLY, CLIP_ADAM, SPARSE_ADAM. */
    public static Launch gridStride(KernelCatalog kernel, long n) {
        return new Launch(kernel, (int) Math.min(MAX_STRIDE_BLOCKS, Math.max(1, (n + BLOCK - 1) / BLOCK)), BLOCK, 0);
    }

    /** SOFTMAX_XENT on {@code rows} rows of logits: one block per row. */
    public static Launch softmaxXent(int rows) {
        return new Launch(KernelCatalog.SOFTMAX_XENT, rows, BLOCK, 0);
    }

    /** LOG_SOFTMAX or TOP_K: one block of {@link #BLOCK} threads (a power of two) per row. */
    public static Launch rows(KernelCatalog kernel, int rows) {
        if (kernel != KernelCatalog.LOG_SOFTMAX && kernel != KernelCatalog.TOP_K) throw new IllegalArgumentException(kernel + " is not a row kernel");
        return new Launch(kernel, rows, BLOCK, 0);
    }

    /** LOSS_SUM or SUM_SQUARES_FINAL: one block. */
    public static Launch singleBlock(KernelCatalog kernel) {
        return new Launch(kernel, 1, BLOCK, 0);
    }

    /** SUM_SQUARES_PARTIAL: {@link #NORM_BLOCKS} partial sums, which SUM_SQUARES_FINAL then adds. */
    public static Launch sumSquaresPartial() {
        return new Launch(KernelCatalog.SUM_SQUARES_PARTIAL, NORM_BLOCKS, BLOCK, 0);
    }

    /**
     * An LSTM kernel's launch. {@code recurrentInShared} is its {@code recurrent_in_shared} argument: whether R
     * (4H x H floats) fits in shared memory beside the per-lane state, given the device's opt-in limit
     * {@code maxSharedBytes} (cudaDevAttrMaxSharedMemoryPerBlockOptin: 227 KiB on an H100, 163 KiB on an A100);
     * otherwise the kernel reads R from global memory. Above 48 KiB the launcher must first raise the kernel's
     * CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES to {@code launch.sharedBytes()}.
     */
    public record Lstm(Launch launch, int lanesPerBlock, boolean recurrentInShared) {}

    /** The LSTM launch with the default lanes per block and one thread per gate column (at most {@link #MAX_BLOCK}). */
    public static Lstm lstm(KernelCatalog kernel, int lanes, int hidden, int maxSharedBytes) {
        int block = Math.min(MAX_BLOCK, (4 * hidden + 31) / 32 * 32);
        return lstm(kernel, lanes, hidden, LSTM_LANES_PER_BLOCK, block, maxSharedBytes);
    }

    public static Lstm lstm(KernelCatalog kernel, int lanes, int hidden, int lanesPerBlock, int block, int maxSharedBytes) {
        if (kernel != KernelCatalog.LSTM_FORWARD && kernel != KernelCatalog.LSTM_BACKWARD) throw new IllegalArgumentException(kernel + " is not an LSTM kernel");
        if (lanes < 1 || hidden < 1 || lanesPerBlock < 1) throw new IllegalArgumentException("lanes, hidden and lanes per block must be positive");
        // Per lane: forward h, c and the 4H activated gates; backward the 4H gate gradients, their 4H partial sums
        // of dh_prev (one per gate) and dc.
        long state = (kernel == KernelCatalog.LSTM_FORWARD ? 6L : 9L) * lanesPerBlock * hidden * Float.BYTES;
        long recurrent = 4L * hidden * hidden * Float.BYTES;
        boolean inShared = state + recurrent <= maxSharedBytes;
        long shared = inShared ? state + recurrent : state;
        if (shared > maxSharedBytes) {
            throw new IllegalArgumentException(kernel.cudaName() + ": " + lanesPerBlock + " lanes of " + hidden
                    + " units need " + shared + " bytes of shared memory, the device has " + maxSharedBytes);
        }
        int grid = (lanes + lanesPerBlock - 1) / lanesPerBlock;
        return new Lstm(new Launch(kernel, grid, block, (int) shared), lanesPerBlock, inShared);
    }
}
