package io.nexttrack.engine.gpu;

/** A device allocation failed: the message names what was being allocated, its size, and the device's free memory. */
public final class OutOfDeviceMemoryException extends GpuException {
    public OutOfDeviceMemoryException(String message) { super(message); }
}
