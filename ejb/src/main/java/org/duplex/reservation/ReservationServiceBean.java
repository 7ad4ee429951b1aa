package org.duplex.reservation;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.DeclareRoles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.Remote;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import java.util.Objects;
import java.util.UUID;
import org.duplex.reservation.api.ClientIds;
import org.duplex.reservation.api.ConcurrentUpdateException;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.ForeignClientException;
import org.duplex.reservation.api.Hold;
import org.duplex.reservation.api.NodeInfo;
import org.duplex.reservation.api.OverbookingException;
import org.duplex.reservation.api.ReplicaDivergenceException;
import org.duplex.reservation.api.RequestConflictException;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ReservationResult.Status;
import org.duplex.reservation.api.ReservationService;
import org.duplex.reservation.api.ResourceView;
import org.duplex.reservation.api.UnknownHoldException;
import org.duplex.reservation.api.UnknownReservationException;
import org.duplex.reservation.api.UnknownResourceException;
import org.duplex.reservation.holds.HoldCache;
import org.duplex.reservation.holds.HoldRecord;
import org.duplex.reservation.holds.HoldRules;
import org.duplex.reservation.holds.Holds;
import org.duplex.reservation.holds.ResourceGates;
import org.duplex.reservation.replication.NodeIdentity;
import org.duplex.reservation.replication.Replica;
import org.duplex.reservation.replication.Replicas;

/**
 * The reservation service. Each business method is one container-managed JTA transaction
 * (REQUIRED) that enlists both XA datasources; writes go to both databases through {@link Replicas},
 * behind the epoch fence, and reads come from the node's own database.
 *
 * <p>Access (Elytron, application security domain {@code other}): reservations, their reads included,
 * need role {@code client}; inventory changes need role {@code admin}; inventory and node reads are
 * open to any caller, the anonymous REST reads and the dashboard included. Remote EJB connections
 * authenticate anyway (ApplicationRealm), so an anonymous remote caller never gets this far. A caller
 * acts only for the client ids {@link ClientIds} gives it (its own; an admin's, any): checked here, so
 * the REST API, which calls this bean as its caller, is held to the same rule.
 */
@Stateless
@DeclareRoles({ReservationServiceBean.CLIENT, ReservationServiceBean.ADMIN})
@Remote(ReservationService.class)
public class ReservationServiceBean implements ReservationService {

    /** Makes and reads reservations. */
    public static final String CLIENT = "client";
    /** Changes the inventory; {@code duplex-admin} holds {@code client} too. */
    public static final String ADMIN = "admin";

    /**
     * The first key of the two-key advisory lock serialising the creation of one resource id (the second is
     * the id's hash). Two-key locks never collide with the one-key epoch lock (PostgreSQL keeps them apart
     * by {@code objsubid}).
     */
    private static final int RESOURCE_ID_LOCK = 0x52455321;

    @PersistenceContext(unitName = "db-a")
    private EntityManager dbA;

    @PersistenceContext(unitName = "db-b")
    private EntityManager dbB;

    /** The witness: an epoch store only, locked and checked by degraded writes, never read for data. */
    @jakarta.annotation.Resource(lookup = "java:jboss/datasources/duplex-db-w")
    private DataSource witness;

    @jakarta.annotation.Resource(lookup = "java:jboss/TransactionManager")
    private TransactionManager tm;

    @Inject
    private WriteMeters meters;

    /** Holds: placed, released and listed there; counted here by every write that takes units. */
    @Inject
    private Holds holds;

    @Inject
    private HoldCache holdCache;

    /** Orders the count of a resource's held units against holds placed on this node (docs/holds.md). */
    @Inject
    private ResourceGates gates;

    @jakarta.annotation.Resource
    private TransactionSynchronizationRegistry transactions;

    @jakarta.annotation.Resource
    private SessionContext caller;

    private Replicas replicas;

    @PostConstruct
    void init() {
        replicas = new Replicas(NodeIdentity.fromSystemProperties(), tm, dbA, dbB,
                witness, meters::writeStarted);
    }

    @Override
    @RolesAllowed(ADMIN)
    public ResourceView createResource(String clientId, String operationId, String resourceId, String name,
                                       long capacity) throws DuplexException {
        InventoryRequest request = InventoryRequest.create(clientId, operationId, resourceId, name, capacity);
        long epoch = replicas.fence();
        // a resend racing the original (the client library resends a call slower than its invocation
        // timeout) waits here for it, then finds its answer instead of a key conflict
        replicas.onEach(r -> r.em().createNativeQuery("select count(*) from (select pg_advisory_xact_lock("
                + RESOURCE_ID_LOCK + ", hashtext(?))) id_lock").setParameter(1, resourceId).getSingleResult());
        ResourceView earlier = answeredBefore(request);
        if (earlier != null) {
            return earlier;
        }
        List<Resource> existing = replicas.onEach(r -> r.em().find(Resource.class, resourceId,
                LockModeType.PESSIMISTIC_WRITE));
        if (existing.stream().allMatch(Objects::nonNull)) {
            throw new RequestConflictException("resource " + resourceId + " already exists as " + agreed(existing).view()
                    + "; operation " + operationId + " of client " + clientId + " did not create it");
        }
        if (existing.stream().anyMatch(Objects::nonNull)) {
            throw Replicas.divergence("resource " + resourceId + " exists in only one database");
        }
        List<Resource> created = replicas.onEach(r -> {
            Resource row = new Resource(resourceId, name, capacity);
            r.em().persist(row);
            r.em().flush();
            return row;
        });
        ResourceView answer = replicas.ownRow(created).view();
        String operation = recordOperation(request, answer, epoch);
        // the resource row first: the catch-up replays in order, and the operation row refers to it
        replicas.journal("resource", resourceId);
        replicas.journal("inventory_operation", operation);
        return answer;
    }

    @Override
    @RolesAllowed(ADMIN)
    public ResourceView changeCapacity(String clientId, String operationId, String resourceId, long newCapacity,
                                       long expectedVersion) throws DuplexException {
        InventoryRequest request = InventoryRequest.changeCapacity(clientId, operationId, resourceId, newCapacity,
                expectedVersion);
        long epoch = replicas.fence();
        // the resource rows are locked in db-a then db-b; a resend racing the original waits here and then
        // finds its answer, instead of a version the original has just moved on
        List<Resource> rows = replicas.onEach(r -> r.em().find(Resource.class, resourceId,
                LockModeType.PESSIMISTIC_WRITE));
        Resource current = agreed(requireResource(resourceId, rows));
        ResourceView earlier = answeredBefore(request);
        if (earlier != null) {
            return earlier;
        }
        if (current.version() != expectedVersion) {
            throw new ConcurrentUpdateException("resource " + resourceId + " is at version " + current.version()
                    + ", not " + expectedVersion + "; read it again");
        }
        gates.enterUntilCompletion(resourceId);
        long held = holds.heldUnits(resourceId);
        if (newCapacity < current.reserved() + held) {
            throw new OverbookingException("resource " + resourceId + " has " + current.reserved()
                    + " units reserved" + (held > 0 ? " and " + held + " held" : "") + "; capacity cannot go down to "
                    + newCapacity);
        }
        // optimistic besides: the version in the update's where-clause refuses a concurrent change
        replicas.onEach(r -> {
            Resource row = rows.get(replicas.participants().indexOf(r));
            row.changeCapacity(newCapacity);
            r.em().flush();
            return null;
        });
        ResourceView answer = current.view();
        String operation = recordOperation(request, answer, epoch);
        // the resource row first: the catch-up replays in order, and the operation row refers to it
        replicas.journal("resource", resourceId);
        replicas.journal("inventory_operation", operation);
        return answer;
    }

    @Override
    @PermitAll
    public ResourceView getResource(String resourceId) throws DuplexException {
        RequestRules.id("resourceId", resourceId);
        return view(replicas.own(), resourceId).withHeld(holds.heldUnits(resourceId));
    }

    @Override
    @PermitAll
    public List<ResourceView> listResources() throws DuplexException {
        List<HoldRecord> entries = holdCache.entries();
        return replicas.on(replicas.own(), r -> r.em()
                .createQuery("select r from Resource r order by r.id", Resource.class)
                .getResultList().stream().map(row -> row.view().withHeld(HoldRules.heldUnits(entries, row.id())))
                .toList());
    }

    @Override
    @RolesAllowed(CLIENT)
    public ReservationResult reserve(String clientId, String operationId, String resourceId, int quantity)
            throws DuplexException {
        RequestRules.id("clientId", clientId);
        actingFor(clientId);
        RequestRules.id("operationId", operationId);
        RequestRules.id("resourceId", resourceId);
        RequestRules.quantity(quantity);

        Reservation earlier = byOperation(clientId, operationId);
        if (earlier != null) {
            meters.duplicate();
            return duplicateOf(earlier, resourceId, quantity);
        }
        long epoch = replicas.fence();
        // the resource rows are locked in db-a then db-b; a concurrent resend of the same operation
        // waits here and then finds the first one's reservation
        List<Resource> rows = replicas.onEach(r -> r.em().find(Resource.class, resourceId,
                LockModeType.PESSIMISTIC_WRITE));
        Resource resource = agreed(requireResource(resourceId, rows));
        earlier = byOperation(clientId, operationId);
        if (earlier != null) {
            meters.duplicate();
            return duplicateOf(earlier, resourceId, quantity);
        }
        // held units count too: the gate stays closed to holds on this resource until this transaction ends
        gates.enterUntilCompletion(resourceId);
        long held = holds.heldUnits(resourceId);
        if (!HoldRules.fits(resource.capacity(), resource.reserved(), held, quantity)) {
            throw new OverbookingException("resource " + resourceId + " has " + (resource.available() - held)
                    + " units available" + (held > 0 ? " (" + held + " held)" : "") + "; " + quantity + " requested");
        }
        return writeReservation(rows, UUID.randomUUID().toString(), clientId, operationId, resourceId, quantity, epoch);
    }

    /**
     * Takes {@code quantity} units of the locked resource rows (one per participant) and writes the
     * reservation, the same row in every database this write goes to; journals both in degraded mode.
     */
    private ReservationResult writeReservation(List<Resource> rows, String id, String clientId, String operationId,
                                               String resourceId, int quantity, long epoch) throws DuplexException {
        // microseconds: what PostgreSQL stores, so both copies and the answer agree exactly
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String node = replicas.node().name();
        replicas.onEach(r -> {
            rows.get(replicas.participants().indexOf(r)).reserve(quantity);
            r.em().persist(new Reservation(id, clientId, operationId, resourceId, quantity, now, epoch, node));
            r.em().flush();
            return null;
        });
        replicas.journal("resource", resourceId);
        replicas.journal("reservation", id);
        return new Reservation(id, clientId, operationId, resourceId, quantity, now, epoch, node).result(false);
    }

    @Override
    @RolesAllowed(CLIENT)
    public ReservationResult cancel(String clientId, String operationId, String reservationId)
            throws DuplexException {
        RequestRules.id("clientId", clientId);
        actingFor(clientId);
        RequestRules.id("operationId", operationId);
        RequestRules.id("reservationId", reservationId);

        Reservation target = ownReservation(clientId, reservationId);
        replicas.fence();
        String resourceId = target.resourceId();
        List<Resource> resources = replicas.onEach(r -> r.em().find(Resource.class, resourceId,
                LockModeType.PESSIMISTIC_WRITE));
        agreed(requireResource(resourceId, resources));
        // decide on the row as it is after the lock: the copy read before it (ownReservation) may be stale,
        // and a second cancel racing this one must find it cancelled, not release the units again. Detached
        // first, so that the locking read loads the row afresh instead of checking the stale copy's version.
        replicas.on(replicas.own(), r -> {
            r.em().detach(target);
            return null;
        });
        List<Reservation> rows = replicas.onEach(r -> r.em().find(Reservation.class, reservationId,
                LockModeType.PESSIMISTIC_WRITE));
        if (rows.stream().anyMatch(Objects::isNull)) {
            throw Replicas.divergence("reservation " + reservationId + " is missing in one database");
        }
        Reservation current = replicas.ownRow(rows);
        if (current.status() == Status.CANCELLED) {
            if (operationId.equals(current.cancelOperationId())) {
                meters.duplicate();
                return current.result(true);
            }
            throw new RequestConflictException("reservation " + reservationId + " was already cancelled by operation "
                    + current.cancelOperationId());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        replicas.onEach(r -> {
            int i = replicas.participants().indexOf(r);
            resources.get(i).release(rows.get(i).quantity());
            rows.get(i).cancel(operationId, now);
            r.em().flush();
            return null;
        });
        replicas.journal("resource", resourceId);
        replicas.journal("reservation", reservationId);
        return current.result(false);
    }

    @Override
    @RolesAllowed(CLIENT)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Hold hold(String clientId, String operationId, String resourceId, int quantity, int seconds)
            throws DuplexException {
        RequestRules.id("clientId", clientId);
        actingFor(clientId);
        RequestRules.id("operationId", operationId);
        RequestRules.id("resourceId", resourceId);
        RequestRules.quantity(quantity);
        RequestRules.holdSeconds(seconds);
        return holds.hold(clientId, operationId, resourceId, quantity, seconds);
    }

    /**
     * One XA write, as {@link #reserve}: the reservation gets the hold's id, so a hold can be confirmed
     * once whatever the operation ids (the primary key says so in both databases), and the hold's entry is
     * closed in the cache once the transaction committed.
     */
    @Override
    @RolesAllowed(CLIENT)
    public ReservationResult confirm(String clientId, String operationId, String holdId) throws DuplexException {
        RequestRules.id("clientId", clientId);
        actingFor(clientId);
        RequestRules.id("operationId", operationId);
        RequestRules.id("holdId", holdId);

        Reservation earlier = byOperation(clientId, operationId);
        if (earlier != null) {
            meters.duplicate();
            return confirmedBefore(earlier, holdId);
        }
        long epoch = replicas.fence();
        String node = replicas.node().name();
        HoldRecord found = holds.usable(HoldRules.forUse(holdId, holdCache.live(holdId), holdCache.answer(holdId),
                clientId, node, epoch, System.currentTimeMillis()), epoch);
        String resourceId = found.resourceId();
        List<Resource> rows = replicas.onEach(r -> r.em().find(Resource.class, resourceId,
                LockModeType.PESSIMISTIC_WRITE));
        agreed(requireResource(resourceId, rows));
        gates.enterUntilCompletion(resourceId);
        earlier = byOperation(clientId, operationId);
        if (earlier != null) {
            meters.duplicate();
            return confirmedBefore(earlier, holdId);
        }
        Reservation confirmedBy = replicas.on(replicas.own(), r -> r.em().find(Reservation.class, holdId));
        if (confirmedBy != null) {
            throw new UnknownHoldException("hold " + holdId + " was confirmed by operation " + confirmedBy.operationId());
        }
        // decided again under the gate: a release or the expiry may have come first
        HoldRecord live = holds.usable(HoldRules.forUse(holdId, holdCache.live(holdId), holdCache.answer(holdId),
                clientId, node, epoch, System.currentTimeMillis()), epoch);
        transactions.registerInterposedSynchronization(afterCommit(() -> holds.confirmed(live, operationId)));
        // no capacity check: the held units are this reservation's own
        return writeReservation(rows, holdId, clientId, operationId, resourceId, live.quantity(), epoch);
    }

    @Override
    @RolesAllowed(CLIENT)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Hold release(String clientId, String operationId, String holdId) throws DuplexException {
        RequestRules.id("clientId", clientId);
        actingFor(clientId);
        RequestRules.id("operationId", operationId);
        RequestRules.id("holdId", holdId);
        return holds.release(clientId, operationId, holdId);
    }

    @Override
    @RolesAllowed(CLIENT)
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<Hold> listHolds(String clientId) throws DuplexException {
        RequestRules.id("clientId", clientId);
        actingFor(clientId);
        return holds.list(clientId);
    }

    @Override
    @RolesAllowed(CLIENT)
    public ReservationResult getReservation(String clientId, String reservationId) throws DuplexException {
        RequestRules.id("clientId", clientId);
        actingFor(clientId);
        RequestRules.id("reservationId", reservationId);
        return ownReservation(clientId, reservationId).result(false);
    }

    @Override
    @RolesAllowed(CLIENT)
    public List<ReservationResult> listReservations(String clientId) throws DuplexException {
        RequestRules.id("clientId", clientId);
        actingFor(clientId);
        return replicas.on(replicas.own(), r -> r.em()
                .createNamedQuery(Reservation.BY_CLIENT, Reservation.class)
                .setParameter("clientId", clientId)
                .getResultList().stream().map(res -> res.result(false)).toList());
    }

    @Override
    @PermitAll
    public NodeInfo nodeInfo() throws DuplexException {
        Object[] state = replicas.on(replicas.own(), r -> (Object[]) r.em()
                .createNativeQuery("select epoch, primary_node from cluster_state where id = 1").getSingleResult());
        return new NodeInfo(replicas.node().name(), replicas.node().ownDatabase(), (String) state[1],
                ((Number) state[0]).longValue());
    }

    /**
     * Refuses a caller that asks to act for a client id that is not its own, before anything is read.
     *
     * @throws ForeignClientException the id belongs to another user and the caller is no admin
     */
    private void actingFor(String clientId) throws ForeignClientException {
        String user = caller.getCallerPrincipal() == null ? null : caller.getCallerPrincipal().getName();
        if (!ClientIds.mayActFor(user, caller.isCallerInRole(ADMIN), clientId)) {
            throw new ForeignClientException("user " + user + " may not act for client " + clientId + ", which belongs to "
                    + ClientIds.owner(clientId) + "; a user acts only for client ids of the form <its name>"
                    + ClientIds.SEPARATOR + "<any name>");
        }
    }

    private Reservation byOperation(String clientId, String operationId) throws DuplexException {
        return replicas.on(replicas.own(), r -> r.em()
                .createNamedQuery(Reservation.BY_OPERATION, Reservation.class)
                .setParameter("clientId", clientId)
                .setParameter("operationId", operationId)
                .getResultStream().findFirst().orElse(null));
    }

    /**
     * The answer an inventory write with this request's operation id got, marked duplicate, or null if none
     * was applied. Call it under the lock that a resend racing the original waits on. Every database this
     * write goes to is asked (in degraded mode the lagging database gets these rows only through the
     * catch-up, like every other row).
     *
     * @throws RequestConflictException the operation id was used for another request
     */
    private ResourceView answeredBefore(InventoryRequest request) throws DuplexException {
        List<InventoryOperation> found = replicas.onEach(r -> r.em()
                .createNamedQuery(InventoryOperation.BY_OPERATION, InventoryOperation.class)
                .setParameter("clientId", request.clientId())
                .setParameter("operationId", request.operationId())
                .getResultStream().findFirst().orElse(null));
        InventoryOperation earlier = found.stream().filter(Objects::nonNull).findFirst().orElse(null);
        if (earlier == null) {
            return null;
        }
        request.checkResendOf(earlier.request());
        meters.duplicate();
        return earlier.answer(true);
    }

    /**
     * Records an applied inventory write and its answer, the same row in every database the write goes to.
     *
     * @return the row's id, for the journal in degraded mode
     */
    private String recordOperation(InventoryRequest request, ResourceView answer, long epoch) throws DuplexException {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String node = replicas.node().name();
        replicas.onEach(r -> {
            r.em().persist(new InventoryOperation(id, request, answer, now, epoch, node));
            r.em().flush();
            return null;
        });
        return id;
    }

    /** A resent confirm: the reservation it made, provided it was made from this hold. */
    private static ReservationResult confirmedBefore(Reservation earlier, String holdId) throws RequestConflictException {
        if (!earlier.id().equals(holdId)) {
            throw new RequestConflictException("operation " + earlier.operationId() + " of client " + earlier.clientId()
                    + " was already used for reservation " + earlier.id() + ", not to confirm hold " + holdId
                    + "; use a new operation id for a new request");
        }
        return earlier.reserveResult(true);
    }

    /** Runs {@code action} once the running transaction has committed (never when it rolled back). */
    private static Synchronization afterCommit(Runnable action) {
        return new Synchronization() {
            @Override
            public void beforeCompletion() {
                // nothing to do before the outcome is known
            }

            @Override
            public void afterCompletion(int status) {
                if (status == jakarta.transaction.Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        };
    }

    /** A resent request: the original answer, provided it really is the same request. */
    private static ReservationResult duplicateOf(Reservation earlier, String resourceId, int quantity)
            throws RequestConflictException {
        if (!earlier.resourceId().equals(resourceId) || earlier.quantity() != quantity) {
            throw new RequestConflictException("operation " + earlier.operationId() + " of client "
                    + earlier.clientId() + " was already used to reserve " + earlier.quantity() + " of "
                    + earlier.resourceId() + "; use a new operation id for a new request");
        }
        return earlier.reserveResult(true);
    }

    private Reservation ownReservation(String clientId, String reservationId) throws DuplexException {
        Reservation found = replicas.on(replicas.own(), r -> r.em().find(Reservation.class, reservationId));
        if (found == null || !found.clientId().equals(clientId)) {
            throw new UnknownReservationException("client " + clientId + " has no reservation " + reservationId);
        }
        return found;
    }

    private ResourceView view(Replica replica, String resourceId) throws DuplexException {
        Resource found = replicas.on(replica, r -> r.em().find(Resource.class, resourceId));
        if (found == null) {
            throw new UnknownResourceException("no resource with id " + resourceId);
        }
        return found.view();
    }

    private static List<Resource> requireResource(String resourceId, List<Resource> rows) throws DuplexException {
        if (rows.stream().allMatch(Objects::isNull)) {
            throw new UnknownResourceException("no resource with id " + resourceId);
        }
        if (rows.stream().anyMatch(Objects::isNull)) {
            throw Replicas.divergence("resource " + resourceId + " exists in only one database");
        }
        return rows;
    }

    /** The row both databases hold; refuses to write on top of a difference. */
    private Resource agreed(List<Resource> rows) throws ReplicaDivergenceException {
        Resource first = rows.get(0);
        for (Resource other : rows.subList(1, rows.size())) {
            if (!first.sameAs(other)) {
                throw Replicas.divergence("the databases disagree about resource " + first.id() + ": "
                        + first.view() + " vs " + other.view());
            }
        }
        return replicas.ownRow(rows);
    }
}
