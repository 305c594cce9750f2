package io.nexttrack.optim;

import java.util.List;

/**
 * The gradient of one step of the sampled loss, in one compact float buffer: dense over one range of the flat
 * parameters (the LSTM), and over the <em>touched rows</em> of a few large tensors only (the embedding rows of the
 * chunk's input songs, the output-layer columns and bias entries of its candidate songs). {@link GradientClipping}
 * takes the norm over the buffer's used prefix, which is everything that is updated; {@link Adam#update(float[],
 * SparseGradient)} updates the dense range as dense Adam and the touched rows lazily.
 *
 * <p>Layout of {@link #values}: {@code [0, denseLength)} is the gradient of parameters {@code [denseOffset, denseOffset
 * + denseLength)}; then each {@link Block}, in order, from {@link Block#offset()}. Element {@code (j, k)} of a block
 * ({@code j < count} its j-th touched row, {@code k < width}) is the gradient of parameter
 * <pre>
 * base + index[j] * indexStride + k * widthStride
 * </pre>
 * and sits at {@code values[offset + j * width + k]} for a {@link Block#rows rows} block, or at
 * {@code values[offset + k * count + j]} for a {@link Block#columns columns} block (the layout a GEMM produces for
 * the columns of a row-major matrix). The indices of a block must be distinct. The GPU kernel {@code nt_sparse_adam}
 * takes the same description as arguments.
 */
public final class SparseGradient {

    /** The touched rows of one tensor; {@link #set} says which ones, step by step. */
    public static final class Block {
        private final String name;
        private final int base, width, indexStride, widthStride;
        private final boolean columns;
        private int[] index = new int[0];
        private int count, offset;

        private Block(String name, int base, int width, int indexStride, int widthStride, boolean columns) {
            if (width < 1) throw new IllegalArgumentException(name + ": width " + width);
            this.name = name;
            this.base = base;
            this.width = width;
            this.indexStride = indexStride;
            this.widthStride = widthStride;
            this.columns = columns;
        }

        /**
         * Rows of a row-major {@code [rows, width]} tensor at {@code base} (an embedding: a row per song); values
         * {@code [count, width]}.
         */
        public static Block rows(String name, int base, int width) {
            return new Block(name, base, width, width, 1, false);
        }

        /**
         * Columns of a row-major {@code [width, cols]} tensor at {@code base} (the output weights {@code [H, V]}: a
         * column per song; a bias {@code [1, V]} has width 1); values {@code [width, count]}.
         */
        public static Block columns(String name, int base, int width, int cols) {
            return new Block(name, base, width, 1, cols, true);
        }

        /** This step's touched rows: the first {@code count} entries of {@code index} (kept, not copied). */
        public void set(int[] index, int count) {
            if (count < 0 || count > index.length) throw new IllegalArgumentException(name + ": " + count + " of " + index.length + " rows");
            this.index = index;
            this.count = count;
        }

        public String name() { return name; }

        public int base() { return base; }

        public int width() { return width; }

        /** Parameter stride between consecutive {@link #index} values. */
        public int indexStride() { return indexStride; }

        /** Parameter stride between consecutive elements of one row. */
        public int widthStride() { return widthStride; }

        public boolean isColumns() { return columns; }

        public int[] index() { return index; }

        public int count() { return count; }

        /** Where this block's values start in {@link SparseGradient#values}. */
        public int offset() { return offset; }

        /** Floats this step: {@code count * width}. */
        public int size() { return count * width; }

        /** Stride in {@link SparseGradient#values} between consecutive rows j. */
        public int valueIndexStride() { return columns ? 1 : width; }

        /** Stride in {@link SparseGradient#values} between consecutive elements k of one row. */
        public int valueWidthStride() { return columns ? count : 1; }

        /** The parameter whose gradient is element (j, k). */
        public long parameter(int j, int k) { return base + (long) index[j] * indexStride + (long) k * widthStride; }

        /** Where element (j, k) sits in {@link SparseGradient#values}. */
        public int value(int j, int k) { return offset + j * valueIndexStride() + k * valueWidthStride(); }
    }

    private final int denseOffset, denseLength;
    private final List<Block> blocks;
    /** The compact gradient: see the class comment; the first {@link #used()} floats are this step's. */
    public final float[] values;
    private int used;

    /**
     * @param capacity floats of {@link #values}: at least {@code denseLength} plus the largest step's blocks
     */
    public SparseGradient(int denseOffset, int denseLength, List<Block> blocks, int capacity) {
        if (denseOffset < 0 || denseLength < 0 || capacity < denseLength) {
            throw new IllegalArgumentException("dense range " + denseOffset + " + " + denseLength + ", capacity " + capacity);
        }
        this.denseOffset = denseOffset;
        this.denseLength = denseLength;
        this.blocks = List.copyOf(blocks);
        this.values = new float[capacity];
        arrange();
    }

    /** Heap bytes of a gradient of {@code capacity} floats (the estimate of the memory check). */
    public static long bytes(long capacity) { return 4 * capacity; }

    public int denseOffset() { return denseOffset; }

    public int denseLength() { return denseLength; }

    public List<Block> blocks() { return blocks; }

    /** Floats of {@link #values} that this step uses (after {@link #arrange}). */
    public int used() { return used; }

    /**
     * After every block's {@link Block#set}: places the blocks one after the other behind the dense range, zeroes
     * the used prefix of {@link #values} (the engines add into it) and returns its length.
     */
    public int arrange() {
        int at = denseLength;
        for (Block b : blocks) {
            b.offset = at;
            long end = (long) at + b.size();
            if (end > values.length) {
                throw new IllegalArgumentException("the step's gradient needs " + end + " floats, the buffer holds " + values.length);
            }
            at = (int) end;
        }
        used = at;
        java.util.Arrays.fill(values, 0, used, 0f);
        return used;
    }
}
