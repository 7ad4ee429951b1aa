package org.duplex.detector;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Notices a crashed primary at once instead of at the next heartbeat round: it holds an idle TCP
 * connection open to the primary's HTTP port and blocks reading it. A process that dies (kill -9, a
 * crash, an orderly stop) has its sockets closed by the kernel, so the read ends at once; if a new
 * connection to the same port is then refused, nothing listens there any more and the watch asks for
 * a detector round now ({@code onGone}). The round decides as always (two refused heartbeats are a
 * process gone, see {@link Detector}): the watch only makes it come sooner, it never promotes by itself.
 *
 * <p>A paused process (SIGSTOP) or a dropped link leaves the connection open and silent: the watch
 * sees nothing and the liveness tick decides, as before. The server closing the idle connection on
 * its own (Undertow's {@code no-request-timeout}) ends the read too, but the reconnect then succeeds
 * and the watch goes on with the new connection.
 *
 * <p>The "connection the backup keeps open to the primary" of issue 14; the idea is the one of
 * TCP-based failure detectors that treat a reset connection as a crash hint, never as a verdict
 * (Chandra and Toueg's unreliable failure detectors, 1996: a hint may be wrong, the round checks it).
 */
final class CrashWatch implements Runnable, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CrashWatch.class.getName());
    /** How long one blocking read waits before the watch looks whether its target changed (ms). */
    static final int READ_SLICE_MS = 500;
    /** How long a connect may take (ms); on loopback or a LAN it answers in well under that. */
    static final int CONNECT_TIMEOUT_MS = 1000;
    /** The pause between two attempts while there is nothing to watch or the target refuses (ms). */
    static final long IDLE_MS = 200;

    private final Supplier<String> target;
    private final Runnable onGone;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Socket socket;

    /**
     * @param target the HTTP base URL ({@code http://host:port}) of the node to watch now, or null when
     *               there is none (this node is primary, or the state is unknown); asked again after every
     *               read slice, so a change of primary is followed within {@value #READ_SLICE_MS} ms
     * @param onGone called when the watched connection ended and the port then refused a new one
     * @param threads where the watch's one thread comes from (the container's managed thread factory)
     */
    CrashWatch(Supplier<String> target, Runnable onGone, ThreadFactory threads) {
        this.target = target;
        this.onGone = onGone;
        this.thread = threads.newThread(this);
        this.thread.setName("duplex-crash-watch");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (!closed) {
            String url = target.get();
            InetSocketAddress address = url == null ? null : address(url);
            if (address == null) {
                pause();
                continue;
            }
            try {
                watch(url, address);
            } catch (ConnectException e) {
                // nothing listens: the round will see it too; look again after a pause, not in a tight loop
                pause();
            } catch (IOException e) {
                LOG.log(Level.FINE, "crash watch of " + url + ": " + e);
                pause();
            }
        }
    }

    /** Holds one connection to {@code address} until it ends or the target changes. */
    private void watch(String url, InetSocketAddress address) throws IOException {
        try (Socket s = new Socket()) {
            socket = s;
            s.connect(address, CONNECT_TIMEOUT_MS);
            s.setSoTimeout(READ_SLICE_MS);
            InputStream in = s.getInputStream();
            byte[] sink = new byte[256];
            while (!closed && url.equals(target.get())) {
                int n;
                try {
                    n = in.read(sink);
                } catch (SocketTimeoutException idle) {
                    continue;
                } catch (IOException reset) {
                    n = -1;
                }
                if (n < 0) {
                    ended(address);
                    return;
                }
            }
        } finally {
            socket = null;
        }
    }

    /** The connection ended: a refused reconnect means the process is gone. */
    private void ended(InetSocketAddress address) {
        try (Socket probe = new Socket()) {
            probe.connect(address, CONNECT_TIMEOUT_MS);
            // still listening: the server closed an idle connection; watch on
        } catch (IOException refused) {
            LOG.fine(() -> "crash watch: " + address + " closed the watched connection and refuses new ones");
            onGone.run();
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(IDLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    static InetSocketAddress address(String httpBase) {
        try {
            URI uri = URI.create(httpBase);
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return uri.getHost() == null ? null : new InetSocketAddress(uri.getHost(), port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Stops the watch: closes its connection and ends its thread. */
    @Override
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        thread.interrupt();
    }
}
