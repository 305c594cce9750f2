package io.nexttrack.serve;

import io.nexttrack.data.SongLookup;
import io.nexttrack.io.FileErrors;
import io.nexttrack.model.TrainedModel;
import io.nexttrack.recommend.Recommender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A model file that may be replaced while it is in use. {@link #current()} is always a complete model:
 * a background thread notices a new file (modification time, size or file identity changed), loads it
 * off the request path and swaps it in atomically; callers holding the old snapshot finish with it. A
 * file that does not load (still being copied, corrupt) leaves the old model serving and is retried when
 * it changes again. Writers should replace the file by rename, as {@code train} does.
 */
public final class LiveModel implements AutoCloseable {
    /** One loaded model: what requests use from start to end, whatever happens to the file meanwhile. */
    public record Snapshot(int version, Recommender recommender, SongLookup songs, Instant loadedAt) {
        public int songCount() { return recommender.model().config().songs(); }
    }

    /** What identifies one version of the file on disk. */
    private record FileKey(long modifiedNanos, long size, Object identity) {
        static FileKey of(Path file) throws IOException {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileKey(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size(), a.fileKey());
        }
    }

    private final Path file;
    private final Consumer<String> log;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final ScheduledExecutorService watcher;
    /** The file version last tried, loaded or not: only a change from it triggers a new load. */
    private FileKey tried;
    private volatile String reloadError;

    private LiveModel(Path file, Consumer<String> log) {
        this.file = file;
        this.log = log;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("model-watcher").unstarted(r));
    }

    /**
     * Loads {@code file} now (failing as {@link TrainedModel#load} does) and checks it for a new version
     * every {@code poll}; {@code log} hears one line per reload or failed reload.
     */
    public static LiveModel open(Path file, Duration poll, Consumer<String> log) throws IOException {
        LiveModel m = new LiveModel(file, log);
        FileKey key = FileKey.of(file);
        m.current.set(snapshot(1, TrainedModel.load(file)));
        m.tried = key;
        long ms = Math.max(1, poll.toMillis());
        m.watcher.scheduleWithFixedDelay(() -> {
            try {
                m.check();
            } catch (Throwable t) { // a task that throws is never run again: log, and look again next time
                log.accept("model check failed: " + t);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return m;
    }

    private static Snapshot snapshot(int version, TrainedModel model) {
        return new Snapshot(version, new Recommender(model), new SongLookup(model.vocabulary(), model.catalog()), Instant.now());
    }

    public Snapshot current() { return current.get(); }

    public Path file() { return file; }

    /** Why the newest file on disk is not the one serving, if it failed to load. */
    public Optional<String> reloadError() { return Optional.ofNullable(reloadError); }

    /** One look at the file (the watcher's job; public so tests need not wait for it). */
    public synchronized void check() {
        FileKey before = keyNow();
        if (before == null || before.equals(tried)) return;
        TrainedModel model;
        try {
            model = TrainedModel.load(file);
        } catch (IOException | RuntimeException | OutOfMemoryError e) { // keep serving the old model, whatever the file holds
            if (!before.equals(keyNow())) return; // changed while reading: look again next time
            tried = before;
            reloadError = describe(e);
            log.accept("model reload failed, still serving version " + current().version() + ": " + reloadError);
            return;
        }
        if (!before.equals(keyNow())) return; // changed while reading: load the newer one next time
        tried = before;
        reloadError = null;
        Snapshot next = snapshot(current().version() + 1, model);
        current.getAndSet(next).recommender().close(); // requests still holding the old one finish with it
        log.accept("model reloaded: " + file + " (version " + next.version() + ", " + next.songCount() + " songs)");
    }

    /** Why the file did not load, naming it once: {@link TrainedModel#load}'s messages already start with it. */
    private String describe(Throwable e) {
        String m = e.getMessage();
        return m != null && m.startsWith(file + ": ") ? m : file + ": " + (m == null ? e.toString() : m);
    }

    /** The file's key, or null (noted once) while it cannot be read, e.g. deleted before being replaced. */
    private FileKey keyNow() {
        try {
            return FileKey.of(file);
        } catch (IOException e) {
            String error = file + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : FileErrors.reason(e));
            if (!error.equals(reloadError)) log.accept("model file unreadable, still serving version " + current().version() + ": " + error);
            reloadError = error;
            return null;
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
