package io.nexttrack.engine;

/** The GPU's LSTM: our kernels on the lanes layout, or cuDNN's on the buckets layout. */
public enum Lstm { FUSED, CUDNN }
