package org.duplex.detector;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.duplex.reservation.api.PrimaryBinding;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;

/**
 * Reads and rebinds this node's {@code java:jboss/exported/reservation/primary} through the node's own
 * management API, the same {@code rebind} operation an admin runs with jboss-cli, so the management
 * model and what remote lookups see never disagree. The connection is opened once, over loopback
 * with the server's local authentication, and kept; a jboss-cli process would cost seconds.
 *
 * <p>A rebind waits at most {@value #REBIND_TIMEOUT_MS} ms for the management controller: while another
 * operation holds it (the deployment of this very application, when the detector starts with a stale
 * binding inside a management deploy) it is cancelled and left to the next round, instead of waiting
 * on an operation that waits for this bean to start (a deadlock until the 300 s deploy timeout, seen in
 * the test suite when the other node had been promoted while this one was undeployed).
 */
final class PrimaryBindingWriter implements PrimaryBindings {

    static final long REBIND_TIMEOUT_MS = 2000;

    private final String host;
    private final int port;
    private ModelControllerClient client;

    PrimaryBindingWriter() {
        this.host = System.getProperty("jboss.bind.address.management", "127.0.0.1");
        this.port = Integer.getInteger("duplex.management.port",
                9990 + Integer.getInteger("jboss.socket.binding.port-offset", 0));
    }

    /** The value remote clients see now. */
    @Override
    public String read() throws NamingException {
        Object value = new InitialContext().lookup(PrimaryBinding.JNDI_NAME);
        return value == null ? null : value.toString();
    }

    @Override
    public synchronized void rebind(PrimaryBinding binding) throws IOException {
        ModelNode op = new ModelNode();
        op.get("operation").set("rebind");
        ModelNode address = op.get("address");
        address.add("subsystem", "naming");
        address.add("binding", PrimaryBinding.JNDI_NAME);
        op.get("binding-type").set("simple");
        op.get("type").set(String.class.getName());
        op.get("value").set(binding.format());
        ModelNode result;
        Future<ModelNode> pending = null;
        try {
            pending = client().executeAsync(op, null);
            result = pending.get(REBIND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("the management controller did not take the rebind within " + REBIND_TIMEOUT_MS
                    + " ms (another operation, such as a deployment, holds it); left to the next round");
        } catch (ExecutionException e) {
            close();
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (pending != null) {
                pending.cancel(true);
            }
            throw new IOException("interrupted while rebinding", e);
        } catch (IOException e) {
            close();
            throw e;
        }
        if (!"success".equals(result.get("outcome").asString())) {
            throw new IOException("rebind of " + PrimaryBinding.JNDI_NAME + " failed: "
                    + result.get("failure-description").asString());
        }
    }

    private ModelControllerClient client() throws IOException {
        if (client == null) {
            client = ModelControllerClient.Factory.create("remote+http", host, port);
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                // the connection is being dropped either way
            }
            client = null;
        }
    }
}
