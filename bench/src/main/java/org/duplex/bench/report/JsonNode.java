package org.duplex.bench.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A null-safe path through the values {@link JsonReader} produces, so that the report can ask for
 * {@code failover.stock.runs} without a cascade of casts and null checks. An absent member, a JSON
 * {@code null} and a value of the wrong type all read as {@linkplain #isPresent() absent}: the report then
 * says "not measured" rather than failing on a section an older or partial run did not write.
 */
final class JsonNode {

    private static final JsonNode ABSENT = new JsonNode(null);

    private final Object value;

    private JsonNode(Object value) {
        this.value = value;
    }

    static JsonNode of(Object value) {
        return value == null ? ABSENT : new JsonNode(value);
    }

    boolean isPresent() {
        return value != null;
    }

    /** The member {@code name} of this object, absent if this is not an object or has no such member. */
    JsonNode get(String name) {
        return value instanceof Map<?, ?> map ? of(map.get(name)) : ABSENT;
    }

    /** The elements of this array; empty if this is not an array. */
    List<JsonNode> elements() {
        return value instanceof List<?> list ? list.stream().map(JsonNode::of).toList() : List.of();
    }

    Optional<Double> number() {
        return value instanceof Double d ? Optional.of(d) : Optional.empty();
    }

    /** This number, or {@code fallback} when absent: for counters a run may leave out when they are zero. */
    double number(double fallback) {
        return number().orElse(fallback);
    }

    /** This value as text for a header: strings as they are, numbers without a needless ".0". */
    Optional<String> text() {
        if (value instanceof String s) {
            return Optional.of(s);
        }
        if (value instanceof Double d) {
            return Optional.of(ReportNumbers.format(d, 1));
        }
        if (value instanceof Boolean b) {
            return Optional.of(b.toString());
        }
        return Optional.empty();
    }
}
