package org.duplex.reservation.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.duplex.reservation.replication.InDoubtRule.Branch;
import org.duplex.reservation.replication.InDoubtRule.Commit;
import org.duplex.reservation.replication.InDoubtRule.CommitWithLagging;
import org.duplex.reservation.replication.InDoubtRule.Decision;
import org.duplex.reservation.replication.InDoubtRule.Kind;
import org.duplex.reservation.replication.InDoubtRule.Participant;
import org.duplex.reservation.replication.InDoubtRule.Rollback;
import org.duplex.reservation.replication.InDoubtRule.Wait;
import org.junit.jupiter.api.Test;

class InDoubtRuleTest {

    private static Participant p(String store, Branch branch, boolean locked) {
        return new Participant(store, branch, locked);
    }

    private static Decision write(Participant... ps) {
        return InDoubtRule.decide(Kind.WRITE, List.of(ps), null);
    }

    @Test
    void everyParticipantPreparedCommitsNeverPresumesAbort() {
        assertInstanceOf(Commit.class, write(p("db-a", Branch.PREPARED, false), p("db-b", Branch.PREPARED, false)));
        assertInstanceOf(Commit.class, InDoubtRule.decide(Kind.STATE_CHANGE, List.of(p("db-a", Branch.PREPARED, false),
                p("db-b", Branch.PREPARED, false), p("db-w", Branch.PREPARED, false)), null));
    }

    @Test
    void aCommittedSiblingCommitsEvenBesideAnAbsentLockedBranch() {
        // the absent one lost its branch (or was never repaired): the coordinator had decided commit
        assertInstanceOf(Commit.class, write(p("db-a", Branch.COMMITTED, false), p("db-b", Branch.ABSENT, true)));
        assertInstanceOf(Commit.class, write(p("db-a", Branch.COMMITTED, false), p("db-b", Branch.UNREADABLE, false)));
        assertInstanceOf(Commit.class, InDoubtRule.decide(Kind.STATE_CHANGE, List.of(p("db-a", Branch.COMMITTED, false),
                p("db-b", Branch.UNREADABLE, false), p("db-w", Branch.PREPARED, false)), null));
    }

    @Test
    void rollsBackOnlyWhenAnAbsentBranchIsLockedByTheFinisher() {
        assertInstanceOf(Rollback.class, write(p("db-a", Branch.PREPARED, false), p("db-b", Branch.ABSENT, true)));
        assertInstanceOf(Rollback.class, InDoubtRule.decide(Kind.STATE_CHANGE, List.of(p("db-a", Branch.PREPARED, false),
                p("db-b", Branch.UNREADABLE, false), p("db-w", Branch.ABSENT, true)), null));
    }

    @Test
    void anAbsentBranchWhoseLockIsNotHeldWaitsForTheCoordinator() {
        assertInstanceOf(Wait.class, write(p("db-a", Branch.PREPARED, false), p("db-b", Branch.ABSENT, false)));
    }

    @Test
    void aWriteWithAnUnreadableDataDatabaseCommitsOnlyByATakeoverNamingItLagging() {
        assertEquals("db-b", ((CommitWithLagging) write(p("db-a", Branch.PREPARED, false),
                p("db-b", Branch.UNREADABLE, false))).database());
        assertInstanceOf(Commit.class, InDoubtRule.decide(Kind.WRITE,
                List.of(p("db-a", Branch.PREPARED, false), p("db-b", Branch.UNREADABLE, false)), "db-b"));
        assertInstanceOf(Wait.class, InDoubtRule.decide(Kind.WRITE,
                List.of(p("db-a", Branch.UNREADABLE, false), p("db-b", Branch.PREPARED, false)), "db-b"));
    }

    @Test
    void aWriteWithTheWitnessOrBothDatabasesUnreadableWaits() {
        assertInstanceOf(Wait.class, write(p("db-a", Branch.PREPARED, false), p("db-w", Branch.UNREADABLE, false)));
        assertInstanceOf(Wait.class, write(p("db-a", Branch.UNREADABLE, false), p("db-b", Branch.UNREADABLE, false)));
    }

    @Test
    void aStateChangeWithAnUnreadableParticipantWaits() {
        assertInstanceOf(Wait.class, InDoubtRule.decide(Kind.STATE_CHANGE, List.of(p("db-a", Branch.PREPARED, false),
                p("db-b", Branch.UNREADABLE, false), p("db-w", Branch.PREPARED, false)), null));
    }
}
