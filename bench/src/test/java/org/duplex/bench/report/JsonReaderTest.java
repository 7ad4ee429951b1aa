package org.duplex.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

    @Test
    void readsNestedObjectsAndArraysKeepingMemberOrder() {
        Object value = JsonReader.parse(" {\"b\": {\"x\": [1, [], {}]}, \"a\": [true, false, null], \"c\": \"s\"} ");

        Map<?, ?> root = (Map<?, ?>) value;
        assertEquals(List.of("b", "a", "c"), List.copyOf(root.keySet()));
        Map<?, ?> b = (Map<?, ?>) root.get("b");
        assertEquals(List.of(1.0, List.of(), Map.of()), b.get("x"));
        assertEquals(Arrays.asList(true, false, null), root.get("a"));
        assertEquals("s", root.get("c"));
    }

    @Test
    void readsTopLevelScalarsAndEmptyContainers() {
        assertEquals(Map.of(), JsonReader.parse("{}"));
        assertEquals(List.of(), JsonReader.parse("[ ]"));
        assertEquals("", JsonReader.parse("\"\""));
        assertNull(JsonReader.parse("null"));
        assertEquals(Boolean.TRUE, JsonReader.parse("\ttrue\r\n"));
    }

    @Test
    void repeatedMemberNameKeepsTheLastValue() {
        assertEquals(Map.of("a", 2.0), JsonReader.parse("{\"a\": 1, \"a\": 2}"));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "-0, -0.0",
            "42, 42",
            "-17, -17",
            "3.25, 3.25",
            "-0.5, -0.5",
            "1e3, 1000",
            "1E+3, 1000",
            "2.5e-3, 0.0025",
            "-1.5E2, -150",
            "8484, 8484"
    })
    void readsEveryNumberAsDouble(String json, double expected) {
        assertEquals(expected, (Double) JsonReader.parse(json));
    }

    @Test
    void decodesEveryEscape() {
        assertEquals("\" \\ / \b \f \n \r \t", JsonReader.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""));
        assertEquals("é→A", JsonReader.parse("\"\\u00e9\\u2192\\u0041\""));
        assertEquals("kill -9 \u00e9", JsonReader.parse("\"kill -9 \\u00E9\""));
    }

    @Test
    void decodesASurrogatePairIntoOneCodePoint() {
        String s = (String) JsonReader.parse("\"\\ud83d\\ude00\"");
        assertEquals(1, s.codePointCount(0, s.length()));
        assertEquals(0x1F600, s.codePointAt(0));
    }

    @Test
    void keepsNonAsciiTextAsIs() {
        assertEquals("node-b promoted — 5 s", JsonReader.parse("\"node-b promoted — 5 s\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "{",
            "{\"a\" 1}",
            "{\"a\": 1,}",
            "{a: 1}",
            "{'a': 1}",
            "[1, 2",
            "[1 2]",
            "[1,]",
            "01",
            "-",
            "1.",
            ".5",
            "+1",
            "1e",
            "1e+",
            "\"abc",
            "\"bad \\x escape\"",
            "\"\\u12\"",
            "\"\\u12G4\"",
            "\"tab\tinside\"",
            "tru",
            "nul",
            "NaN",
            "{} {}",
            "[1] x"
    })
    void rejectsMalformedInputWithItsOffset(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(json));
        assertTrue(e.getMessage().startsWith("invalid JSON at offset "), e.getMessage());
    }
}
