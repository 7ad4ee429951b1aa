package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The crash watch against real sockets on loopback: a listener that goes away after closing the watched
 * connection is reported, one that only closes the connection (an idle timeout) is not.
 */
class CrashWatchTest {

    @Test
    void aClosedConnectionWhoseListenerIsGoneIsReported() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        String url = "http://127.0.0.1:" + server.getLocalPort();
        CountDownLatch gone = new CountDownLatch(1);
        try (CrashWatch watch = new CrashWatch(() -> url, gone::countDown, Thread::new)) {
            watch.start();
            Socket accepted = server.accept();
            // the process dies: the kernel closes the listener and every connection
            server.close();
            accepted.close();
            assertTrue(gone.await(5, TimeUnit.SECONDS), "a closed connection with nothing listening is reported");
        }
    }

    @Test
    void anIdleCloseByALiveServerIsNotReportedAndTheWatchGoesOn() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + server.getLocalPort();
            AtomicInteger reported = new AtomicInteger();
            try (CrashWatch watch = new CrashWatch(() -> url, reported::incrementAndGet, Thread::new)) {
                watch.start();
                server.accept().close();
                // the reconnect after the close (the check that the port still listens), then the watch's new connection
                server.accept().close();
                Socket third = server.accept();
                assertTrue(third.isConnected(), "the watch connects again after an idle close");
                third.close();
                assertEquals(0, reported.get(), "a server that still listens is not reported");
            }
        }
    }

    @Test
    void nothingIsWatchedWithoutATargetAndTheTargetIsFollowed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicReference<String> target = new AtomicReference<>();
            try (CrashWatch watch = new CrashWatch(target::get, () -> { }, Thread::new)) {
                watch.start();
                server.setSoTimeout(3 * (int) CrashWatch.IDLE_MS);
                assertThrowsTimeout(server);
                target.set("http://127.0.0.1:" + server.getLocalPort());
                server.setSoTimeout(5000);
                server.accept().close();
            }
        }
    }

    @Test
    void addressesComeFromTheHttpBase() {
        assertEquals(new InetSocketAddress("127.0.0.1", 8180), CrashWatch.address("http://127.0.0.1:8180"));
        assertEquals(443, CrashWatch.address("https://198.18.0.11").getPort());
        assertNull(CrashWatch.address("not a url"));
    }

    private static void assertThrowsTimeout(ServerSocket server) throws Exception {
        try {
            server.accept().close();
            throw new AssertionError("the watch connected while it had no target");
        } catch (java.net.SocketTimeoutException expected) {
            // nothing to watch: no connection
        }
    }
}
