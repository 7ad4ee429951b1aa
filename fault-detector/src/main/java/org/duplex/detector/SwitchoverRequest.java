package org.duplex.detector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Logger;

/** Asks another node to take control: a POST of its {@code /duplex/api/cluster/switchover}. */
final class SwitchoverRequest {

    private static final Logger LOG = Logger.getLogger(SwitchoverRequest.class.getName());

    private SwitchoverRequest() {
    }

    static void send(String httpBase, long timeoutMs) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpBase + "/duplex/api/cluster/switchover"))
                .timeout(Duration.ofMillis(timeoutMs))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            LOG.info(() -> "switchover request to " + httpBase + ": " + response.statusCode() + " " + response.body());
        } catch (IOException e) {
            LOG.warning("switchover request to " + httpBase + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
