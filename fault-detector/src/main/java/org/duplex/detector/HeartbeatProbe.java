package org.duplex.detector;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * One heartbeat: a GET of the peer's {@code /duplex/api/heartbeat}, which crosses the peer's web
 * container, the deployed application and its fault detector, so it proves more than an open port.
 */
final class HeartbeatProbe implements PeerProbe {

    /** What one heartbeat found. */
    enum Outcome {
        /** The peer answered 200. */
        ALIVE,
        /** Nothing listens at the peer's port: the process is gone (or not yet started). */
        REFUSED,
        /** No answer within the timeout: hung, paused or overloaded. */
        TIMEOUT,
        /** It answered, but not with 200 (deploying, undeploying, failing). */
        UNHEALTHY
    }

    record Result(Outcome outcome, long roundTripMicros, String body) {
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    @Override
    public Result probe(String httpBase, long timeoutMs) {
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpBase + "/duplex/api/heartbeat"))
                .timeout(Duration.ofMillis(timeoutMs))
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - start) / 1000;
            return new Result(response.statusCode() == 200 ? Outcome.ALIVE : Outcome.UNHEALTHY, micros, response.body());
        } catch (HttpTimeoutException e) {
            return new Result(Outcome.TIMEOUT, (System.nanoTime() - start) / 1000, e.toString());
        } catch (ConnectException e) {
            return new Result(Outcome.REFUSED, (System.nanoTime() - start) / 1000, e.toString());
        } catch (IOException e) {
            // a connection reset while the peer dies looks like this: as good as refused, confirmed by the next probe
            return new Result(Outcome.REFUSED, (System.nanoTime() - start) / 1000, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.TIMEOUT, (System.nanoTime() - start) / 1000, "interrupted");
        }
    }
}
