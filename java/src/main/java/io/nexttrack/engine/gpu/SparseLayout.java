package io.nexttrack.engine.gpu;

import java.util.List;

/**
 * One step's compact gradient on the device (the layout of {@code optim.SparseGradient}, made by the engine from
 * the chunk's candidates): {@code dense} floats of the LSTM, then the blocks; {@code used} floats in all.
 */
record SparseLayout(int dense, int used, List<Block> blocks) {
    /**
     * The touched rows of one tensor: its first parameter {@code base}, its values from float {@code offset} of the
     * gradient, the device address of its {@code count} row indices, and the strides of {@code nt_sparse_adam}.
     */
    record Block(int base, int offset, long index, int count, int width, int indexStride, int widthStride, boolean columns) {
        int size() { return count * width; }
    }
}
