package dev.graft.formats.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The one rule that keeps outputs off inputs: an output may not be an input, may not be a folder holding an
 * input, and may not lie inside an input folder. Compared on real paths, so {@code ..}, {@code .} and symbolic
 * links cannot hide an overlap. {@code --force} does not lift it: replacing an input is never what a merge means.
 */
final class InputOverlap {
    private InputOverlap() {
    }

    /**
     * @param target the output as the user named it
     * @param inputs the inputs, as named or already resolved
     * @throws UnsafeOutputException on the first overlap, naming both paths
     */
    static void check(Path target, Collection<Path> inputs) {
        Path out = RealPath.of(target);
        // "-o ." or "-o ../x": say where that is.
        String real = out.toString().equals(target.toString()) ? "" : " (" + out + ")";
        for (Path input : inputs) {
            Path in = RealPath.of(input);
            String shown = in.equals(input.toAbsolutePath().normalize()) ? in.toString() : input + " (" + in + ")";
            if (out.equals(in)) {
                throw new UnsafeOutputException(target, UnsafeOutputException.Reason.IS_INPUT,
                        "the output" + real + " is the input " + shown + "; choose another output path (--force never "
                                + "replaces an input)");
            }
            if (in.startsWith(out)) {
                throw new UnsafeOutputException(target, UnsafeOutputException.Reason.CONTAINS_INPUT,
                        "the output folder" + real + " contains the input " + shown + "; choose an output path that holds "
                                + "no input (--force never replaces an input)");
            }
            if (out.startsWith(in) && Files.isDirectory(in)) {
                throw new UnsafeOutputException(target, UnsafeOutputException.Reason.INSIDE_INPUT,
                        "the output" + real + " lies inside the input folder " + shown + "; write it outside the input");
            }
        }
    }
}
