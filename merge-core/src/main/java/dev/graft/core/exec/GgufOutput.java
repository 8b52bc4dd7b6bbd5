package dev.graft.core.exec;

import dev.graft.formats.gguf.export.GgufExport;
import dev.graft.formats.gguf.export.GgufStream;
import dev.graft.formats.gguf.export.GgufTypes;
import dev.graft.formats.io.FileAccessException;
import dev.graft.formats.io.OutputClaim;
import dev.graft.formats.io.PendingOutputs;
import dev.graft.formats.model.ModelConfig;
import dev.graft.formats.tensor.TensorDataSink;
import dev.graft.formats.tensor.TensorSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One {@code .gguf} file for llama.cpp, streamed through {@link GgufStream}: the same bytes as writing the folder
 * ({@link FolderOutput}) and then {@code graft export gguf} of it. The folder's small files ({@code config.json},
 * the donor's tokenizer files, the recipe and merged tokenizer files) are written first into a temp folder, from
 * which the GGUF metadata is read exactly as the export reads them from the folder; it is deleted when the output
 * commits or is abandoned. {@code general.name} is the file name without {@code .gguf}, as an export of a folder
 * of that name would have it. The tensor types are the export's {@code --type} / {@code --keep-f16} ({@link GgufTypes}).
 */
final class GgufOutput implements MergeOutput {
    private final Path side;
    private final GgufStream stream;
    private boolean done;

    /** @throws dev.graft.formats.gguf.GgufException for an architecture or tensor without a GGUF mapping */
    GgufOutput(OutputClaim claim, List<TensorSpec> specs, ModelConfig config, Path donorFolder, Set<String> notCopied,
               Map<String, String> extraFiles, GgufTypes types) {
        try {
            this.side = Files.createTempDirectory("graft-gguf-side-");
        } catch (IOException e) {
            claim.close();
            throw new FileAccessException(claim.target(), "cannot create a temp folder for the GGUF metadata of", e);
        }
        PendingOutputs.register(side);
        try {
            FolderOutput.writeSideFiles(side, config, donorFolder, notCopied, extraFiles);
            String file = claim.target().getFileName().toString();
            String name = file.substring(0, file.length() - MergeOutput.GGUF_SUFFIX.length());
            this.stream = GgufStream.open(GgufExport.planned(side, specs, claim.target()).types(types)
                    .name(name), claim);
        } catch (RuntimeException e) {
            claim.close();
            deleteSide();
            throw e;
        }
    }

    @Override
    public TensorDataSink sink(String name) {
        return stream.sink(name);
    }

    @Override
    public Path commit() {
        try {
            Path p = stream.commit();
            done = true;
            return p;
        } finally {
            if (done) {
                deleteSide();
            }
        }
    }

    @Override
    public void close() {
        stream.close();
        deleteSide();
    }

    private void deleteSide() {
        try (Stream<Path> walk = Files.walk(side)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            PendingOutputs.unregister(side);
        } catch (IOException | RuntimeException e) {
            // Left to the exit hook, which deletes what PendingOutputs still lists.
        }
    }
}
