package io.nexttrack.engine;

/**
 * Whether a GPU engine can run here, with a one-line reason for people: the device's name when it can,
 * why not when it cannot (e.g. "no NVIDIA driver (libcuda.so.1 not found)").
 */
public record Availability(boolean available, String description) {
    public static Availability yes(String device) { return new Availability(true, device); }

    public static Availability no(String reason) { return new Availability(false, reason); }
}
