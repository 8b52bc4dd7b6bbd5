package dev.graft.linalg.cuda.discovery;

import dev.graft.linalg.cuda.CudaUnavailableException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds CUDA's shared libraries by looking at files, without loading them, so the order can be tested on a fake
 * tree. The folders, in order: {@code $CUDA_HOME/lib64} and {@code $CUDA_HOME/lib}, each {@code LD_LIBRARY_PATH}
 * entry, the system folders ({@code /usr/local/cuda/lib64}, {@code /usr/lib/x86_64-linux-gnu}, ...), then in each
 * Python site-packages folder the library's own wheel folder {@code nvidia/<wheel>/lib}. Within one folder the
 * newest soname wins; the first folder holding any of the names wins.
 */
public final class LibraryFinder {
    /** The environment variable naming a CUDA toolkit installation. */
    public static final String CUDA_HOME = "CUDA_HOME";
    /** The dynamic loader's search path. */
    public static final String LD_LIBRARY_PATH = "LD_LIBRARY_PATH";
    /** Where toolkits and distribution packages put the libraries on Linux. */
    public static final List<Path> SYSTEM_FOLDERS = List.of(Path.of("/usr/local/cuda/lib64"),
            Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/lib"));

    private final Map<String, String> env;
    private final List<Path> systemFolders;
    private final List<Path> sitePackages;

    /**
     * A finder over the given environment and folders.
     *
     * @param env           the environment ({@value #CUDA_HOME} and {@value #LD_LIBRARY_PATH} are read)
     * @param systemFolders the system library folders, in order
     * @param sitePackages  Python site-packages folders, in order
     */
    public LibraryFinder(Map<String, String> env, List<Path> systemFolders, List<Path> sitePackages) {
        this.env = Map.copyOf(env);
        this.systemFolders = List.copyOf(systemFolders);
        this.sitePackages = List.copyOf(sitePackages);
    }

    /** The finder of this process: its environment, {@link #SYSTEM_FOLDERS} and python3's site-packages. */
    public static LibraryFinder ofThisProcess() {
        return new LibraryFinder(System.getenv(), SYSTEM_FOLDERS, PythonSitePackages.ofPython3());
    }

    /** The folders searched for {@code library}, in order, without duplicates (existing or not). */
    public List<Path> folders(CudaLibrary library) {
        Set<Path> folders = new LinkedHashSet<>();
        String home = env.get(CUDA_HOME);
        if (home != null && !home.isBlank()) {
            folders.add(Path.of(home, "lib64"));
            folders.add(Path.of(home, "lib"));
        }
        String ldPath = env.get(LD_LIBRARY_PATH);
        if (ldPath != null) {
            for (String entry : ldPath.split(":")) {
                if (!entry.isBlank()) {
                    folders.add(Path.of(entry));
                }
            }
        }
        folders.addAll(systemFolders);
        for (Path site : sitePackages) {
            folders.add(site.resolve("nvidia").resolve(library.wheelFolder()).resolve("lib"));
        }
        return new ArrayList<>(folders);
    }

    /**
     * The file of {@code library}: the first folder of {@link #folders} holding one of its names.
     *
     * @throws CudaUnavailableException naming the library, the file names and the folders searched
     */
    public Path find(CudaLibrary library) {
        List<Path> folders = folders(library);
        for (Path folder : folders) {
            for (String name : library.fileNames()) {
                Path candidate = folder.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new CudaUnavailableException("CUDA library " + library.name() + " not found (looked for "
                + String.join(", ", library.fileNames()) + " in " + String.join(":", folders.stream()
                .map(Path::toString).toList()) + "); install the CUDA toolkit or the pip wheel nvidia-"
                + library.wheelFolder().replace('_', '-') + "-cu12, or set " + CUDA_HOME);
    }
}
