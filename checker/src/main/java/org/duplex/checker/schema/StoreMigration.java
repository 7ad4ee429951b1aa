package org.duplex.checker.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.duplex.checker.store.StoreAddress;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings one store's schema up to date with Flyway: each {@code V<n>__*.sql} directly in the migrations directory
 * that the store's {@code flyway_schema_history} does not list, in version order, each in a transaction of its own.
 * {@code ${primary_node}} in a migration is the node the first cluster state names primary.
 *
 * <p>A store set up before Flyway holds the hand-kept {@code schema_version} table instead of Flyway's history:
 * Flyway then baselines it at the highest version recorded there and applies only the later migrations. A store
 * that holds tables but neither history is refused, never guessed at.
 */
public final class StoreMigration {

    /** The table ./duplex kept by hand before Flyway: one row per version applied. */
    static final String LEGACY_TABLE = "schema_version";

    private StoreMigration() {
    }

    /** One migration applied: its version and the file it came from. */
    public record Applied(String version, String file) {
    }

    /**
     * Migrates {@code store}.
     *
     * @param migrations     the directory of the store's migrations; its subdirectories are not read (the data
     *                       databases' directory holds the witness's in {@code witness/})
     * @param primaryNode    the value of {@code ${primary_node}}
     * @param timeoutSeconds connect and login deadline; each statement may take 40 times as long
     * @return the migrations applied now, in order (none when the store was up to date)
     * @throws org.flywaydb.core.api.FlywayException a migration failed (rolled back) or the store's history does
     *                                                not match the files
     * @throws SQLException    the store could not be read before migrating
     * @throws IOException     the directory could not be read
     */
    public static List<Applied> migrate(StoreAddress store, String password, Path migrations, String primaryNode,
                                        int timeoutSeconds) throws SQLException, IOException {
        String url = store.jdbcUrl() + "?connectTimeout=" + timeoutSeconds + "&loginTimeout=" + timeoutSeconds
                + "&socketTimeout=" + timeoutSeconds * 40 + "&ApplicationName=duplex-migrate";
        Integer legacy = legacyVersion(url, store.user(), password);
        Path flat = Files.createTempDirectory("duplex-migrations-");
        try {
            // Flyway scans a location recursively: only the files directly in the directory are this store's
            for (Path file : migrationFiles(migrations)) {
                Files.copy(file, flat.resolve(file.getFileName()));
            }
            FluentConfiguration config = Flyway.configure()
                    .dataSource(url, store.user(), password)
                    .locations("filesystem:" + flat)
                    .placeholders(Map.of("primary_node", primaryNode))
                    .validateMigrationNaming(true)
                    .failOnMissingLocations(true);
            if (legacy != null) {
                config.baselineOnMigrate(true).baselineVersion(legacy.toString())
                        .baselineDescription(LEGACY_TABLE + " " + legacy + ", applied before Flyway");
            }
            MigrateResult result = config.load().migrate();
            List<Applied> applied = new ArrayList<>();
            for (MigrateOutput m : result.migrations) {
                applied.add(new Applied(m.version, Path.of(m.filepath).getFileName().toString()));
            }
            return applied;
        } finally {
            try (Stream<Path> files = Files.walk(flat)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The {@code V<n>__*.sql} files directly in {@code dir}. */
    static List<Path> migrationFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "V*__*.sql")) {
            entries.forEach(p -> {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return files;
    }

    /** The highest {@code schema_version} of a store set up before Flyway; null for any other store. */
    private static Integer legacyVersion(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(url, props); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select to_regclass('flyway_schema_history') is not null,"
                    + " to_regclass('" + LEGACY_TABLE + "') is not null")) {
                rs.next();
                if (rs.getBoolean(1) || !rs.getBoolean(2)) {
                    return null;
                }
            }
            try (ResultSet rs = s.executeQuery("select max(version) from " + LEGACY_TABLE)) {
                rs.next();
                int version = rs.getInt(1);
                return rs.wasNull() ? null : version;
            }
        }
    }
}
