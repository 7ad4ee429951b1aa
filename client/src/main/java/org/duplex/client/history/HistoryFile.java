package org.duplex.client.history;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.adapter.JsonbAdapter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A history as JSON Lines: one {@link HistoryRecord} per line, written with JSON-B and flushed line by
 * line, so a run that crashes leaves a readable prefix. Reading tolerates a torn last line (the one a
 * crash cut off) and nothing else: a line in the middle that does not parse is an error.
 *
 * <p>Writing is safe for many threads; each record lands on its own line, in completion order.
 */
public final class HistoryFile implements AutoCloseable {

    private static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withAdapters(new TypeName(), new OutcomeName()));

    private final Path path;
    private final BufferedWriter out;

    private HistoryFile(Path path, BufferedWriter out) {
        this.path = path;
        this.out = out;
    }

    /** Creates (or truncates) the file, with its parent directories. */
    public static HistoryFile create(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        return new HistoryFile(absolute, Files.newBufferedWriter(absolute, StandardCharsets.UTF_8));
    }

    public Path path() {
        return path;
    }

    /** Appends one record as one line and flushes it. */
    public synchronized void append(HistoryRecord record) {
        try {
            out.write(format(record));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the history " + path, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /** One record as one line of JSON, without the line end. */
    public static String format(HistoryRecord record) {
        return JSONB.toJson(record);
    }

    /** One line back into its record. */
    public static HistoryRecord parse(String line) {
        return JSONB.fromJson(line, HistoryRecord.class);
    }

    /**
     * Every record of a file, in file order. A last line that does not parse is dropped (a crash cut
     * it); blank lines are skipped.
     *
     * @throws IOException the file cannot be read, or a line before the last does not parse
     */
    public static List<HistoryRecord> read(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        List<HistoryRecord> records = new ArrayList<>(last + 1);
        for (int i = 0; i <= last; i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                records.add(parse(line));
            } catch (JsonbException | IllegalArgumentException e) {
                if (i == last) {
                    break;
                }
                throw new IOException(path + " line " + (i + 1) + " is not a history record: " + e.getMessage(), e);
            }
        }
        return records;
    }

    /** An enum by its lower-case name ({@code reserve}, {@code ok}), as Jepsen's histories read. */
    private abstract static class LowerCaseName<E extends Enum<E>> implements JsonbAdapter<E, String> {
        private final Class<E> type;

        LowerCaseName(Class<E> type) {
            this.type = type;
        }

        @Override
        public String adaptToJson(E value) {
            return value.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public E adaptFromJson(String value) {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        }
    }

    /** {@code reserve}, {@code cancel}, {@code hold}, {@code confirm}, {@code release}. */
    public static final class TypeName extends LowerCaseName<HistoryRecord.Type> {
        public TypeName() {
            super(HistoryRecord.Type.class);
        }
    }

    /** {@code ok}, {@code fail}, {@code info}. */
    public static final class OutcomeName extends LowerCaseName<HistoryRecord.Outcome> {
        public OutcomeName() {
            super(HistoryRecord.Outcome.class);
        }
    }
}
