package io.nexttrack.model;

import io.nexttrack.io.AtomicFile;
import io.nexttrack.io.Excerpt;
import io.nexttrack.io.FileErrors;
import io.nexttrack.io.InputFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
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
 * utf8 strings are DataOutput's modified UTF-8 with a 16-bit length. Written atomically ({@link AtomicFile}),
 * so a crash never leaves a half-written file; read only after the checksum over the whole file matched.
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

    public int getInt(String key) { return (int) number(key, Integer.MIN_VALUE, Integer.MAX_VALUE); }

    public long getLong(String key) { return number(key, Long.MIN_VALUE, Long.MAX_VALUE); }

    public double getDouble(String key) {
        try {
            return Double.parseDouble(get(key));
        } catch (NumberFormatException e) {
            throw new CheckpointException("header entry '" + key + "' is not a number: " + Excerpt.of(get(key)));
        }
    }

    private long number(String key, long min, long max) {
        try {
            long v = Long.parseLong(get(key));
            if (v >= min && v <= max) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CheckpointException("header entry '" + key + "' is not an integer in range: " + Excerpt.of(get(key)));
    }

    public float[] tensor(String name) {
        float[] t = tensors.get(name);
        if (t == null) throw new CheckpointException("missing tensor '" + name + "'");
        return t;
    }

    public boolean hasTensor(String name) { return tensors.containsKey(name); }

    /** Writes the file atomically (see {@link AtomicFile}): a crash leaves the old file or the new one, never half. */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, raw -> {
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32C());
            DataOutputStream out = new DataOutputStream(checked);
            writeBody(out);
            out.flush();
            new DataOutputStream(raw).writeLong(checked.getChecksum().getValue());
        });
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

    /**
     * Reads a checkpoint, checking the checksum over the whole file before parsing anything, so that a damaged
     * or cut-short file is reported as such (naming the file) and never half-parsed. Errors:
     * {@link CheckpointException} for what is not a usable model file, I/O errors naming the file.
     */
    public static Checkpoint read(Path file) throws IOException {
        try {
            InputFiles.requireRegular(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file + ": no such model file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] magic = new byte[MAGIC.length];
            int got = readFully(ch, ByteBuffer.wrap(magic));
            if (!java.util.Arrays.equals(magic, 0, got, MAGIC, 0, got)) {
                throw new CheckpointException(file + ": not a nexttrack model file (it does not start with "
                        + new String(MAGIC, java.nio.charset.StandardCharsets.US_ASCII) + ")");
            }
            if (size < SMALLEST) throw corrupted(file, "it is " + size + " bytes long, shorter than any model file");
            if (!checksumMatches(ch, size)) {
                throw corrupted(file, "checksum mismatch: the file was damaged or cut short; was a copy interrupted?");
            }
            ByteBuffer version = ByteBuffer.allocate(4);
            ch.position(MAGIC.length);
            readFully(ch, version);
            if (version.getInt(0) != VERSION) {
                throw new CheckpointException(file + ": format version " + version.getInt(0) + " is not supported (this build reads "
                        + VERSION + "; was it written by a newer nexttrack?)");
            }
            ch.position(0);
            CountingInput counted = new CountingInput(new BufferedInputStream(Channels.newInputStream(ch), (int) Math.min(1 << 20, size)));
            Checkpoint c = readBody(new DataInputStream(counted), size - 8);
            if (counted.count != size - 8) throw corrupted(file, "the data does not end where the checksum begins");
            return c;
        } catch (CheckpointException e) {
            throw e.getMessage().startsWith(file + ": ") ? e : corrupted(file, e.getMessage());
        } catch (EOFException | java.io.UTFDataFormatException e) {
            throw corrupted(file, "a value runs past the end of the data");
        } catch (IOException e) {
            throw FileErrors.named(file, e);
        }
    }

    /** Whether {@code file} starts as every nexttrack model and resume file does ({@code NXTRACK1}); false when unreadable. */
    public static boolean isModelFile(Path file) {
        byte[] magic = new byte[MAGIC.length];
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return in.readNBytes(magic, 0, magic.length) == magic.length && java.util.Arrays.equals(magic, MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** magic, version, three counts, checksum. */
    private static final long SMALLEST = MAGIC.length + 4 + 3 * 4 + 8;

    /** "FILE: corrupted or truncated (why)": the one message for a model file that cannot be trusted. */
    public static CheckpointException corrupted(Path file, String why) {
        return new CheckpointException(file + ": corrupted or truncated (" + why + ")");
    }

    private static boolean checksumMatches(FileChannel ch, long size) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(1 << 20, size));
        ch.position(0);
        for (long left = size - 8; left > 0; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), left));
            int n = readFully(ch, buf);
            if (n <= 0) return false;
            buf.flip();
            crc.update(buf);
            left -= n;
        }
        ByteBuffer stored = ByteBuffer.allocate(8);
        return readFully(ch, stored) == 8 && stored.getLong(0) == crc.getValue();
    }

    private static int readFully(FileChannel ch, ByteBuffer buf) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    /** Counts what the parser consumed, to check that it ends exactly at the checksum. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) { super(in); }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }

    private static Checkpoint readBody(DataInputStream in, long fileSize) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) throw new CheckpointException("bad magic");
        in.readInt(); // the version, checked by read()
        Checkpoint c = new Checkpoint();
        int headers = count(in, fileSize);
        for (int i = 0; i < headers; i++) c.header.put(in.readUTF(), in.readUTF());
        int lists = count(in, fileSize);
        for (int i = 0; i < lists; i++) {
            String name = in.readUTF();
            int n = count(in, fileSize);
            List<String> values = new ArrayList<>(Math.min(n, 1 << 12)); // n is untrusted until the strings are read
            for (int k = 0; k < n; k++) values.add(in.readUTF());
            c.strings.put(name, values);
        }
        int tensors = count(in, fileSize);
        byte[] bytes = new byte[(int) Math.max(16, Math.min(CHUNK * 4, fileSize))];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < tensors; i++) {
            String name = in.readUTF();
            int rows = count(in, fileSize), cols = count(in, fileSize);
            long n = (long) rows * cols;
            if (n * 4 > fileSize) throw new CheckpointException("tensor " + Excerpt.of(name) + " is larger than the file");
            float[] data = new float[(int) n];
            for (int k = 0; k < n; k += bytes.length / 4) {
                int m = (int) Math.min(bytes.length / 4, n - k);
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
        if (n < 0 || n > fileSize) throw new CheckpointException("impossible count " + n);
        return n;
    }

    /** A model file that cannot be used: says which file and why. */
    public static final class CheckpointException extends RuntimeException {
        public CheckpointException(String message) { super(message); }

        public CheckpointException(String message, Throwable cause) { super(message, cause); }
    }

    /**
     * A checkpoint that passed its checksum but whose content cannot be used ({@code e} from decoding it):
     * "FILE: not a usable model file (why)", so that every failure names the file.
     */
    public static CheckpointException unusable(Path file, RuntimeException e) {
        if (e instanceof CheckpointException c && c.getMessage().startsWith(file + ": ")) return c;
        return new CheckpointException(file + ": not a usable model file (" + e.getMessage() + ")", e);
    }
}
