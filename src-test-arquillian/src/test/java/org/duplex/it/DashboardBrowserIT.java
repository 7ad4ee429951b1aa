package org.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;
import org.duplex.client.DuplexClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The live dashboard in a real browser (headless Chromium, driven through chromedriver) during a real
 * failover: the page, served by the backup, must show the backup as the new primary, the higher epoch and
 * the failover event within a few seconds of the primary's {@code kill -9}, without a reload. A screenshot
 * of that moment is saved as {@code target/dashboard-failover.png}.
 */
class DashboardBrowserIT extends OnBothNodes {

    private static final Logger LOG = Logger.getLogger(DashboardBrowserIT.class.getName());

    private WebDriver browser;
    private DuplexClient client;
    private String resource;

    @BeforeEach
    void open() throws Exception {
        client = DuplexCluster.client("duplex-client", 30_000);
        resource = DuplexCluster.freshResource("dash", 1_000_000);
        DuplexCluster.primaryIs("node-a");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("duplex.chromium", "/usr/bin/chromium"));
        // no sandbox: CI runs as root; a small window is enough for the page
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,1000");
        if (DuplexCluster.tls()) {
            // the browser has no way to be given the suite's CA: it accepts exactly the two node keys (SPKI pins),
            // not any certificate (ChromeDriver's own --user-data-dir makes Chromium honour the list)
            options.addArguments("--ignore-certificate-errors-spki-list=" + spkiPins());
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("duplex.chromedriver", "/usr/bin/chromedriver")).toFile())
                .build();
        browser = new ChromeDriver(service, options);
    }

    /** base64(SHA-256(SubjectPublicKeyInfo)) of each node's certificate, comma-separated, as Chromium takes them. */
    private static String spkiPins() throws Exception {
        List<String> pins = new ArrayList<>();
        for (String node : List.of("node-a", "node-b")) {
            try (InputStream in = Files.newInputStream(DuplexCluster.home().resolve("tls").resolve(node + ".pem"))) {
                Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
                byte[] spki = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
                pins.add(Base64.getEncoder().encodeToString(spki));
            }
        }
        return String.join(",", pins);
    }

    @AfterEach
    void close() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        client.close();
        startIfNeeded("node-a");
    }

    @Test
    void thePageShowsTheNewPrimaryWithinSecondsOfAKill() throws Exception {
        browser.get(DuplexCluster.httpBase("node-b") + "/duplex/");
        Poll.until(Duration.ofSeconds(20), "the page live, naming node-a primary",
                () -> text("stream-state").equals("live") && text("primary").equals("node-a"));
        long epochBefore = Long.parseLong(text("epoch"));
        assertEquals("node-b", text("node"));

        try (ClientLoad load = new ClientLoad(client, resource, 2).start()) {
            load.awaitMoreAcknowledged(50, Duration.ofSeconds(30));
            long kill = System.nanoTime();
            killNode("node-a");
            Poll.until(Duration.ofSeconds(10), "the page naming node-b primary at a higher epoch, node-a down",
                    () -> text("primary").equals("node-b") && Long.parseLong(text("epoch")) > epochBefore
                            && rowText("node-a").contains("down"));
            long shownMs = (System.nanoTime() - kill) / 1_000_000;
            Poll.until(Duration.ofSeconds(10), "the failover event listed", () -> !events("failover").isEmpty());
            LOG.info("the dashboard showed node-b as primary " + shownMs + " ms after the kill");
            Path shot = Path.of("target", "dashboard-failover.png");
            Files.write(shot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
            assertTrue(Files.size(shot) > 10_000, "a screenshot of the page");
            assertTrue(shownMs < 5_000, "shown within a few seconds, took " + shownMs + " ms");
            assertTrue(events("failover").get(0).getText().contains("node-b"), events("failover").get(0).getText());
            load.awaitMoreAcknowledged(50, Duration.ofSeconds(30));
            load.close();
            assertEquals(List.of(), load.errors());
        }
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    private String rowText(String node) {
        List<WebElement> rows = browser.findElements(By.id("node-" + node));
        return rows.isEmpty() ? "" : rows.get(0).getText();
    }

    private List<WebElement> events(String kind) {
        return browser.findElements(By.cssSelector("#events li[data-kind='" + kind + "']"));
    }
}
