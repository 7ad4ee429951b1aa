package org.duplex.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured markdown table, built row by row. Numeric columns are right-aligned so that figures
 * line up when the file is read as text, not only when it is rendered.
 */
final class MarkdownTable {

    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    /** The first column is a label (left-aligned), the others hold figures (right-aligned). */
    MarkdownTable(String... headers) {
        this.headers = List.of(headers);
        this.rightAligned = new boolean[headers.length];
        for (int i = 1; i < headers.length; i++) {
            rightAligned[i] = true;
        }
    }

    MarkdownTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has "
                    + headers.size() + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        line(out, headers);
        out.append('|');
        for (boolean right : rightAligned) {
            out.append(right ? "---:|" : "---|");
        }
        out.append('\n');
        for (List<String> row : rows) {
            line(out, row);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String cell : cells) {
            // a '|' inside a cell (an event label, a command) would split the row
            out.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        out.append('\n');
    }
}
