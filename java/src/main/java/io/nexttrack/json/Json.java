package io.nexttrack.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the project needs, without a library: writing escaped strings, finite numbers and plain
 * values ({@link #write}), and reading a document into plain values ({@link #parse}). Objects are
 * {@code Map<String, Object>} (insertion order kept), arrays {@code List<Object>}, numbers {@code Double},
 * and {@code String}, {@code Boolean} or {@code null}.
 */
public final class Json {
    /** Deeper documents are refused, so a hostile one cannot exhaust the stack. */
    private static final int MAX_DEPTH = 64;

    private Json() {}

    public static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        appendString(b, s);
        return b.toString();
    }

    /** JSON has no NaN or Infinity: such values are written as null. */
    public static String number(double v) {
        if (!Double.isFinite(v)) return "null";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    /** Writes a value made of maps (string keys), lists, strings, numbers, booleans and nulls. */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case String s -> appendString(b, s);
            case Boolean x -> b.append(x);
            case Integer x -> b.append(x);
            case Long x -> b.append(x);
            case Number x -> b.append(number(x.doubleValue()));
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    appendString(b, (String) e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> list -> {
                b.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) b.append(',');
                    write(b, list.get(i));
                }
                b.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write " + v.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void appendString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    /** Reads one JSON document; anything malformed (or trailing) is a {@link ParseException} naming the character. */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.skipSpace();
        Object v = r.value(0);
        r.skipSpace();
        if (r.pos < text.length()) throw r.error("unexpected text after the value");
        return v;
    }

    /** Malformed JSON: the message says what was expected and at which character (1-based). */
    public static final class ParseException extends IllegalArgumentException {
        ParseException(String message) { super(message); }
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) { this.s = s; }

        ParseException error(String what) {
            return new ParseException("malformed JSON at character " + (pos + 1) + ": " + what);
        }

        void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r')) pos++;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH);
            if (pos >= s.length()) throw error("a value was expected, the text ended");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected '" + c + "'");
                }
            };
        }

        Map<String, Object> object(int depth) {
            pos++; // {
            Map<String, Object> m = new LinkedHashMap<>();
            skipSpace();
            if (peek('}')) return m;
            while (true) {
                skipSpace();
                if (pos >= s.length() || s.charAt(pos) != '"') throw error("a quoted key was expected");
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                if (m.containsKey(key)) throw error("duplicate key \"" + key + "\"");
                m.put(key, value(depth + 1));
                skipSpace();
                if (peek('}')) return m;
                expect(',');
            }
        }

        List<Object> array(int depth) {
            pos++; // [
            List<Object> list = new ArrayList<>();
            skipSpace();
            if (peek(']')) return list;
            while (true) {
                skipSpace();
                list.add(value(depth + 1));
                skipSpace();
                if (peek(']')) return list;
                expect(',');
            }
        }

        String string() {
            pos++; // opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return b.toString();
                if (c < 0x20) {
                    pos--;
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (pos >= s.length()) throw error("unterminated escape");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("short \\u escape");
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos + i), 16);
                            if (d < 0) throw error("bad \\u escape");
                            code = code * 16 + d;
                        }
                        pos += 4;
                        b.append((char) code);
                    }
                    default -> {
                        pos--;
                        throw error("bad escape '\\" + e + "'");
                    }
                }
            }
        }

        Double number() {
            int start = pos;
            peek('-');
            int integer = pos;
            if (!digits()) throw error("a digit was expected");
            if (s.charAt(integer) == '0' && pos - integer > 1) {
                pos = integer;
                throw error("leading zero in a number");
            }
            if (peek('.') && !digits()) throw error("a digit was expected after '.'");
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (!peek('+')) peek('-');
                if (!digits()) throw error("a digit was expected in the exponent");
            }
            return Double.parseDouble(s.substring(start, pos));
        }

        /** Consumes digits; whether there was at least one. */
        boolean digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
            return pos > start;
        }

        Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) throw error("unexpected '" + s.charAt(pos) + "'");
            pos += word.length();
            return value;
        }

        /** Consumes {@code c} if it is next. */
        boolean peek(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!peek(c)) throw error(pos >= s.length() ? "'" + c + "' was expected, the text ended" : "'" + c + "' was expected");
        }
    }
}
