package io.nexttrack.engine;

/** An engine failed in a way people can act on; the message is one line (the command line prints just it). */
public class EngineException extends RuntimeException {
    public EngineException(String message) { super(message); }

    public EngineException(String message, Throwable cause) { super(message, cause); }
}
