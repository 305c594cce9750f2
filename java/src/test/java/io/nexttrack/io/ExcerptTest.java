package io.nexttrack.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExcerptTest {
    @Test
    void shortPrintableTextIsQuotedAsItIs() {
        assertEquals("'Déjà vu 日本'", Excerpt.of("Déjà vu 日本"));
    }

    @Test
    void longInputIsCutAndSaysHowLongItWas() {
        String s = Excerpt.of("x".repeat(50_000_000));
        assertEquals("'" + "x".repeat(Excerpt.MAX) + "…' (50,000,000 characters)", s);
    }

    @Test
    void controlCharactersAndNonUtf8BytesAreEscaped() {
        assertEquals("'a\\x00b\\x1Bc\\n\\u202E'", Excerpt.of("a\u0000b\u001Bc\n\u202E"));
        byte[] b = {'o', 'k', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, 0, (byte) 0xE2, (byte) 0x82};
        assertEquals("'oké\\xFF\\x00\\xE2\\x82'", Excerpt.of(b, 0, b.length));
        assertEquals(new String(b, 0, 4, StandardCharsets.UTF_8).length(), 3);
    }

    @Test
    void utf8LengthRejectsOverlongAndSurrogateForms() {
        assertEquals(0, Excerpt.utf8Length(new byte[] {(byte) 0xC0, (byte) 0x80}, 0, 2)); // overlong NUL
        assertEquals(0, Excerpt.utf8Length(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0, 3)); // a surrogate
        assertEquals(4, Excerpt.utf8Length("😀".getBytes(StandardCharsets.UTF_8), 0, 4));
    }
}
