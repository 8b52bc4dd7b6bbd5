package dev.graft.linalg;

import dev.graft.linalg.nd4j.Nd4jLinearAlgebra;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the backend {@link LinearAlgebra#get()} returns, once. */
final class Backends {
    private static volatile LinearAlgebra selected;

    private Backends() {
    }

    static LinearAlgebra selected() {
        LinearAlgebra la = selected;
        if (la == null) {
            synchronized (Backends.class) {
                la = selected;
                if (la == null) {
                    la = choose(System.getProperty(LinearAlgebra.BACKEND_PROPERTY));
                    selected = la;
                }
            }
        }
        return la;
    }

    private static LinearAlgebra choose(String wanted) {
        if (wanted == null || wanted.isBlank() || wanted.equals(Nd4jLinearAlgebra.NAME)) {
            return Nd4jLinearAlgebra.instance();
        }
        List<String> names = new ArrayList<>(List.of(Nd4jLinearAlgebra.NAME));
        for (LinearAlgebra candidate : ServiceLoader.load(LinearAlgebra.class)) {
            if (candidate.name().equals(wanted)) {
                return candidate;
            }
            names.add(candidate.name());
        }
        throw new LinearAlgebraException("no linear-algebra backend named '" + wanted + "' (system property "
                + LinearAlgebra.BACKEND_PROPERTY + "); available: " + String.join(", ", names));
    }
}
