package org.duplex.detector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * Asks another node to take control: a POST of its {@code /duplex/api/cluster/switchover}, which needs
 * role {@code admin}. It authenticates (HTTP BASIC) as {@code duplex.admin.user} (default
 * {@code duplex-admin}) with the password read from the file named by {@code duplex.admin.password.file},
 * which {@code ./duplex} puts in each node's properties; the password itself is in no configuration.
 */
final class SwitchoverRequest {

    private static final Logger LOG = Logger.getLogger(SwitchoverRequest.class.getName());
    static final String USER = "duplex.admin.user";
    static final String PASSWORD_FILE = "duplex.admin.password.file";

    private SwitchoverRequest() {
    }

    static void send(String httpBase, long timeoutMs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpBase + "/duplex/api/cluster/switchover"))
                .timeout(Duration.ofMillis(timeoutMs))
                .POST(HttpRequest.BodyPublishers.noBody());
        try {
            String passwordFile = System.getProperty(PASSWORD_FILE);
            if (passwordFile == null || passwordFile.isBlank()) {
                LOG.warning("switchover request to " + httpBase + " sent without credentials: " + PASSWORD_FILE
                        + " is not set, so the other node will refuse it (401)");
            } else {
                String user = System.getProperty(USER, "duplex-admin");
                String password = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
                request.header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            LOG.info(() -> "switchover request to " + httpBase + ": " + response.statusCode() + " " + response.body());
        } catch (IOException e) {
            LOG.warning("switchover request to " + httpBase + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
