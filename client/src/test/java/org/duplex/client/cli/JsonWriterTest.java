package org.duplex.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\"", JsonWriter.quote("a\"b\\c"));
        assertEquals("\"l1\\nl2\\r\\tend\"", JsonWriter.quote("l1\nl2\r\tend"));
        assertEquals("\"\\b\\f\\u0000\\u001f\"", JsonWriter.quote("\b\f\u0000\u001f"));
        assertEquals("\"\\u2028\\u2029\"", JsonWriter.quote("\u2028\u2029"));
    }

    @Test
    void leavesOtherUnicodeAlone() {
        assertEquals("\"café ✓ 日本 /\"", JsonWriter.quote("café ✓ 日本 /"));
    }

    @Test
    void writesNestedDocumentsWithCommasInTheRightPlaces() {
        String json = new JsonWriter().beginObject()
                .field("s", "x")
                .field("n", 42)
                .field("d", 1.5)
                .field("whole", 3.0)
                .field("b", true)
                .field("nothing", (String) null)
                .name("list").beginArray().value("a").value(1).beginObject().endObject().beginArray().endArray().endArray()
                .name("inner").beginObject().field("k", "v").endObject()
                .endObject().toString();
        assertEquals("{\"s\":\"x\",\"n\":42,\"d\":1.5,\"whole\":3,\"b\":true,\"nothing\":null,"
                + "\"list\":[\"a\",1,{},[]],\"inner\":{\"k\":\"v\"}}", json);
    }

    @Test
    void namesAreEscapedToo() {
        assertEquals("{\"we\\\"ird\":\"\\n\"}", new JsonWriter().beginObject().field("we\"ird", "\n").endObject().toString());
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        assertEquals("[null,null]", new JsonWriter().beginArray().value(Double.NaN)
                .value(Double.POSITIVE_INFINITY).endArray().toString());
    }

    @Test
    void refusesMalformedNesting() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().value("no name"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginArray().name("x"));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().endArray());
        assertThrows(IllegalStateException.class, () -> new JsonWriter().value(1).value(2));
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().name("a").endObject());
    }
}
