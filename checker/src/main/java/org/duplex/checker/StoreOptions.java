package org.duplex.checker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.duplex.checker.judge.StoreSnapshot;
import org.duplex.checker.store.StoreAddress;
import org.duplex.checker.store.StoreReader;
import picocli.CommandLine.Option;

/** The stores to read and how to log in, shared by {@code verify} and {@code check}. */
final class StoreOptions {

    @Option(names = "--data", required = true, paramLabel = "NAME=[USER@]HOST:PORT[/DB]",
            description = "a data database (db-a, db-b); give both")
    List<String> data = new ArrayList<>();

    @Option(names = "--witness", paramLabel = "NAME=[USER@]HOST:PORT[/DB]",
            description = "an epoch store holding only cluster_state (db-w); optional")
    List<String> witnesses = new ArrayList<>();

    @Option(names = "--user", defaultValue = "duplex", description = "database user (default ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--database", defaultValue = "duplex", description = "database name (default ${DEFAULT-VALUE})")
    String database;

    @Option(names = "--password-file", required = true, paramLabel = "FILE", description = "the database user's password")
    Path passwordFile;

    @Option(names = "--timeout", defaultValue = "3", paramLabel = "SECONDS",
            description = "connect and login deadline per store; statements get twice this (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    List<StoreAddress> addresses() {
        if (data.size() != 2) {
            throw new IllegalArgumentException("give exactly two data databases with --data, not " + data.size());
        }
        List<StoreAddress> all = new ArrayList<>();
        data.forEach(d -> all.add(StoreAddress.parse(d, user, database, true)));
        witnesses.forEach(w -> all.add(StoreAddress.parse(w, user, database, false)));
        return all;
    }

    /** Every store read at once, so a hung one costs its deadline and no more; in the order given. */
    List<StoreSnapshot> read() throws IOException {
        List<StoreAddress> addresses = addresses();
        String password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        StoreReader reader = new StoreReader(password, Math.max(1, timeoutSeconds));
        return addresses.parallelStream().map(reader::read).toList();
    }
}
