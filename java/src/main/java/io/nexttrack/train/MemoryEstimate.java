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
 * parameters, Adam's two moments, the best parameters kept so far and the copy of the parameters that a
 * checkpoint takes while it is written (five parameter-sized buffers at the peak), with the full softmax its
 * dense gradient too (six); plus the batch and, on the CPU, the engine's workspaces (with the sampled loss: its
 * candidate layer, compact gradient and sample store; a GPU engine keeps its workspaces on the device and reports
 * its own out-of-memory errors, but makes the sampled loss's candidates on the host). Checked before anything is
 * allocated. At 2,262,292 songs with E = H = 100 and the sampled loss: five copies of 1.8 GB and 0.8 GB of
 * workspace, 10.0 GB.
 */
public record MemoryEstimate(ModelConfig model, TrainingConfig training, long parameterBytes, Workspace engine) {
    /** Parameter-sized buffers alive at the peak with the sampled loss: see the class comment. */
    static final int PARAMETER_COPIES = 5;

    /** @param onCpu whether the CPU engine trains (its workspaces live in the Java heap) */
    public static MemoryEstimate of(ModelConfig model, TrainingConfig training, boolean onCpu) {
        Workspace engine = onCpu ? EngineFactory.cpuWorkspace(model, training.batch(), training.unroll(), training.loss())
                : EngineFactory.hostSampling(model, training.batch(), training.unroll(), training.loss());
        long batch = (long) training.batch() * training.unroll() * Batch.BYTES_PER_POSITION;
        return new MemoryEstimate(model, training, 4 * model.parameterCount(),
                new Workspace(engine.bytes() + batch, engine.largestArray()));
    }

    /** Parameter-sized buffers at the peak: with the full softmax, the dense gradient besides the five. */
    public int parameterCopies() {
        return training.sampledAt(model.songs()) ? PARAMETER_COPIES : PARAMETER_COPIES + 1;
    }

    public long bytes() { return parameterCopies() * parameterBytes + engine.bytes(); }

    /**
     * Fails with the figures unless training fits: in the heap, with {@code allocated} bytes of it (the
     * parameters, when they exist already) counted as done, and in Java arrays.
     */
    public void require(long allocated) {
        boolean sampled = training.sampledAt(model.songs());
        String detail = String.format(Locale.ROOT, "%s for %,d parameters with %sAdam's state, %s of workspace for "
                        + "--batch %d x --unroll %d at --hidden %d, --layers %d, --loss %s",
                ByteSize.of(parameterCopies() * parameterBytes), model.parameterCount(), sampled ? "" : "gradients and ",
                ByteSize.of(engine.bytes()), training.batch(), training.unroll(), model.hidden(), model.layers(),
                sampled ? "sampled" : "full");
        if (engine.largestArray() > Workspace.MAX_ARRAY) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "training needs about %s of memory (%s) and a buffer "
                    + "of %,d elements, more than a Java array holds", ByteSize.of(bytes()), detail, engine.largestArray()));
        }
        HeapCheck.require(bytes() - allocated, "training", detail);
    }
}
