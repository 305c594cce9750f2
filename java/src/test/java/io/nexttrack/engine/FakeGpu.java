package io.nexttrack.engine;

import io.nexttrack.data.Batch;
import io.nexttrack.data.Batcher;
import io.nexttrack.engine.cpu.CpuScorer;
import io.nexttrack.engine.cpu.CpuTrainingEngine;
import io.nexttrack.model.Parameters;
import io.nexttrack.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A GPU backend without a GPU, for checking the wiring: its engines are the CPU engines behind a recorder that
 * notes every call, and with {@link Lstm#CUDNN} they declare the buckets layout as cuDNN's does.
 */
public final class FakeGpu implements GpuBackend {
    public final Availability availability;
    public final List<Recorder> engines = new ArrayList<>();
    public int scorers;

    public FakeGpu(Availability availability) {
        this.availability = availability;
    }

    @Override public Availability availability() { return availability; }

    @Override
    public Engine training(Parameters parameters, Adam adam, EngineSettings settings, Lstm lstm) {
        Recorder r = new Recorder(new CpuTrainingEngine(parameters, adam, settings.clipNorm(), settings.batch(), settings.unroll(), 1,
                settings.seed()), lstm == Lstm.CUDNN ? Batcher.Layout.BUCKETS : null);
        engines.add(r);
        return r;
    }

    @Override
    public Scorer scorer(Parameters parameters, int lanes, int steps, Lstm lstm) {
        scorers++;
        return new CpuScorer(parameters, lanes, steps, 1);
    }

    /** Records calls by name and every batch it was given (copies). */
    public static final class Recorder implements Engine {
        public final List<String> calls = new ArrayList<>();
        public final List<Batch> batches = new ArrayList<>();
        private final Engine inner;
        private final Batcher.Layout layout;

        Recorder(Engine inner, Batcher.Layout layout) {
            this.inner = inner;
            this.layout = layout;
        }

        public long count(String call) { return calls.stream().filter(call::equals).count(); }

        private void keep(Batch b) {
            Batch copy = new Batch(b.lanes, b.steps);
            System.arraycopy(b.inputs, 0, copy.inputs, 0, b.inputs.length);
            System.arraycopy(b.targets, 0, copy.targets, 0, b.targets.length);
            System.arraycopy(b.resets, 0, copy.resets, 0, b.resets.length);
            System.arraycopy(b.lengths, 0, copy.lengths, 0, b.lengths.length);
            copy.positions = b.positions;
            batches.add(copy);
        }

        @Override public void submit(Batch batch) { calls.add("submit"); keep(batch); inner.submit(batch); }

        @Override public StepResult trained(int ago) { calls.add("trained(" + ago + ")"); return inner.trained(ago); }

        @Override public double loss(Batch batch) { calls.add("loss"); keep(batch); return inner.loss(batch); }

        @Override public void resetState() { calls.add("resetState"); inner.resetState(); }

        @Override public float[] state() { calls.add("state"); return inner.state(); }

        @Override public void setState(float[] state) { calls.add("setState"); inner.setState(state); }

        @Override public void syncToHost() { calls.add("syncToHost"); inner.syncToHost(); }

        @Override public void syncFromHost() { calls.add("syncFromHost"); inner.syncFromHost(); }

        @Override public void uploadParameters() { calls.add("uploadParameters"); inner.uploadParameters(); }

        @Override public Optional<Batcher.Layout> requiredLayout() { return Optional.ofNullable(layout); }

        @Override public void close() { inner.close(); }
    }
}
