package io.nexttrack.engine.gpu;

/**
 * One chunk on the device, as the kernels take it: {@code lanes x steps} time-major positions, the real ones
 * ({@code t < lengths[b]}) counted in {@code realPositions}; addresses of its int arrays (inputs, targets,
 * lengths), its reset bytes, and of the {@link PositionsBySong} grouping ({@code count} songs).
 */
record DeviceChunk(int lanes, int steps, int realPositions, long inputs, long targets, long lengths, long resets,
                   long songs, long offsets, long bySong, int songCount) {
    int positions() { return lanes * steps; }
}
