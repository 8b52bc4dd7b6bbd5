package dev.graft.linalg.cuda.bindings;

import dev.graft.linalg.cuda.CudaUnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** One shared library opened for the life of the process, and the downcall handles of its functions. */
final class LoadedLibrary {
    private static final Linker LINKER = Linker.nativeLinker();

    private final Path file;
    private final SymbolLookup symbols;

    private LoadedLibrary(Path file, SymbolLookup symbols) {
        this.file = file;
        this.symbols = symbols;
    }

    /**
     * Opens {@code file}; its own dependencies resolve through the loader, which also matches libraries already
     * opened here by their soname.
     *
     * @throws CudaUnavailableException if the loader refuses the file
     */
    static LoadedLibrary open(Path file) {
        try {
            return new LoadedLibrary(file, SymbolLookup.libraryLookup(file, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new CudaUnavailableException("cannot load " + file + " (" + e.getMessage()
                    + "); is a dependency of it missing from LD_LIBRARY_PATH?", e);
        }
    }

    /**
     * The handle of {@code name}.
     *
     * @throws CudaUnavailableException if the library lacks it (a release older than the backend needs)
     */
    MethodHandle function(String name, FunctionDescriptor signature) {
        return LINKER.downcallHandle(symbols.find(name).orElseThrow(() -> new CudaUnavailableException(
                file + " has no function " + name + "; the backend needs CUDA 11 or later")), signature);
    }
}
