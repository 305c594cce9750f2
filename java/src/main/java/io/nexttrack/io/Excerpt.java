package io.nexttrack.io;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A short, printable quote of untrusted input for an error message: at most {@link #MAX} characters, with
 * control and invisible characters and bytes that are not UTF-8 escaped, so that a binary file or a
 * 50 MB token never reaches the terminal raw and the message stays one line.
 */
public final class Excerpt {
    /** Characters quoted at most; longer input is cut and says how long it was. */
    public static final int MAX = 40;

    private Excerpt() {}

    /** {@code s} quoted: {@code 'abc'}, or {@code 'abc…' (12,345 characters)} when cut. */
    public static String of(CharSequence s) {
        StringBuilder out = new StringBuilder("'");
        int shown = 0, i = 0;
        for (; i < s.length() && shown < MAX; shown++) {
            int c = Character.codePointAt(s, i);
            appendEscaped(out, c);
            i += Character.charCount(c);
        }
        out.append('\'');
        if (i < s.length()) out.insert(out.length() - 1, '…').append(String.format(Locale.ROOT, " (%,d characters)", s.length()));
        return out.toString();
    }

    /** Bytes {@code [from, to)} quoted: valid UTF-8 shown as text, anything else as {@code \xNN}. */
    public static String of(byte[] b, int from, int to) {
        StringBuilder out = new StringBuilder("'");
        int shown = 0, i = from;
        while (i < to && shown++ < MAX) {
            int n = utf8Length(b, i, to);
            if (n == 0) {
                out.append(String.format("\\x%02X", b[i] & 0xFF));
                i++;
            } else {
                appendEscaped(out, new String(b, i, n, StandardCharsets.UTF_8).codePointAt(0));
                i += n;
            }
        }
        out.append('\'');
        if (i < to) out.insert(out.length() - 1, '…').append(String.format(Locale.ROOT, " (%,d bytes)", to - from));
        return out.toString();
    }

    /** Escapes what would break or hide in a one-line message; everything else is kept as it is. */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> appendEscaped(out, c));
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, int c) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                int type = Character.getType(c);
                boolean hidden = type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                        || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
                if (hidden) out.append(c <= 0xFF ? String.format("\\x%02X", c) : String.format("\\u%04X", c));
                else out.appendCodePoint(c);
            }
        }
    }

    /** Length of the well-formed UTF-8 sequence at {@code b[i]} (1 to 4), or 0 if there is none. */
    public static int utf8Length(byte[] b, int i, int to) {
        int c = b[i] & 0xFF;
        if (c < 0x80) return 1;
        int n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (n == 0 || i + n > to) return 0;
        for (int k = 1; k < n; k++) if ((b[i + k] & 0xC0) != 0x80) return 0;
        int c1 = b[i + 1] & 0xFF;
        if (c == 0xE0 && c1 < 0xA0 || c == 0xED && c1 > 0x9F) return 0; // overlong, or a surrogate
        if (c == 0xF0 && c1 < 0x90 || c == 0xF4 && c1 > 0x8F) return 0; // overlong, or above U+10FFFF
        return n;
    }
}
