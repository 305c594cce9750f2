package io.nexttrack.train;

import io.nexttrack.data.Batch;
import io.nexttrack.engine.EngineFactory;
import io.nexttrack.engine.Workspace;
import io.nexttrack.io.ByteSize;
import io.nexttrack.io.HeapCheck;
import io.nexttrack.model.ModelConfig;
import java.util.Locale;

/**
 * What training a configuration needs in the Java heap, from the real sizes of what it allocates: the
 * parameters, their gradients, Adam's two moments, the best parameters kept so far and the copies a
 * checkpoint takes of three of them (eight parameter-sized buffers at the peak), plus the batch and, on
 * the CPU, the engine's workspaces (a GPU engine keeps its workspaces on the device and reports its own
 * out-of-memory errors). Checked before anything is allocated.
 */
public record MemoryEstimate(ModelConfig model, TrainingConfig training, long parameterBytes, Workspace engine) {
    /** Parameter-sized buffers alive at the peak: see the class comment. */
    static final int PARAMETER_COPIES = 8;

    /** @param onCpu whether the CPU engine trains (its workspaces live in the Java heap) */
    public static MemoryEstimate of(ModelConfig model, TrainingConfig training, boolean onCpu) {
        Workspace engine = onCpu ? EngineFactory.cpuWorkspace(model, training.batch(), training.unroll()) : Workspace.NONE;
        long batch = (long) training.batch() * training.unroll() * Batch.BYTES_PER_POSITION;
        return new MemoryEstimate(model, training, 4 * model.parameterCount(),
                new Workspace(engine.bytes() + batch, engine.largestArray()));
    }

    public long bytes() { return PARAMETER_COPIES * parameterBytes + engine.bytes(); }

    /**
     * Fails with the figures unless training fits: in the heap, with {@code allocated} bytes of it (the
     * parameters, when they exist already) counted as done, and in Java arrays.
     */
    public void require(long allocated) {
        String detail = String.format(Locale.ROOT, "%s for %,d parameters with gradients and Adam's state, %s of workspace for "
                        + "--batch %d x --unroll %d at --hidden %d, --layers %d",
                ByteSize.of(PARAMETER_COPIES * parameterBytes), model.parameterCount(), ByteSize.of(engine.bytes()),
                training.batch(), training.unroll(), model.hidden(), model.layers());
        if (engine.largestArray() > Workspace.MAX_ARRAY) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "training needs about %s of memory (%s) and a buffer "
                    + "of %,d elements, more than a Java array holds", ByteSize.of(bytes()), detail, engine.largestArray()));
        }
        HeapCheck.require(bytes() - allocated, "training", detail);
    }
}
