package org.duplex.client;

import java.net.URI;
import org.jboss.ejb.client.Affinity;
import org.jboss.ejb.client.AttachmentKey;
import org.jboss.ejb.client.EJBClient;
import org.jboss.ejb.client.EJBClientInterceptor;
import org.jboss.ejb.client.EJBClientInvocationContext;

/**
 * Sends every invocation of a pinned proxy to the node it is pinned to, and nowhere else.
 *
 * <p>Why: WildFly answers the first invocation of a stateless bean in a clustered server with a
 * strong affinity to the whole cluster, and the EJB client then load-balances later calls over all
 * members, whatever affinity the proxy was created with. Duplex decides where a call goes (the node
 * {@code reservation/primary} names), so the destination is set here, before the client's own
 * discovery runs. Registered as a global interceptor through {@code META-INF/services}.
 */
public final class PinnedNodeInterceptor implements EJBClientInterceptor {

    private static final AttachmentKey<URI> PINNED_TO = new AttachmentKey<>();

    /** Pins {@code proxy} to the node at {@code uri}. */
    static void pin(Object proxy, URI uri) {
        EJBClient.putProxyAttachment(proxy, PINNED_TO, uri);
        EJBClient.setStrongAffinity(proxy, Affinity.forUri(uri));
    }

    @Override
    public void handleInvocation(EJBClientInvocationContext context) throws Exception {
        URI pinned = context.getProxyAttachment(PINNED_TO);
        if (pinned != null) {
            context.setLocator(context.getLocator().withNewAffinity(Affinity.forUri(pinned)));
            context.setDestination(pinned);
        }
        context.sendRequest();
    }

    @Override
    public Object handleInvocationResult(EJBClientInvocationContext context) throws Exception {
        return context.getResult();
    }
}
