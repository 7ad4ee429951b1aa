package org.duplex.checker.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a store's migration reads, and the project's own migrations as Flyway will take them. No database. */
class StoreMigrationTest {

    private static final Path DATA = Path.of("..", "ejb", "src", "main", "db");
    private static final Path WITNESS = DATA.resolve("witness");

    @Test
    void readsOnlyTheVersionedFilesDirectlyInTheDirectory(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("V2__b.sql"), "select 2;");
        Files.writeString(dir.resolve("V1__a.sql"), "select 1;");
        Files.writeString(dir.resolve("README.md"), "not a migration");
        Files.createDirectories(dir.resolve("witness"));
        Files.writeString(dir.resolve("witness").resolve("V1__w.sql"), "select 1;");
        assertEquals(List.of("V1__a.sql", "V2__b.sql"),
                StoreMigration.migrationFiles(dir).stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void theProjectsMigrationsAreNumberedWithoutGapsAndUseOnlyThePrimaryNodePlaceholder() throws IOException {
        for (Path dir : List.of(DATA, WITNESS)) {
            List<Path> files = StoreMigration.migrationFiles(dir);
            assertFalse(files.isEmpty(), dir.toString());
            List<Integer> versions = files.stream()
                    .map(p -> Integer.parseInt(p.getFileName().toString().replaceAll("^V(\\d+)__.*$", "$1")))
                    .sorted().toList();
            for (int i = 0; i < versions.size(); i++) {
                assertEquals(i + 1, versions.get(i), dir + ": versions " + versions);
            }
            Pattern placeholder = Pattern.compile("\\$\\{([^}]*)}");
            for (Path file : files) {
                String sql = Files.readString(file);
                Matcher m = placeholder.matcher(sql);
                while (m.find()) {
                    assertEquals("primary_node", m.group(1), file.toString());
                }
                // psql's own syntax would reach PostgreSQL unreplaced under Flyway
                assertFalse(sql.contains(":'"), file + " uses a psql variable");
                assertFalse(sql.contains(StoreMigration.LEGACY_TABLE + " ("), file + " writes the hand-kept version table");
            }
        }
        assertTrue(Files.readString(DATA.resolve("V1__schema.sql")).contains("'${primary_node}'"));
    }
}
