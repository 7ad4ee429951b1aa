package org.duplex.stock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The stock run's file, written and read by one record type: a real file of the 2026-11-30 bench (written by
 * the hand-built JSON StockLoad had before) reads and writes back character for character.
 */
class StockRunTest {

    @Test
    void aRealRunReadsAndWritesBackAsItWasWritten() throws IOException {
        String written;
        try (InputStream in = StockRunTest.class.getResourceAsStream("stock-run-2026-11-30.json")) {
            written = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        StockRun run = StockRun.read(written);

        assertEquals(604, run.acks().size());
        assertEquals(4, run.errors().size());
        assertEquals(new StockRun.Ack("stock-e14d73b9-1-2", "op-0", 1796078244294L,
                "b84542e1-8ff2-43a3-8faa-0f1ec381a849@node-a"), run.acks().get(0));
        assertEquals("jakarta.ejb.EJBException", run.errors().get(0).type());
        assertEquals(written, run.toJson());
    }

    @Test
    void messagesAreEscapedAndAnEmptyRunHasEmptyLists() {
        StockRun run = new StockRun(1, 2, null, List.of(new StockRun.Failure("c", "op-1", 3, "T", "a \"b\"\n\tc\u0001")));

        assertEquals("{\"startedMs\":1,\"stoppedMs\":2,\"acks\":[],\"errors\":[{\"clientId\":\"c\",\"operationId\":\"op-1\","
                + "\"atMs\":3,\"type\":\"T\",\"message\":\"a \\\"b\\\"\\n\\tc\\u0001\"}]}", run.toJson());
        assertEquals(run, StockRun.read(run.toJson()));
        assertEquals(List.of(), StockRun.read("{\"startedMs\":1}").acks());
    }

    @Test
    void aTornFileIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StockRun.read("{\"startedMs\":1,\"acks\":["));
    }
}
