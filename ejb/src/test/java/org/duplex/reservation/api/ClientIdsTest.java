package org.duplex.reservation.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientIdsTest {

    @Test
    void aQualifiedIdBelongsToTheUserBeforeTheFirstSeparator() {
        assertEquals("alice", ClientIds.owner("alice:cli"));
        assertEquals("alice", ClientIds.owner("alice:loadgen:1"));
        assertEquals("", ClientIds.owner(":x"));
    }

    @Test
    void anUnqualifiedIdBelongsToTheSharedUser() {
        assertEquals(ClientIds.SHARED_USER, ClientIds.owner("loadgen-96f12c29-0"));
        assertEquals(ClientIds.SHARED_USER, ClientIds.owner("alice"));
    }

    @Test
    void aUserActsForItsOwnIdsOnly() {
        assertTrue(ClientIds.mayActFor("alice", false, "alice:cli"));
        assertFalse(ClientIds.mayActFor("alice", false, "bob:cli"));
        assertFalse(ClientIds.mayActFor("alice", false, "alice"), "unqualified ids are the shared user's");
        assertFalse(ClientIds.mayActFor("alice", false, "it-1234"));
        assertFalse(ClientIds.mayActFor("alicex", false, "alice:cli"), "a prefix of a name is not the name");
        assertFalse(ClientIds.mayActFor("", false, ":x"), "an empty owner is nobody");
    }

    @Test
    void theSharedUserKeepsTheUnqualifiedIdsAndNothingElse() {
        assertTrue(ClientIds.mayActFor(ClientIds.SHARED_USER, false, "it-1234"));
        assertTrue(ClientIds.mayActFor(ClientIds.SHARED_USER, false, "duplex-client:x"));
        assertFalse(ClientIds.mayActFor(ClientIds.SHARED_USER, false, "alice:cli"));
    }

    @Test
    void anAdminActsForAnyoneAndAnonymousForNoOne() {
        assertTrue(ClientIds.mayActFor("duplex-admin", true, "alice:cli"));
        assertTrue(ClientIds.mayActFor("duplex-admin", true, "it-1"));
        assertFalse(ClientIds.mayActFor(null, false, "it-1"));
    }

    @Test
    void idsAUserBuildsAreItsOwn() {
        assertEquals("loadgen-1-0", ClientIds.of(ClientIds.SHARED_USER, "loadgen-1-0"));
        assertEquals("alice:loadgen-1-0", ClientIds.of("alice", "loadgen-1-0"));
        for (String user : new String[] {"alice", "bob.smith", ClientIds.SHARED_USER}) {
            assertTrue(ClientIds.mayActFor(user, false, ClientIds.of(user, "x")), user);
        }
        assertThrows(IllegalArgumentException.class, () -> ClientIds.of("a:b", "x"));
    }
}
