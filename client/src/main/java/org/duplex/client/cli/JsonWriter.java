package org.duplex.client.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer producing one compact document: objects, arrays, strings escaped
 * per RFC 8259, numbers, booleans and null. It checks nesting, not that a document is complete
 * before {@link #toString()}. Not thread-safe.
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    /** Per open container: true until its first element is written. */
    private final Deque<Boolean> first = new ArrayDeque<>();
    private final Deque<Character> kinds = new ArrayDeque<>();
    private boolean afterName;

    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        push('{');
        return this;
    }

    public JsonWriter endObject() {
        return end('{', '}');
    }

    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        push('[');
        return this;
    }

    public JsonWriter endArray() {
        return end('[', ']');
    }

    /** The name of the next member of the current object. */
    public JsonWriter name(String name) {
        if (kinds.isEmpty() || kinds.peek() != '{' || afterName) {
            throw new IllegalStateException("a name belongs directly inside an object, before its value");
        }
        separate();
        quote(out, name);
        out.append(':');
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            out.append("null");
        } else {
            quote(out, s);
        }
        return this;
    }

    public JsonWriter value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    /** A finite number; NaN and infinities, which JSON cannot hold, are written as null. */
    public JsonWriter value(double d) {
        beforeValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d);
        } else {
            out.append(d);
        }
        return this;
    }

    public JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, double value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(sb, s);
        return sb.toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    // control characters must be escaped; U+2028/2029 too, so the output is also valid JavaScript
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private void push(char kind) {
        kinds.push(kind);
        first.push(Boolean.TRUE);
    }

    private JsonWriter end(char open, char close) {
        if (kinds.isEmpty() || kinds.peek() != open || afterName) {
            throw new IllegalStateException("'" + close + "' does not close the innermost container");
        }
        kinds.pop();
        first.pop();
        out.append(close);
        return this;
    }

    private void beforeValue() {
        if (kinds.isEmpty()) {
            if (out.length() > 0) {
                throw new IllegalStateException("one document holds one top-level value");
            }
            return;
        }
        if (kinds.peek() == '{') {
            if (!afterName) {
                throw new IllegalStateException("a value inside an object needs a name first");
            }
            afterName = false;
            return;
        }
        separate();
    }

    private void separate() {
        if (first.peek()) {
            first.pop();
            first.push(Boolean.FALSE);
        } else {
            out.append(',');
        }
    }
}
