package org.duplex.web;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.duplex.reservation.api.InvalidRequestException;

/**
 * A request's JSON object, read with a size limit, and its members as the types the service takes.
 * It checks only the shape (JSON, an object, members of the right JSON type, whole numbers that fit);
 * what a value may be (id syntax and length, quantity range) is the service's rule, checked there.
 * Every refusal is an {@link InvalidRequestException} (400) naming the member.
 */
final class RequestBody {

    /** Far above any valid request (ids are at most 64 characters, a name 200). */
    static final int MAX_BYTES = 16 * 1024;

    private final JsonObject json;

    private RequestBody(JsonObject json) {
        this.json = json;
    }

    static RequestBody read(InputStream in) throws InvalidRequestException {
        byte[] bytes;
        try {
            bytes = in == null ? new byte[0] : in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidRequestException("the request body could not be read: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new InvalidRequestException("the request body is larger than " + MAX_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw new InvalidRequestException("a JSON object is required as the request body");
        }
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new InvalidRequestException("the request body must be a JSON object, not " + value.getValueType());
            }
            return new RequestBody(value.asJsonObject());
        } catch (JsonParsingException e) {
            throw new InvalidRequestException("the request body is not valid JSON: " + e.getMessage());
        } catch (JsonException e) {
            throw new InvalidRequestException("the request body is not valid JSON: " + e.getMessage());
        }
    }

    /** A string member; null when absent or JSON null (the service then says it is required). */
    String text(String name) throws InvalidRequestException {
        JsonValue v = json.get(name);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidRequestException(name + " must be a JSON string, not " + v.getValueType());
        }
        return ((JsonString) v).getString();
    }

    /** A required whole number member. */
    long wholeNumber(String name) throws InvalidRequestException {
        JsonValue v = json.get(name);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            throw new InvalidRequestException(name + " is required");
        }
        if (v.getValueType() != JsonValue.ValueType.NUMBER) {
            throw new InvalidRequestException(name + " must be a JSON number, not " + v.getValueType());
        }
        JsonNumber n = (JsonNumber) v;
        try {
            return n.longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidRequestException(name + " must be a whole number that fits in 64 bits (got " + n + ")");
        }
    }

    /** A required whole number member that fits in an int. */
    int integer(String name) throws InvalidRequestException {
        long value = wholeNumber(name);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new InvalidRequestException(name + " is out of range (got " + value + ")");
        }
        return (int) value;
    }

    /** An optional whole number member that fits in an int: {@code absent} when it is missing or JSON null. */
    int optionalInteger(String name, int absent) throws InvalidRequestException {
        JsonValue v = json.get(name);
        return v == null || v.getValueType() == JsonValue.ValueType.NULL ? absent : integer(name);
    }
}
