package io.nexttrack.json;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"history\": [12, \"Grenade\", -1.5e2], \"k\": 10, \"exclude_seen\": true, \"x\": null,"
                + " \"s\": \"a\\\"b\\\\c\\/d\\n\\u00e9\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(12.0, "Grenade", -150.0), m.get("history"));
        assertEquals(10.0, m.get("k"));
        assertEquals(Boolean.TRUE, m.get("exclude_seen"));
        assertTrue(m.containsKey("x") && m.get("x") == null);
        assertEquals("a\"b\\c/d\né", m.get("s"));
        assertEquals(List.of("history", "k", "exclude_seen", "x", "s"), List.copyOf(m.keySet()), "order kept");
    }

    @Test
    void writesWhatItReads() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "Aston \"Martin\"\tMusic\u0001");
        m.put("p", 0.25);
        m.put("id", 7);
        m.put("nan", Double.NaN);
        m.put("list", Arrays.asList(1L, true, null));
        String text = Json.write(m);
        assertEquals("{\"title\":\"Aston \\\"Martin\\\"\\tMusic\\u0001\",\"p\":0.25,\"id\":7,\"nan\":null,\"list\":[1,true,null]}", text);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals(m.get("title"), back.get("title"));
        assertEquals(0.25, back.get("p"));
    }

    @Test
    void malformedInputNamesTheCharacter() {
        String[][] cases = {
            {"{\"a\": 1,}", "character 9"}, {"[1 2]", "character 4: ',' was expected"}, {"{\"a\" 1}", "':' was expected"},
            {"\"abc", "unterminated string"}, {"01", "leading zero"}, {"-", "a digit was expected"}, {"1.", "after '.'"},
            {"tru", "unexpected 't'"}, {"{\"a\":1,\"a\":2}", "duplicate key"}, {"[1] x", "after the value"}, {"", "the text ended"},
            {"\"\\x\"", "bad escape"}, {"\"a\nb\"", "control character"}, {"[".repeat(100), "nested deeper than 64"},
        };
        for (String[] c : cases) {
            var e = assertThrows(Json.ParseException.class, () -> Json.parse(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith("malformed JSON at character "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
