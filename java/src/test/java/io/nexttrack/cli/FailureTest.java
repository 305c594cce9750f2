package io.nexttrack.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.nexttrack.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Every kind of failure becomes one printable line and the documented exit code. */
class FailureTest {
    record Line(int code, String text) {}

    static Line report(Throwable e) {
        StringWriter s = new StringWriter();
        int code = Failure.report(e, new PrintWriter(s));
        String text = s.toString();
        assertEquals(1, text.lines().count(), text);
        return new Line(code, text.strip());
    }

    @Test
    void badInputIsExitCode2() {
        assertEquals(new Line(2, "nexttrack: data.txt: no such file or folder"), report(new NoSuchFileException("data.txt")));
        assertEquals(new Line(2, "nexttrack: out/m.nt: No space left on device"),
                report(new UncheckedIOException(new FileSystemException("out/m.nt", null, "No space left on device"))));
        assertEquals(2, report(new IllegalArgumentException("the learning rate must be ...")).code());
        assertEquals(2, report(new IOException("disk on fire")).code());
    }

    @Test
    void everythingElseIsExitCode1WithoutAStackTrace() {
        Line oom = report(new OutOfMemoryError("Java heap space"));
        assertEquals(1, oom.code());
        assertTrue(oom.text().startsWith("nexttrack: out of memory") && oom.text().contains("-Xmx"), oom.text());
        Line diverged = report(new TrainingDivergedException("training diverged in epoch 2: ..."));
        assertEquals(new Line(1, "nexttrack: training diverged in epoch 2: ..."), diverged);
        Line bug = report(new NullPointerException("x is null"));
        assertEquals(1, bug.code());
        assertTrue(bug.text().contains("internal error") && bug.text().contains("NEXTTRACK_DEBUG"), bug.text());
    }

    @Test
    void messagesStayOnePrintableShortLine() {
        Line l = report(new IllegalArgumentException("two\nlines with \u001B[31mcolour\u0000 and " + "x".repeat(10_000) + " the end"));
        assertTrue(l.text().length() <= Failure.MAX_LINE + "nexttrack: ".length() + 3, l.text().length() + "");
        assertTrue(l.text().chars().noneMatch(c -> c < 0x20), l.text());
        assertTrue(l.text().contains("two\\nlines") && l.text().contains("\\x1B[31m") && l.text().endsWith(" the end"), l.text());
    }
}
