package dev.graft.cli;

import dev.graft.core.inspect.ModelDiff;
import dev.graft.core.inspect.TokenizerDiff;
import dev.graft.core.inspect.TensorDelta;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** Renders a {@link ModelDiff} as aligned text for a terminal. */
final class DiffText {
    /** Names listed per "only in" section before the rest is summarised: a model against an adapter lists hundreds. */
    private static final int MAX_NAMES = 20;

    private DiffText() {
    }

    /** @param top rows of the tensor table (null: all) */
    static void print(ModelDiff d, Optional<TokenizerDiff> tokens, Integer top, PrintWriter out) {
        Table head = new Table("", Table.Align.LEFT, Table.Align.LEFT);
        head.row("A", d.a());
        head.row("B", d.b());
        head.row("Compared", d.compared().size() + " tensors with the same name and shape, " + d.identicalCount()
                + " identical");
        head.row("Overall", "||B-A|| / ||A|| = " + HumanUnits.scientific(d.relativeDelta())
                + " (all compared tensors as one vector)");
        names(head, "Only in A", d.onlyInA());
        names(head, "Only in B", d.onlyInB());
        if (d.mismatched().isEmpty()) {
            head.row("Mismatched", "none");
        }
        boolean first = true;
        for (ModelDiff.Mismatch m : d.mismatched()) {
            head.row(first ? "Mismatched" : "", m.inA().name() + ": A " + m.inA().dtype() + " " + m.inA().shape()
                    + ", B " + m.inB().dtype() + " " + m.inB().shape() + (m.compared() ? " (compared as float32)" : ""));
            first = false;
        }
        tokens.ifPresent(t -> tokenizer(head, t));
        head.print(out);
        if (d.compared().isEmpty()) {
            return;
        }

        int rows = top == null ? d.compared().size() : Math.min(top, d.compared().size());
        out.println();
        out.println("Tensors by relative change" + (rows < d.compared().size()
                ? " (top " + rows + " of " + d.compared().size() + ")" : ""));
        Table t = new Table("  ", Table.Align.LEFT, Table.Align.LEFT, Table.Align.LEFT, Table.Align.RIGHT,
                Table.Align.RIGHT);
        t.row("TENSOR", "DTYPE", "SHAPE", "||B-A||/||A||", "MAX |B-A|");
        for (TensorDelta x : d.compared().subList(0, rows)) {
            String dtype = x.dtypeA() == x.dtypeB() ? x.dtypeA().name() : x.dtypeA() + "->" + x.dtypeB();
            String rel = x.numeric() ? HumanUnits.scientific(x.relativeDelta()) : x.identical() ? "identical" : "differs";
            String max = x.numeric() ? HumanUnits.scientific(x.maxAbsDelta()) : "-";
            t.row(x.name(), dtype, x.shape().toString(), rel, max);
        }
        t.print(out);
    }

    private static void tokenizer(Table head, TokenizerDiff t) {
        if (t.same()) {
            head.row("Tokenizer", "the same " + t.sizeA() + " tokens at the same ids");
            return;
        }
        head.row("Tokenizer", "A " + t.sizeA() + " tokens, B " + t.sizeB() + ": " + t.onlyInA().size() + " only in A, "
                + t.onlyInB().size() + " only in B, " + t.differentIds().size() + " at different ids");
        names(head, "Tokens only in A", t.onlyInA());
        names(head, "Tokens only in B", t.onlyInB());
        names(head, "Different ids", t.differentIds().stream()
                .map(m -> m.token() + ": A " + m.idA() + ", B " + m.idB()).toList());
    }

    private static void names(Table head, String label, List<String> names) {
        if (names.isEmpty()) {
            head.row(label, "none");
            return;
        }
        for (int i = 0; i < Math.min(names.size(), MAX_NAMES); i++) {
            head.row(i == 0 ? label : "", names.get(i));
        }
        if (names.size() > MAX_NAMES) {
            head.row("", "... and " + (names.size() - MAX_NAMES) + " more (--json lists all)");
        }
    }
}
