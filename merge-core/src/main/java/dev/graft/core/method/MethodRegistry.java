package dev.graft.core.method;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The merge methods on the class path, by name. */
public final class MethodRegistry {
    private final Map<String, MergeMethod> byName;

    private MethodRegistry(Map<String, MergeMethod> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Every method registered through {@link ServiceLoader}. */
    public static MethodRegistry load() {
        Map<String, MergeMethod> map = new TreeMap<>();
        for (MergeMethod m : ServiceLoader.load(MergeMethod.class)) {
            map.put(m.name(), m);
        }
        return new MethodRegistry(map);
    }

    /** A registry of the given methods (tests, embedders with methods of their own). */
    public static MethodRegistry of(MergeMethod... methods) {
        Map<String, MergeMethod> map = new TreeMap<>();
        for (MergeMethod m : methods) {
            map.put(m.name(), m);
        }
        return new MethodRegistry(map);
    }

    public Optional<MergeMethod> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Method names, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
