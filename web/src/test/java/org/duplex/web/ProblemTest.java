package org.duplex.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.Map;
import org.duplex.reservation.api.ConcurrentUpdateException;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ForeignClientException;
import org.duplex.reservation.api.HoldExpiredException;
import org.duplex.reservation.api.HoldsUnavailableException;
import org.duplex.reservation.api.InvalidRequestException;
import org.duplex.reservation.api.NotPrimaryException;
import org.duplex.reservation.api.OverbookingException;
import org.duplex.reservation.api.ReplicaDivergenceException;
import org.duplex.reservation.api.ReplicaUnavailableException;
import org.duplex.reservation.api.RequestConflictException;
import org.duplex.reservation.api.UnknownHoldException;
import org.duplex.reservation.api.UnknownReservationException;
import org.duplex.reservation.api.UnknownResourceException;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void everyDuplexErrorHasItsStatus() {
        Map<DuplexException, Integer> expected = Map.of(
                new InvalidRequestException("x"), 400,
                new UnknownResourceException("x"), 404,
                new UnknownReservationException("x"), 404,
                new OverbookingException("x"), 409,
                new ConcurrentUpdateException("x"), 409,
                new RequestConflictException("x"), 422,
                new ForeignClientException("x"), 403,
                new NotPrimaryException("x"), 421,
                new ReplicaUnavailableException("x"), 503,
                new ReplicaDivergenceException("x"), 500);
        expected.forEach((e, status) -> assertEquals(status, Problem.of(e).status(), e.code()));
    }

    @Test
    void holdErrorsHaveTheirStatusAndOnlyUnavailabilityIsRetryable() {
        assertEquals(404, Problem.of(new UnknownHoldException("x")).status());
        assertEquals(410, Problem.of(new HoldExpiredException("x")).status());
        Problem unavailable = Problem.of(new HoldsUnavailableException("x"));
        assertEquals(503, unavailable.status());
        assertTrue(unavailable.retryable());
        assertEquals(1, unavailable.retryAfterSeconds());
        assertFalse(Problem.of(new HoldExpiredException("x")).retryable());
        assertEquals("urn:duplex:problem:hold-expired", Problem.of(new HoldExpiredException("x")).type());
    }

    @Test
    void bodyIsAnRfc9457ProblemWithTheDuplexType() {
        JsonObject json = Problem.of(new OverbookingException("resource r has 2 units available; 3 requested")).toJson();

        assertEquals("urn:duplex:problem:overbooking", json.getString("type"));
        assertEquals("Not enough units available", json.getString("title"));
        assertEquals(409, json.getInt("status"));
        assertEquals("resource r has 2 units available; 3 requested", json.getString("detail"));
        assertEquals("overbooking", json.getString("code"));
        assertEquals("OverbookingException", json.getString("exception"));
        assertFalse(json.getBoolean("retryable"));
    }

    @Test
    void retryableRefusalsSaySoAndUnavailableAddsRetryAfter() {
        Problem p = Problem.of(new ReplicaUnavailableException("db-b does not answer"));

        assertTrue(p.toJson().getBoolean("retryable"));
        assertEquals(1, p.retryAfterSeconds());
        assertEquals(null, Problem.of(new OverbookingException("x")).retryAfterSeconds());
    }

    @Test
    void extensionsAreMembersAndNullStaysNull() {
        JsonObject json = Problem.of(new NotPrimaryException("node-b is backup")).with("primary", "node-a")
                .with("missing", null).toJson();

        assertEquals("node-a", json.getString("primary"));
        assertTrue(json.isNull("missing"));
        assertEquals(421, json.getInt("status"));
    }

    @Test
    void httpLevelRefusalsKeepTheirStatus() {
        assertEquals("not-found", UnexpectedExceptionMapper.httpProblem(404, "x").code());
        assertEquals(415, UnexpectedExceptionMapper.httpProblem(415, "x").status());
        assertEquals("http-413", UnexpectedExceptionMapper.httpProblem(413, "x").code());
    }
}
