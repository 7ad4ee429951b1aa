package org.duplex.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict recursive-descent reader of RFC 8259 JSON text into plain Java values: objects become
 * {@link LinkedHashMap} (member order kept, a repeated name keeps its last value), arrays {@link ArrayList},
 * strings {@link String}, every number {@link Double}, {@code true}/{@code false} {@link Boolean} and
 * {@code null} {@code null}.
 * <p>
 * It exists so that the report reads {@code results.json} without pulling a JSON library into the shaded
 * bench jar next to the client stack. It is meant for files of a few megabytes written by our own runner: it
 * reads the whole text in memory and recurses once per nesting level. Malformed input is rejected with an
 * {@link IllegalArgumentException} naming the offset; nothing is guessed or skipped.
 */
public final class JsonReader {

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value that makes up the whole of {@code text} (surrounding whitespace allowed).
     *
     * @throws IllegalArgumentException if the text is not exactly one well-formed JSON value
     */
    public static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.readValue();
        reader.skipWhitespace();
        if (reader.pos != text.length()) {
            throw reader.error("unexpected text after the JSON value");
        }
        return value;
    }

    private Object readValue() {
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                readLiteral("true");
                return Boolean.TRUE;
            case 'f':
                readLiteral("false");
                return Boolean.FALSE;
            case 'n':
                readLiteral("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return readNumber();
                }
                throw error("unexpected character '" + c + "', expected a value");
        }
    }

    private Map<String, Object> readObject() {
        Map<String, Object> members = new LinkedHashMap<>();
        pos++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name in double quotes");
            }
            String name = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(name, readValue());
            skipWhitespace();
            char c = next();
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw error(pos - 1, "expected ',' or '}' in an object");
            }
        }
    }

    private List<Object> readArray() {
        List<Object> elements = new ArrayList<>();
        pos++; // '['
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return elements;
        }
        while (true) {
            skipWhitespace();
            elements.add(readValue());
            skipWhitespace();
            char c = next();
            if (c == ']') {
                return elements;
            }
            if (c != ',') {
                throw error(pos - 1, "expected ',' or ']' in an array");
            }
        }
    }

    private String readString() {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error(pos - 1, "control character in a string must be escaped");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '/': out.append('/'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    // a surrogate pair arrives as two \\u escapes; appending both char units rebuilds it
                    out.append(readHex4());
                    break;
                default:
                    throw error(pos - 1, "unknown escape '\\" + e + "'");
            }
        }
    }

    private char readHex4() {
        if (pos + 4 > text.length()) {
            throw error("unexpected end of input in a \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos), 16);
            if (digit < 0) {
                throw error("expected 4 hex digits after \\u");
            }
            value = value * 16 + digit;
            pos++;
        }
        return (char) value;
    }

    private Double readNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        // JSON forbids leading zeros ("01") and bare signs or points, which Double.parseDouble would accept
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit");
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw error("expected a digit after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent");
            }
        }
        return Double.valueOf(text.substring(start, pos));
    }

    /** Consumes a run of decimal digits; tells whether there was at least one. */
    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private void readLiteral(String literal) {
        if (!text.startsWith(literal, pos)) {
            throw error("expected '" + literal + "'");
        }
        pos += literal.length();
    }

    private void expect(char wanted) {
        if (next() != wanted) {
            throw error(pos - 1, "expected '" + wanted + "'");
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(pos++);
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private IllegalArgumentException error(String message) {
        return error(pos, message);
    }

    private IllegalArgumentException error(int offset, String message) {
        return new IllegalArgumentException("invalid JSON at offset " + offset + ": " + message);
    }
}
