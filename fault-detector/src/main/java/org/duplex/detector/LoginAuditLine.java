package org.duplex.detector;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Optional;

/**
 * One login in the node's Elytron security audit log ({@code configure-brute-force.cli} writes it as
 * JSON: {@code <time>,<priority>,{"event":"SecurityAuthenticationFailedEvent",...,"principal":"alice"}},
 * the successful ones naming the identity in {@code "security-identity":{"name":...}}), read with JSON-P.
 * Pure; every other line (permission checks, realm events, a torn last line) is no login.
 */
public record LoginAuditLine(String identity, boolean success) {

    /** The login a line records, if it records one with a name. */
    public static Optional<LoginAuditLine> parse(String line) {
        int start = line.indexOf('{');
        if (start < 0) {
            return Optional.empty();
        }
        JsonObject event;
        try (JsonReader reader = Json.createReader(new StringReader(line.substring(start)))) {
            event = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
        String kind = event.getString("event", "");
        if (kind.equals("SecurityAuthenticationFailedEvent")) {
            return name(event, "principal").map(n -> new LoginAuditLine(n, false));
        }
        if (kind.equals("SecurityAuthenticationSuccessfulEvent")) {
            JsonValue identity = event.get("security-identity");
            return identity instanceof JsonObject o ? name(o, "name").map(n -> new LoginAuditLine(n, true)) : Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<String> name(JsonObject o, String member) {
        return o.get(member) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }
}
