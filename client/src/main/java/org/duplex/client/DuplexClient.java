package org.duplex.client;

import java.io.IOException;
import java.net.URI;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.net.ssl.SSLContext;

import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.Hold;
import org.duplex.reservation.api.NodeInfo;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ReservationService;
import org.duplex.reservation.api.ResourceView;
import org.jboss.ejb.client.EJBClient;
import org.wildfly.security.auth.client.AuthenticationConfiguration;
import org.wildfly.security.auth.client.AuthenticationContext;
import org.wildfly.security.auth.client.MatchRule;
import org.wildfly.security.sasl.SaslMechanismSelector;

/**
 * The failover-aware client of the reservation service, safe for many threads.
 *
 * <p>Each request goes to the node named by the {@code reservation/primary} binding, read over
 * wildfly-naming-client from the bootstrap URLs. When a request fails in a way that may go away (a
 * retryable {@link DuplexException} such as not-primary, or any transport failure: connection
 * refused or closed, timeout, {@code EJBException}, naming failure) the binding is read again and
 * the <em>same</em> request, with the same client id and operation id, is resent after a short
 * backoff (a write the caller gives no operation id, such as {@link #createResource(String, String, long)},
 * gets a fresh one when it is called, and keeps it for all its resends), until the configured deadline has passed since the request began; then a
 * {@link GaveUpException} carries the last cause. The service's exactly-once rule makes every such
 * resend safe for writes. A non-retryable {@link DuplexException} (bad input, overbooking,
 * conflict, a client id of another user's) is thrown at once, and so is an
 * {@link AccessRefusedException}: a node refused the user and password (wrong, or the identity is locked
 * out there by WildFly's brute-force mitigation) or the user lacks the role. Those are never resent,
 * since a resend cannot succeed and each failed login counts towards the lockout.
 *
 * <p>No remote step waits on a hung node for longer than {@code invocationTimeoutMs} (the EJB
 * invocation timeout set on each proxy) plus {@code connectTimeoutMs}: every naming lookup and
 * invocation runs on a worker thread and is abandoned past that bound (its outcome is then unknown,
 * and it is retried like any other failure).
 *
 * <p>Authentication is DIGEST-MD5 with the configured user and password, and only that mechanism,
 * so a client on the server's machine is not silently let in as the local user. The Elytron
 * {@link AuthenticationContext} is applied around every naming and EJB call, not installed
 * JVM-wide, so clients with different users can live in one JVM.
 *
 * <p>Not guaranteed: that a request given up on was not applied (look it up, or resend it with the
 * same operation id); that reads come from the primary's database at the instant of the write.
 */
public final class DuplexClient implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DuplexClient.class.getName());

    /** The standard global JNDI name of the reservation bean in {@code duplex.ear}. */
    public static final String BEAN_NAME =
            "ejb:duplex/duplex-ejb/ReservationServiceBean!" + ReservationService.class.getName();

    static final String INITIAL_CONTEXT_FACTORY = "org.wildfly.naming.client.WildFlyInitialContextFactory";
    /** Read by jboss-ejb-client's EJBRootContext: do not let the naming connection give the proxy a cluster affinity; we pin it. */
    static final String DISABLE_AFFINITY_LEARNING = "jboss.disable-affinity-learning";
    static final String SASL_MECHANISM = "DIGEST-MD5";

    private static final long FIRST_BACKOFF_MS = 20;
    /**
     * The longest pause between two attempts (ms). A failover's last step is the new primary's rebind:
     * a client that sleeps this long after it finds the binding right adds up to this much to its outage
     * (about half on average), while an attempt that finds the binding stale costs one naming lookup.
     */
    private static final long MAX_BACKOFF_MS = 100;
    /** A remote step slower than this is logged: it is what a client-visible outage is made of. */
    private static final long SLOW_STEP_MS = 500;

    /** One remote operation on the service proxy, as the retried calls and {@link #direct(String, RemoteCall)} make it. */
    @FunctionalInterface
    public interface RemoteCall<T> {
        T call(ReservationService service) throws Exception;
    }

    /** One attempt of a retried request; {@code attempt.refresh} says the binding must be read again. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run(AttemptState state) throws Exception;
    }

    /** What one attempt leaves for the next: whether to re-read the binding, and which node just failed. */
    private static final class AttemptState {
        final long deadlineNanos;
        boolean refresh;
        String suspectUrl;
        String urlInUse;

        AttemptState(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final ClientConfig config;
    private final String clientId;
    private final AuthenticationContext auth;
    private final ExecutorService remoteCalls;
    private final long stepTimeoutMs;
    /** Naming contexts for reading the binding, one per bootstrap URL, kept open between calls. */
    private final Map<String, Context> namingContexts = new ConcurrentHashMap<>();
    /** Contexts whose provider URL is a primary's URL, the source of that node's proxy. */
    private final Map<String, Context> ejbContexts = new ConcurrentHashMap<>();
    private final Map<String, ReservationService> proxies = new ConcurrentHashMap<>();
    private final AtomicReference<PrimaryBinding> binding = new AtomicReference<>();
    private final AtomicLong highestEpoch = new AtomicLong();
    /** Index in the bootstrap list of the URL that answered last: tried first next time. */
    private final AtomicInteger preferredBootstrap = new AtomicInteger();
    private final LongAdder retries = new LongAdder();
    private final LongAdder primaryChanges = new LongAdder();
    /** One daemon thread keeping the connections to the other bootstrap nodes open ({@link #keepWarm()}). */
    private final ScheduledExecutorService warmer;
    private final AtomicBoolean warming = new AtomicBoolean();
    /** Bootstrap URLs that refused these credentials while being kept warm: never tried again by the warmer. */
    private final Map<String, Boolean> warmRefused = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * How often, in ms, the connections to the bootstrap nodes other than the primary in use are checked
     * (a read of the binding on each) and opened again when gone.
     */
    static final long WARM_INTERVAL_MS = 2_000;

    /**
     * Prepares the client; connects lazily, on the first call. Needs a user and a readable password
     * file in the configuration; with a {@link ClientConfig#caCertificate() CA certificate}, {@code remote+https}
     * connections trust that CA only.
     *
     * @throws IllegalArgumentException no user is configured
     * @throws IOException the password file or the CA certificate cannot be read
     */
    public DuplexClient(ClientConfig config) throws IOException {
        if (config.user() == null) {
            throw new IllegalArgumentException("no user configured: set " + ClientConfig.USER
                    + "= in the config file, or give --user");
        }
        this.config = config;
        this.clientId = config.user();
        AuthenticationConfiguration credentials = AuthenticationConfiguration.empty()
                .useName(config.user())
                .usePassword(config.readPassword())
                .setSaslMechanismSelector(SaslMechanismSelector.NONE.addMechanism(SASL_MECHANISM));
        AuthenticationContext context = AuthenticationContext.empty().with(MatchRule.ALL, credentials);
        if (config.caCertificate() != null) {
            SSLContext tls = TrustedCa.sslContext(config.caCertificate());
            context = context.withSsl(MatchRule.ALL, () -> tls);
        }
        this.auth = context;
        this.stepTimeoutMs = config.invocationTimeoutMs() + config.connectTimeoutMs();
        this.remoteCalls = Executors.newCachedThreadPool(daemonThreads("duplex-client-remote-"));
        this.warmer = Executors.newSingleThreadScheduledExecutor(daemonThreads("duplex-client-warm-"));
    }

    public ClientConfig config() {
        return config;
    }

    /** Reads {@code reservation/primary} now (from the first bootstrap URL that answers), retrying until the deadline. */
    public PrimaryBinding primary() {
        try {
            return retrying("read " + PrimaryBinding.REMOTE_NAME, state -> readBinding(state));
        } catch (DuplexException e) {
            throw new IllegalStateException("reading the binding cannot be refused", e);
        }
    }

    /** The binding the last request used, without asking anyone; null before the first request. */
    public PrimaryBinding lastKnownPrimary() {
        return binding.get();
    }

    /**
     * Creates a resource under this client's own id ({@link #clientId()}) and a fresh operation id, made once
     * for this call and sent again with every resend: a creation whose answer was lost is answered with
     * that answer, marked {@link ResourceView#duplicate()}, never applied twice nor refused as existing.
     * A caller that must be able to resend across restarts of its own keeps the operation id:
     * {@link #createResource(String, String, String, String, long)}.
     */
    public ResourceView createResource(String resourceId, String name, long capacity) throws DuplexException {
        return createResource(clientId, newOperationId(), resourceId, name, capacity);
    }

    /** Creates a resource, exactly once per {@code (clientId, operationId)}; resent with both until the deadline. */
    public ResourceView createResource(String clientId, String operationId, String resourceId, String name, long capacity)
            throws DuplexException {
        return call("createResource " + clientId + "/" + operationId,
                s -> s.createResource(clientId, operationId, resourceId, name, capacity));
    }

    /**
     * Changes a resource's capacity from the version the caller read, under this client's own id and a
     * fresh operation id made once for this call and sent again with every resend: a change whose answer
     * was lost is answered with that answer, marked {@link ResourceView#duplicate()}, not refused because
     * it moved the version itself.
     */
    public ResourceView changeCapacity(String resourceId, long newCapacity, long expectedVersion) throws DuplexException {
        return changeCapacity(clientId, newOperationId(), resourceId, newCapacity, expectedVersion);
    }

    /** Changes a resource's capacity, exactly once per {@code (clientId, operationId)}; resent with both until the deadline. */
    public ResourceView changeCapacity(String clientId, String operationId, String resourceId, long newCapacity,
                                       long expectedVersion) throws DuplexException {
        return call("changeCapacity " + clientId + "/" + operationId,
                s -> s.changeCapacity(clientId, operationId, resourceId, newCapacity, expectedVersion));
    }

    /**
     * The client id this client's inventory writes carry when the caller gives none: the configured user,
     * so that its operations are told apart from other users' (operation ids are random UUIDs besides).
     */
    public String clientId() {
        return clientId;
    }

    private static String newOperationId() {
        return UUID.randomUUID().toString();
    }

    public ResourceView getResource(String resourceId) throws DuplexException {
        return call("getResource " + resourceId, s -> s.getResource(resourceId));
    }

    public List<ResourceView> listResources() throws DuplexException {
        return call("listResources", ReservationService::listResources);
    }

    public ReservationResult reserve(String clientId, String operationId, String resourceId, int quantity)
            throws DuplexException {
        return call("reserve " + clientId + "/" + operationId,
                s -> s.reserve(clientId, operationId, resourceId, quantity));
    }

    public ReservationResult cancel(String clientId, String operationId, String reservationId) throws DuplexException {
        return call("cancel " + clientId + "/" + operationId, s -> s.cancel(clientId, operationId, reservationId));
    }

    public ReservationResult getReservation(String clientId, String reservationId) throws DuplexException {
        return call("getReservation " + reservationId, s -> s.getReservation(clientId, reservationId));
    }

    public List<ReservationResult> listReservations(String clientId) throws DuplexException {
        return call("listReservations " + clientId, s -> s.listReservations(clientId));
    }

    /**
     * Holds units of a resource for {@code seconds}, exactly once per {@code (clientId, operationId)}; resent
     * with both until the deadline, also while the service answers {@code holds-unavailable} (the other node
     * absent), so a caller that must not wait gives a short deadline.
     */
    public Hold hold(String clientId, String operationId, String resourceId, int quantity, int seconds)
            throws DuplexException {
        return call("hold " + clientId + "/" + operationId,
                s -> s.hold(clientId, operationId, resourceId, quantity, seconds));
    }

    /** Turns a live hold into a reservation, exactly once per {@code (clientId, operationId)}; resent until the deadline. */
    public ReservationResult confirm(String clientId, String operationId, String holdId) throws DuplexException {
        return call("confirm " + clientId + "/" + operationId, s -> s.confirm(clientId, operationId, holdId));
    }

    /** Gives a live hold back, exactly once per {@code (clientId, operationId)}; resent until the deadline. */
    public Hold release(String clientId, String operationId, String holdId) throws DuplexException {
        return call("release " + clientId + "/" + operationId, s -> s.release(clientId, operationId, holdId));
    }

    /** The client's live holds, soonest expiry first. */
    public List<Hold> listHolds(String clientId) throws DuplexException {
        return call("listHolds " + clientId, s -> s.listHolds(clientId));
    }

    /** Asks the primary which node it is and what it believes about the cluster. */
    public NodeInfo nodeInfo() throws DuplexException {
        return call("nodeInfo", ReservationService::nodeInfo);
    }

    /**
     * One call on the node at {@code url}, whatever the binding says: no re-read of the binding, no
     * retry, no failover. For diagnostics and tests (does a demoted node really refuse writes?).
     */
    public <T> T direct(String url, RemoteCall<T> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.deadlineMs());
        ReservationService service = proxy(url, deadline);
        return remote(() -> call.call(service), deadline);
    }

    /** Attempts resent after a failure, over the life of this client. */
    public long retries() {
        return retries.sum();
    }

    /** Times a binding with a higher epoch than any seen before was read, after the first one. */
    public long primaryChanges() {
        return primaryChanges.sum();
    }

    /** Closes every naming context and stops the worker threads; calls after this fail. */
    @Override
    public void close() {
        closed = true;
        List<Context> all = new ArrayList<>(namingContexts.values());
        all.addAll(ejbContexts.values());
        namingContexts.clear();
        ejbContexts.clear();
        proxies.clear();
        for (Context c : all) {
            closeQuietly(c);
        }
        warmer.shutdownNow();
        remoteCalls.shutdownNow();
    }

    // ---------------------------------------------------------------- retry loop

    private <T> T call(String what, RemoteCall<T> op) throws DuplexException {
        return retrying(what, state -> {
            PrimaryBinding primary = state.refresh || binding.get() == null ? readBinding(state) : binding.get();
            state.urlInUse = primary.url();
            ReservationService service = proxy(primary.url(), state.deadlineNanos);
            return remote(() -> op.call(service), state.deadlineNanos);
        });
    }

    private <T> T retrying(String what, Attempt<T> attempt) throws DuplexException {
        long start = System.nanoTime();
        AttemptState state = new AttemptState(start + TimeUnit.MILLISECONDS.toNanos(config.deadlineMs()));
        long backoffMs = FIRST_BACKOFF_MS;
        Throwable last = null;
        DuplexException lastRefusal = null;
        int attempts = 0;
        while (true) {
            if (closed) {
                throw new IllegalStateException("DuplexClient is closed");
            }
            attempts++;
            state.urlInUse = null;
            try {
                return attempt.run(state);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GaveUpException(what, attempts, elapsedMs(start), e);
            } catch (Exception e) {
                DuplexException refused = duplexCause(e);
                if (refused != null && !refused.retryable()) {
                    throw refused;
                }
                AccessRefusedException denied = accessRefused(e, state.urlInUse);
                if (denied != null) {
                    // neither the password nor the roles change by resending, and every resend with a wrong
                    // password counts towards the node's lockout of this identity: refused at once
                    throw denied;
                }
                // retryable refusal, or a transport failure whose outcome is unknown: resending is safe
                last = refused != null ? refused : e;
                if (refused != null) {
                    lastRefusal = refused;
                }
                LOG.log(Level.INFO, what + " attempt " + attempts + " failed, resending: " + GaveUpException.describe(last));
            }
            state.refresh = true;
            if (state.urlInUse != null) {
                state.suspectUrl = state.urlInUse;
            }
            long now = System.nanoTime();
            if (now + TimeUnit.MILLISECONDS.toNanos(backoffMs) >= state.deadlineNanos) {
                throw new GaveUpException(what, attempts, elapsedMs(start), reason(last, lastRefusal));
            }
            retries.increment();
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GaveUpException(what, attempts, elapsedMs(start), e);
            }
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
    }

    /** The refusal of this client's credentials or rights that {@code failure} is, or null when it is none. */
    private AccessRefusedException accessRefused(Exception failure, String url) {
        if (failure instanceof AccessRefusedException already) {
            return already;
        }
        AccessRefusedException.Reason reason = AccessFailures.classify(failure);
        return reason == null ? null : new AccessRefusedException(reason, config.user(), nodeName(url), failure);
    }

    /** A node as this client knows it: its name from the binding when the binding names that URL, and the URL. */
    private String nodeName(String url) {
        if (url == null) {
            return "the cluster";
        }
        PrimaryBinding known = binding.get();
        return known != null && url.equals(known.url()) ? known.node() + " (" + url + ")" : url;
    }

    private static DuplexException duplexCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof DuplexException d) {
                return d;
            }
        }
        return null;
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    // ---------------------------------------------------------------- binding and proxies

    /**
     * Reads the binding from the bootstrap URLs: the one that answered last first, the node that just
     * failed last (its binding may be stale, and it may be hung).
     */
    private PrimaryBinding readBinding(AttemptState state) throws Exception {
        List<String> urls = config.bootstrap();
        List<String> order = new ArrayList<>(urls.size());
        int first = Math.floorMod(preferredBootstrap.get(), urls.size());
        for (int i = 0; i < urls.size(); i++) {
            order.add(urls.get((first + i) % urls.size()));
        }
        if (state.suspectUrl != null && order.remove(state.suspectUrl)) {
            order.add(state.suspectUrl);
        }
        Exception last = null;
        for (String url : order) {
            try {
                Object value = remote(() -> namingContext(url).lookup(PrimaryBinding.REMOTE_NAME), state.deadlineNanos);
                PrimaryBinding read = PrimaryBinding.parse(value == null ? null : value.toString());
                preferredBootstrap.set(urls.indexOf(url));
                noteBinding(read);
                startKeepingWarm();
                return read;
            } catch (InterruptedException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                last = new IllegalStateException("bad value of " + PrimaryBinding.REMOTE_NAME + " at " + url + ": "
                        + e.getMessage(), e);
            } catch (Exception e) {
                AccessRefusedException denied = accessRefused(e, url);
                if (denied != null) {
                    // the other nodes check the same credentials: asking them too would only count more failures
                    dropNamingContext(url);
                    throw denied;
                }
                LOG.log(Level.INFO, "reading " + PrimaryBinding.REMOTE_NAME + " from " + url + " failed: "
                        + GaveUpException.describe(e));
                last = e;
                dropNamingContext(url);
            }
        }
        throw last != null ? last : new IllegalStateException("no bootstrap URL configured");
    }

    /**
     * From the first binding read on (the credentials have then been accepted once), keeps a connection
     * open to every bootstrap node: on a failover the binding is read from, and the call sent to, a node
     * whose TCP connection, TLS session and SASL login are already done, instead of paying for the three
     * at the moment of the outage. Every {@link #WARM_INTERVAL_MS} ms it reads the binding on each bootstrap
     * URL but the primary in use; a URL that fails is closed, to be opened again on the next round (a
     * restarted node is warm again within one interval of serving). A URL that refuses these credentials
     * is left alone from then on: retrying it would only count failed logins towards its lockout.
     */
    private void startKeepingWarm() {
        if (config.bootstrap().size() > 1 && warming.compareAndSet(false, true)) {
            warmer.scheduleWithFixedDelay(this::keepWarm, 0, WARM_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void keepWarm() {
        PrimaryBinding inUse = binding.get();
        for (String url : config.bootstrap()) {
            if (closed || Thread.currentThread().isInterrupted()) {
                return;
            }
            if ((inUse != null && url.equals(inUse.url())) || warmRefused.containsKey(url)) {
                continue;
            }
            try {
                remote(() -> namingContext(url).lookup(PrimaryBinding.REMOTE_NAME),
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stepTimeoutMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (accessRefused(e, url) != null) {
                    warmRefused.put(url, Boolean.TRUE);
                    LOG.warning("keeping a connection to " + url + " open: these credentials are refused there; "
                            + "not tried again by this client: " + GaveUpException.describe(e));
                } else {
                    LOG.log(Level.FINE, () -> "keeping a connection to " + url + " open failed: " + GaveUpException.describe(e));
                }
                dropNamingContext(url);
            }
        }
    }

    private void noteBinding(PrimaryBinding read) {
        binding.set(read);
        long seen = highestEpoch.get();
        while (read.epoch() > seen) {
            if (highestEpoch.compareAndSet(seen, read.epoch())) {
                if (seen != 0) {
                    primaryChanges.increment();
                }
                return;
            }
            seen = highestEpoch.get();
        }
    }

    private ReservationService proxy(String url, long deadlineNanos) throws Exception {
        ReservationService cached = proxies.get(url);
        if (cached != null) {
            return cached;
        }
        Context context = context(ejbContexts, url);
        // an ejb: lookup builds the proxy locally; it goes through remote() only for the time bound
        ReservationService proxy = (ReservationService) remote(() -> context.lookup(BEAN_NAME), deadlineNanos);
        // pinned: the EJB client must not pick another cluster member on its own, the binding decides
        PinnedNodeInterceptor.pin(proxy, URI.create(url));
        // EJBClient.setInvocationTimeout(Object, long, TimeUnit) exists in the jboss-ejb-client shipped in
        // wildfly-client-all 39.0.1.Final (checked with javap), so the per-proxy API is used rather than
        // the context property "invocation.timeout": a call to a hung node fails after this long
        EJBClient.setInvocationTimeout(proxy, config.invocationTimeoutMs(), TimeUnit.MILLISECONDS);
        ReservationService raced = proxies.putIfAbsent(url, proxy);
        return raced != null ? raced : proxy;
    }

    private Context namingContext(String url) throws Exception {
        return context(namingContexts, url);
    }

    private Context context(Map<String, Context> contexts, String url) throws Exception {
        Context existing = contexts.get(url);
        if (existing != null) {
            return existing;
        }
        synchronized (contexts) {
            existing = contexts.get(url);
            if (existing != null) {
                return existing;
            }
            Hashtable<String, Object> env = new Hashtable<>();
            env.put(Context.INITIAL_CONTEXT_FACTORY, INITIAL_CONTEXT_FACTORY);
            env.put(Context.PROVIDER_URL, url);
            env.put(DISABLE_AFFINITY_LEARNING, "true");
            Context created = authenticated(() -> new InitialContext(env));
            contexts.put(url, created);
            return created;
        }
    }

    private void dropNamingContext(String url) {
        Context dropped = namingContexts.remove(url);
        if (dropped != null) {
            closeQuietly(dropped);
        }
    }

    private static void closeQuietly(Context c) {
        try {
            c.close();
        } catch (NamingException e) {
            // closing a context whose connection is already gone: nothing left to release
        }
    }

    /**
     * Why a request was given up: the last failure, unless that was only the deadline cutting an attempt
     * short after the service had refused with a reason; then that refusal (the deadline attached as
     * suppressed), which is what the caller can act on.
     */
    static Throwable reason(Throwable last, DuplexException lastRefusal) {
        boolean cutByDeadline = last instanceof DeadlineReached || (last != null && last.getCause() instanceof DeadlineReached);
        if (cutByDeadline && lastRefusal != null) {
            lastRefusal.addSuppressed(last);
            return lastRefusal;
        }
        return last;
    }

    /** An attempt stopped because the request's deadline came, not because the node was slower than a step may be. */
    static final class DeadlineReached extends TimeoutException {
        private static final long serialVersionUID = 1L;

        DeadlineReached(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- bounded, authenticated remote steps

    /**
     * Runs one remote step on a worker thread under this client's credentials, and stops waiting for
     * it after {@code invocationTimeoutMs + connectTimeoutMs} or at the deadline, whichever is sooner.
     */
    private <T> T remote(Callable<T> step, long deadlineNanos) throws Exception {
        if (closed) {
            throw new IllegalStateException("DuplexClient is closed");
        }
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        long waitMs = Math.max(1, Math.min(stepTimeoutMs, remainingMs));
        Future<T> future = remoteCalls.submit(() -> authenticated(step));
        long started = System.nanoTime();
        try {
            T result = future.get(waitMs, TimeUnit.MILLISECONDS);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (tookMs > SLOW_STEP_MS) {
                LOG.info("a remote step took " + tookMs + " ms");
            }
            return result;
        } catch (TimeoutException e) {
            future.cancel(true);
            if (waitMs < stepTimeoutMs) {
                throw new DeadlineReached("the retry deadline came " + waitMs + " ms into this attempt");
            }
            throw new TimeoutException("no answer within " + waitMs + " ms (node hung or unreachable?)");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (ejbClientAssertion(cause)) {
                // with -ea, jboss-ejb-client's own state check fails when no node could take the invocation
                // (WFLY-13102 treats it as expected there): the outcome is unknown, so resend like a lost answer
                throw new IllegalStateException("the EJB client's invocation failed its internal state check"
                        + " (no node could take it); resending", cause);
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** An {@code assert} of jboss-ejb-client's own (only with -ea), as opposed to an error of the JVM or of Duplex. */
    static boolean ejbClientAssertion(Throwable t) {
        return t instanceof AssertionError && t.getStackTrace().length > 0
                && t.getStackTrace()[0].getClassName().startsWith("org.jboss.ejb.client.");
    }

    private <T> T authenticated(Callable<T> step) throws Exception {
        try {
            return auth.run((PrivilegedExceptionAction<T>) step::call);
        } catch (PrivilegedActionException e) {
            throw e.getException();
        }
    }

    /** Daemon threads named {@code prefix} + a count from 1. */
    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
