package org.duplex.client.cli;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.JsonbSerializer;
import jakarta.json.bind.serializer.SerializationContext;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.NoSuchElementException;

/**
 * The JSON-B (Yasson) that the command lines' documents are written and read with: the {@code --json}
 * answers of duplex-client, the loadgen result and the benchmark's {@code results.json}, each a record type.
 * <p>
 * Guarantees, the output of the hand-written writer these documents had before: compact, one line; a whole
 * {@code Double} without a needless {@code .0} ({@code 3}, not {@code 3.0}, which {@code jq} would print as
 * such in the launcher's report), NaN and infinities, which JSON cannot hold, as {@code null}; U+2028 and
 * U+2029 escaped, so the text is also valid JavaScript. Member order is the record's
 * {@code @JsonbPropertyOrder}, since JSON-B orders members by name otherwise. Only boxed {@code Double}
 * components get the whole-number rule: Yasson hands a primitive {@code double} to its own serializer.
 * Null members are left out unless the record is {@code @JsonbNillable}.
 */
public final class JsonDocuments {

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withSerializers(new WholeNumbers()));

    private JsonDocuments() {
    }

    /** One document as compact JSON text. */
    public static String write(Object document) {
        return JSONB.toJson(document).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /**
     * One document back into its record type. Members the type does not have are ignored; members the text
     * does not have read as {@code null} (or zero for a primitive component).
     *
     * @throws IllegalArgumentException the text is not exactly one well-formed JSON value, or a member does not fit
     *                                  its component
     */
    public static <T> T read(String json, Class<T> type) {
        try {
            requireOneValue(json);
            return JSONB.fromJson(json, type);
        } catch (JsonbException | JsonException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " document: " + e.getMessage(), e);
        }
    }

    /** JSON-B stops after the first value: text after it (two documents run together, a torn append) is refused here. */
    private static void requireOneValue(String json) {
        try (JsonParser parser = Json.createParser(new StringReader(json))) {
            parser.next();
            parser.getValue();
            if (parser.hasNext()) {
                throw new JsonException("text after the JSON value");
            }
        } catch (NoSuchElementException e) {
            throw new JsonException("no JSON value", e);
        }
    }

    /** Whole numbers as integers, NaN and infinities as null. */
    public static final class WholeNumbers implements JsonbSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator generator, SerializationContext context) {
            if (value.isNaN() || value.isInfinite()) {
                generator.writeNull();
            } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                generator.write(value.longValue());
            } else {
                generator.write(value);
            }
        }
    }
}
