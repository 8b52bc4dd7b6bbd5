package dev.graft.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A text table whose columns are padded to their widest cell, for reports that stay readable in a terminal. */
public final class Table {
    /** Which side a column's cells line up on. */
    public enum Align { LEFT, RIGHT }

    private static final String GAP = "  ";

    private final String indent;
    private final Align[] aligns;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param indent printed before every line
     * @param aligns one per column
     */
    public Table(String indent, Align... aligns) {
        this.indent = indent;
        this.aligns = aligns.clone();
    }

    /** Adds a row; it must have one cell per column. */
    public Table row(String... cells) {
        if (cells.length != aligns.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + aligns.length + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Prints the rows, without trailing spaces. */
    public void print(PrintWriter out) {
        int[] width = new int[aligns.length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder(indent);
            for (int c = 0; c < r.length; c++) {
                String pad = " ".repeat(width[c] - r[c].length());
                sb.append(c == 0 ? "" : GAP).append(aligns[c] == Align.RIGHT ? pad + r[c] : r[c] + pad);
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
