package io.nexttrack.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The one model and checkpoint file format, shared by the CPU and GPU paths.
 *
 * <pre>
 * magic    8 bytes  "NXTRACK1"
 * version  int32    1
 * header   int32 n, then n entries of (utf8 key, utf8 value): config, training settings, progress
 * strings  int32 n, then n entries of (utf8 name, int32 count, count utf8 strings): vocabulary, titles...
 * tensors  int32 n, then n entries of (utf8 name, int32 rows, int32 cols, rows*cols float32 little-endian)
 * checksum int64    CRC-32C of every byte before it
 * </pre>
 * Integers are big-endian (DataOutput), tensor data little-endian (what GPUs and mmap readers want);
 * utf8 strings are DataOutput's modified UTF-8 with a 16-bit length. Written to a temporary file in the
 * same folder, flushed to disk and renamed over the target, so a crash never leaves a half-written file.
 */
public record Checkpoint(Map<String, String> header, Map<String, List<String>> strings, Map<String, float[]> tensors,
                         Map<String, int[]> shapes) {
    static final byte[] MAGIC = "NXTRACK1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int CHUNK = 1 << 16;

    /** An empty checkpoint to fill in (insertion order is kept in the file). */
    public Checkpoint() {
        this(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    public Checkpoint put(String key, Object value) {
        header.put(key, String.valueOf(value));
        return this;
    }

    public Checkpoint putStrings(String name, List<String> values) {
        strings.put(name, values);
        return this;
    }

    public Checkpoint putTensor(String name, int rows, int cols, float[] data) {
        if ((long) rows * cols != data.length) throw new IllegalArgumentException(name + ": shape does not match data");
        tensors.put(name, data);
        shapes.put(name, new int[] {rows, cols});
        return this;
    }

    /** Copies a slice of a flat buffer as a named tensor. */
    public Checkpoint putTensor(String name, int rows, int cols, float[] flat, int offset) {
        return putTensor(name, rows, cols, java.util.Arrays.copyOfRange(flat, offset, offset + rows * cols));
    }

    public String get(String key) {
        String v = header.get(key);
        if (v == null) throw new CheckpointException("missing header entry '" + key + "'");
        return v;
    }

    public String get(String key, String fallback) { return header.getOrDefault(key, fallback); }

    public int getInt(String key) { return Integer.parseInt(get(key)); }

    public long getLong(String key) { return Long.parseLong(get(key)); }

    public double getDouble(String key) { return Double.parseDouble(get(key)); }

    public float[] tensor(String name) {
        float[] t = tensors.get(name);
        if (t == null) throw new CheckpointException("missing tensor '" + name + "'");
        return t;
    }

    public boolean hasTensor(String name) { return tensors.containsKey(name); }

    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20);
                CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32C());
                DataOutputStream out = new DataOutputStream(checked);
                writeBody(out);
                out.flush();
                new DataOutputStream(raw).writeLong(checked.getChecksum().getValue());
                raw.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void writeBody(DataOutputStream out) throws IOException {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(header.size());
        for (var e : header.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        out.writeInt(strings.size());
        for (var e : strings.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().size());
            for (String s : e.getValue()) out.writeUTF(s == null ? "" : s);
        }
        out.writeInt(tensors.size());
        ByteBuffer buf = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (var e : tensors.entrySet()) {
            int[] shape = shapes.get(e.getKey());
            out.writeUTF(e.getKey());
            out.writeInt(shape[0]);
            out.writeInt(shape[1]);
            float[] data = e.getValue();
            for (int i = 0; i < data.length; i += CHUNK) {
                int n = Math.min(CHUNK, data.length - i);
                buf.clear();
                buf.asFloatBuffer().put(data, i, n);
                out.write(buf.array(), 0, n * 4);
            }
        }
    }

    public static Checkpoint read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such model file");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            CheckedInputStream checked = new CheckedInputStream(raw, new CRC32C());
            DataInputStream in = new DataInputStream(checked);
            Checkpoint c = readBody(in, size);
            long expected = checked.getChecksum().getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) throw new CheckpointException("checksum mismatch: the file is corrupted");
            if (raw.read() != -1) throw new CheckpointException("unexpected bytes after the checksum");
            return c;
        } catch (EOFException e) {
            throw new CheckpointException(file + ": truncated (the file ends early; was the copy interrupted?)");
        } catch (CheckpointException e) {
            throw e.getMessage().startsWith(file.toString()) ? e : new CheckpointException(file + ": " + e.getMessage());
        }
    }

    private static Checkpoint readBody(DataInputStream in, long fileSize) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) throw new CheckpointException("not a nexttrack model file (bad magic)");
        int version = in.readInt();
        if (version != VERSION) {
            throw new CheckpointException("format version " + version + " is not supported (this build reads " + VERSION + ")");
        }
        Checkpoint c = new Checkpoint();
        int headers = count(in, fileSize);
        for (int i = 0; i < headers; i++) c.header.put(in.readUTF(), in.readUTF());
        int lists = count(in, fileSize);
        for (int i = 0; i < lists; i++) {
            String name = in.readUTF();
            int n = count(in, fileSize);
            List<String> values = new ArrayList<>(n);
            for (int k = 0; k < n; k++) values.add(in.readUTF());
            c.strings.put(name, values);
        }
        int tensors = count(in, fileSize);
        byte[] bytes = new byte[CHUNK * 4];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < tensors; i++) {
            String name = in.readUTF();
            int rows = count(in, fileSize), cols = count(in, fileSize);
            long n = (long) rows * cols;
            if (n * 4 > fileSize) throw new CheckpointException("tensor '" + name + "' is larger than the file: corrupted");
            float[] data = new float[(int) n];
            for (int k = 0; k < n; k += CHUNK) {
                int m = (int) Math.min(CHUNK, n - k);
                in.readFully(bytes, 0, m * 4);
                buf.clear();
                buf.asFloatBuffer().get(data, k, m);
            }
            c.putTensor(name, rows, cols, data);
        }
        return c;
    }

    private static int count(DataInputStream in, long fileSize) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > fileSize) throw new CheckpointException("corrupted (impossible count " + n + ")");
        return n;
    }

    /** A model file that cannot be used: says which file and why. */
    public static final class CheckpointException extends RuntimeException {
        public CheckpointException(String message) { super(message); }
    }
}
