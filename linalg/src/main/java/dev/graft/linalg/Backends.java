package dev.graft.linalg;

import dev.graft.linalg.nd4j.Nd4jLinearAlgebra;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/** Finds the backend {@link LinearAlgebra#get()} returns, once. */
final class Backends {
    /** The name that picks the CPU backend whatever it is called. */
    static final String CPU = "cpu";
    /** The name that picks the GPU backend when it loads and the CPU one otherwise. */
    static final String AUTO = "auto";
    /** The backend {@link #AUTO} tries first. */
    static final String GPU = "cuda";

    private static volatile LinearAlgebra selected;

    private Backends() {
    }

    static LinearAlgebra selected() {
        LinearAlgebra la = selected;
        if (la == null) {
            synchronized (Backends.class) {
                la = selected;
                if (la == null) {
                    // The one-line note of a fallback goes to stderr: stdout may carry a report or JSON.
                    la = choose(System.getProperty(LinearAlgebra.BACKEND_PROPERTY), System.err::println);
                    selected = la;
                }
            }
        }
        return la;
    }

    /** Makes the backend {@code wanted} names the one {@link #selected()} returns from now on. */
    static LinearAlgebra use(String wanted, Consumer<String> notes) {
        synchronized (Backends.class) {
            LinearAlgebra la = choose(wanted, notes);
            selected = la;
            return la;
        }
    }

    static LinearAlgebra choose(String wanted, Consumer<String> notes) {
        if (wanted == null || wanted.isBlank() || wanted.equals(Nd4jLinearAlgebra.NAME) || wanted.equals(CPU)) {
            return Nd4jLinearAlgebra.instance();
        }
        if (wanted.equals(AUTO)) {
            return gpuOrCpu(notes);
        }
        List<String> names = new ArrayList<>(List.of(Nd4jLinearAlgebra.NAME));
        for (LinearAlgebra candidate : ServiceLoader.load(LinearAlgebra.class)) {
            if (candidate.name().equals(wanted)) {
                candidate.load();
                return candidate;
            }
            names.add(candidate.name());
        }
        names.add(CPU);
        names.add(AUTO);
        throw new LinearAlgebraException("no linear-algebra backend named '" + wanted + "' (system property "
                + LinearAlgebra.BACKEND_PROPERTY + "); available: " + String.join(", ", names));
    }

    private static LinearAlgebra gpuOrCpu(Consumer<String> notes) {
        for (LinearAlgebra candidate : ServiceLoader.load(LinearAlgebra.class)) {
            if (candidate.name().equals(GPU)) {
                try {
                    candidate.load();
                    return candidate;
                } catch (LinearAlgebraException e) {
                    notes.accept("note: backend auto: " + e.getMessage() + "; using the CPU backend ("
                            + Nd4jLinearAlgebra.NAME + ")");
                    return Nd4jLinearAlgebra.instance();
                }
            }
        }
        notes.accept("note: backend auto: no '" + GPU + "' backend on the class path (module graft-linalg-cuda); "
                + "using the CPU backend (" + Nd4jLinearAlgebra.NAME + ")");
        return Nd4jLinearAlgebra.instance();
    }
}
