package io.nexttrack.engine.gpu;

import io.nexttrack.engine.EngineException;

/** A CUDA, cuBLAS or cuDNN call failed; the message names the call and the library's own words for the status. */
public class GpuException extends EngineException {
    public GpuException(String message) { super(message); }
}
