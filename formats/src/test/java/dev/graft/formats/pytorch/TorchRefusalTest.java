package dev.graft.formats.pytorch;

import dev.graft.formats.FormatException;
import dev.graft.formats.dtype.DType;
import dev.graft.formats.io.OpenInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile and unreadable checkpoints: each is refused with one exact line naming the file and what is wrong, and
 * nothing in them runs (the command a hostile pickle would run leaves no trace) or stays open.
 */
class TorchRefusalTest {
    private static final String ONLY = ": a checkpoint may use only torch's tensor-rebuild functions, storage types "
            + "and collections.OrderedDict (nothing was executed)";

    @TempDir
    Path dir;

    private Path marker() {
        return dir.resolve("pwned");
    }

    /** {@code module.name("touch <marker>")} by GLOBAL and REDUCE: what a {@code __reduce__} returning os.system writes. */
    private byte[] systemCall(String module) {
        return new Pickler().proto().rawGlobal(module, "system").str("touch " + marker()).op(0x85).reduce().stop()
                .toByteArray();
    }

    private Path checkpoint(byte[] pickle) throws IOException {
        Path file = dir.resolve("pytorch_model.bin");
        new TorchSave().storage("0", DType.F32, new byte[16]).zip(pickle).write(file);
        return file;
    }

    private void assertRefused(Path file, String message) {
        int open = OpenInputs.snapshot().size();
        assertThatThrownBy(() -> TorchCheckpoint.open(file)).isInstanceOf(PytorchFormatException.class)
                .hasMessage(file + ": " + message);
        assertThat(OpenInputs.snapshot()).hasSize(open);
    }

    @Test
    void osSystemIsRefusedByNameAndNeverRuns() throws IOException {
        for (String module : new String[] {"os", "posix", "nt"}) {
            assertRefused(checkpoint(systemCall(module)), "refused pickle global " + module
                    + ".system in archive/data.pkl" + ONLY);
        }
        assertThat(marker()).doesNotExist();
    }

    @Test
    void globalsFromOtherModulesAreRefusedByName() throws IOException {
        String[][] globals = {{"builtins", "eval"}, {"torch.nn.modules.linear", "Linear"},
                {"numpy.core.multiarray", "_reconstruct"}, {"torch", "load"}, {"torch._utils", "_rebuild_qtensor"},
                {"collections", "Counter"}, {"subprocess", "Popen"}};
        for (String[] g : globals) {
            byte[] pickle = new Pickler().proto().emptyDict().mark().str("w").rawGlobal(g[0], g[1]).setItems().stop()
                    .toByteArray();
            assertRefused(checkpoint(pickle), "refused pickle global " + g[0] + "." + g[1] + " in archive/data.pkl"
                    + ONLY);
        }
    }

    @Test
    void aTensorStartingPastItsStorageIsRefused() throws IOException {
        Path file = new TorchSave().storage("0", DType.F32, new byte[32]).tensor("w", "0", 1_000_000, 2, 2)
                .write(dir.resolve("far.bin"));
        assertRefused(file, "tensor \"w\" (4 F32 elements from element 1000000) runs past the end of its storage 0 "
                + "(32 bytes)");
        Path end = new TorchSave().storage("0", DType.BF16, new byte[32]).tensor("w", "0", 13, 4)
                .write(dir.resolve("end.bin"));
        assertRefused(end, "tensor \"w\" (4 BF16 elements from element 13) runs past the end of its storage 0 "
                + "(32 bytes)");
    }

    @Test
    void anEntryPastTheEndOfTheFileIsRefused() throws IOException {
        Path file = dir.resolve("moved.bin");
        TorchSave save = new TorchSave().storage("0", DType.F32, new byte[16]).tensor("w", "0", 0, 4);
        save.zip().claimOffset("data/0", 0x7FFF0000L).write(file);
        assertRefused(file, "entry archive/data/0 starts at byte 2147418112, past the end of the "
                + Files.size(file) + "-byte file");
        // An offset inside the file that lands on another entry's header.
        Path crossed = dir.resolve("crossed.bin");
        save.zip().claimOffset("data/0", 0).write(crossed);
        assertRefused(crossed, "damaged zip archive: the local header at byte 0 is not the one of entry "
                + "archive/data/0");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        Path whole = new TorchSave().storage("0", DType.F32, new byte[4096]).tensor("w", "0", 0, 1024)
                .write(dir.resolve("whole.bin"));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.bin"), java.util.Arrays.copyOf(bytes, 3000));
        assertRefused(cut, "damaged zip archive: no end-of-central-directory record");
    }

    @Test
    void deflatedEntriesAreRefused() throws IOException {
        Path file = dir.resolve("deflated.bin");
        new TorchSave().storage("0", DType.F32, new byte[64]).tensor("w", "0", 0, 16).zip().deflate("data/0")
                .write(file);
        assertRefused(file, "entry archive/data/0 is deflated; Graft maps checkpoints in place and reads only stored "
                + "entries, as torch.save writes them");
        Path pickle = dir.resolve("deflated-pickle.bin");
        new TorchSave().storage("0", DType.F32, new byte[64]).tensor("w", "0", 0, 16).zip().deflate("data.pkl")
                .write(pickle);
        assertRefused(pickle, "entry archive/data.pkl is deflated; Graft maps checkpoints in place and reads only "
                + "stored entries, as torch.save writes them");
    }

    @Test
    void legacyAndForeignFilesAreRefusedWithWhatTheyAre() throws IOException {
        String remedy = ", which Graft does not read: load it with torch and save it again with torch 1.6 or newer "
                + "(or as safetensors)";
        // torch.save(..., _use_new_zipfile_serialization=False) starts with the pickled magic number.
        byte[] legacy = new Pickler().proto().long1(new java.math.BigInteger("1950a86a20f9469cfc6c", 16)).stop()
                .toByteArray();
        assertRefused(Files.write(dir.resolve("legacy.bin"), legacy), "is in PyTorch's legacy format (a bare "
                + "pickle: torch.save before 1.6, or with _use_new_zipfile_serialization=False)" + remedy);
        byte[] tar = new byte[1024];
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, tar, 257, 5);
        assertRefused(Files.write(dir.resolve("old.pt"), tar), "is a tar archive, torch.save's format before 0.4"
                + remedy);
        assertRefused(Files.writeString(dir.resolve("notes.pth"), "hello"), "is not a PyTorch checkpoint: "
                + "torch.save's zip format starts with the bytes PK\\x03\\x04");
        assertRefused(Files.write(dir.resolve("empty.bin"), new byte[0]), "is not a PyTorch checkpoint: "
                + "torch.save's zip format starts with the bytes PK\\x03\\x04");
    }

    @Test
    void otherZipArchivesAreRefused() throws IOException {
        Path script = dir.resolve("script.pt");
        new TorchSave().zip().add("constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}).write(script);
        assertRefused(script, "is a TorchScript archive (torch.jit.save), not a torch.save state dict; save the "
                + "model's state_dict() instead");
        Path flat = dir.resolve("flat.pt");
        new TorchZipWriter("x").addAtRoot("data.pkl", new byte[] {'.'}).write(flat);
        assertRefused(flat, "is a zip archive whose first entry data.pkl is not inside a folder, so not a torch.save "
                + "checkpoint");
        Path noPickle = dir.resolve("nopickle.pt");
        new TorchZipWriter("archive").add("version", new byte[] {'3'}).write(noPickle);
        assertRefused(noPickle, "is a zip archive without archive/data.pkl, so not a torch.save checkpoint");
        Path big = dir.resolve("big.pt");
        new TorchZipWriter("archive").add("byteorder", "big".getBytes(StandardCharsets.US_ASCII))
                .add("data.pkl", new byte[] {'.'}).write(big);
        assertRefused(big, "was saved big-endian; Graft reads little-endian checkpoints only");
    }

    @Test
    void tensorsThatCannotBeMappedAsTheyAreAreRefusedByName() throws IOException {
        Path transposed = new TorchSave().storage("0", DType.F32, new byte[24])
                .tensor("lm_head.weight", "0", 0, new long[] {2, 3}, new long[] {1, 2})
                .write(dir.resolve("t.bin"));
        assertRefused(transposed, "tensor \"lm_head.weight\" has strides [1, 2] for shape [2, 3]: not contiguous "
                + "row-major; save it with .contiguous() first");
        Path expanded = new TorchSave().storage("0", DType.F32, new byte[12])
                .tensor("bias", "0", 0, new long[] {4, 3}, new long[] {0, 1})
                .write(dir.resolve("e.bin"));
        assertRefused(expanded, "tensor \"bias\" has strides [0, 1] for shape [4, 3]: not contiguous row-major; "
                + "save it with .contiguous() first");
    }

    @Test
    void storagesMustBeWhereAndAsLargeAsDeclared() throws IOException {
        TorchSave save = new TorchSave().storage("0", DType.F32, new byte[16]).tensor("w", "0", 0, 4);
        Path missing = dir.resolve("missing.bin");
        new TorchZipWriter("archive").add("data.pkl", save.pickle()).write(missing);
        assertRefused(missing, "storage 0 has no entry archive/data/0 in the archive");
        Path shortEntry = dir.resolve("short.bin");
        new TorchZipWriter("archive").add("data.pkl", save.pickle()).add("data/0", new byte[12]).write(shortEntry);
        assertRefused(shortEntry, "storage 0 declares 4 F32 elements (16 bytes) but its entry archive/data/0 holds "
                + "12 bytes");
    }

    @Test
    void onlyStateDictsOfTensorsAreRead() throws IOException {
        assertRefused(checkpoint(new Pickler().proto().emptyList().stop().toByteArray()),
                "holds a list, not a state dict (a dict of tensor names to tensors)");
        assertRefused(checkpoint(new Pickler().proto().emptyDict().str("epoch").integer(3).setItem().stop()
                .toByteArray()), "state dict entry \"epoch\" is an int, not a tensor");
        assertRefused(checkpoint(new Pickler().proto().emptyDict().integer(1).none().setItem().stop().toByteArray()),
                "state dict has a key that is an int, not a tensor name");
    }

    @Test
    void picklesOutsideTheAllowedSubsetAreRefused() throws IOException {
        assertRefused(checkpoint(new byte[] {(byte) 0x80, 4, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0, 0, '.'}),
                "unsupported pickle opcode 0x95 at byte 2 of archive/data.pkl; torch.load(weights_only=True) refuses "
                        + "it too");
        assertRefused(checkpoint(new byte[] {(byte) 0x80, 2, 'c', 'o', 's'}),
                "damaged archive/data.pkl: a GLOBAL name without its newline at byte 2");
        assertRefused(checkpoint(new byte[] {(byte) 0x80, 2, '}'}),
                "archive/data.pkl ends at byte 3 before its STOP opcode (truncated file?)");
        assertRefused(checkpoint(new byte[] {(byte) 0x80, 2, 'X', 0, 0, 0, 1, 'a'}),
                "archive/data.pkl ends in the middle of an opcode at byte 2 (truncated file?)");
        assertRefused(checkpoint(new byte[] {(byte) 0x80, 2, 'h', 9, '.'}),
                "damaged archive/data.pkl: memo entry 9 used before it was set at byte 2");
        assertRefused(checkpoint(new byte[] {(byte) 0x80, 2, 'R', '.'}), "damaged archive/data.pkl: stack underflow "
                + "at byte 2");
        // A list that holds itself, then used as a dict key: refused before anything hashes it.
        assertRefused(checkpoint(new Pickler().proto().emptyDict().emptyList().get(1).op('a').none().setItem()
                .stop().toByteArray()), "damaged archive/data.pkl: a dict key that is a list at byte 12");
    }

    @Test
    void allowedGlobalsOnlyDoWhatTorchsDo() throws IOException {
        assertRefused(checkpoint(new Pickler().proto().global("torch", "FloatStorage").emptyTuple().reduce().stop()
                .toByteArray()), "refused calling torch.FloatStorage at byte 25 of archive/data.pkl: only state "
                + "dicts of tensors are read (nothing was executed)");
        assertRefused(checkpoint(new Pickler().proto().emptyDict().emptyDict().build().stop().toByteArray()),
                "refused BUILD of a dict (with a dict) at byte 8 of archive/data.pkl: only state dicts of tensors "
                        + "are read (nothing was executed)");
        assertRefused(checkpoint(new Pickler().proto().global("collections", "OrderedDict").emptyTuple().op(0x81)
                .stop().toByteArray()), "refused NEWOBJ of collections.OrderedDict (with a tuple of 0) at byte 30 "
                + "of archive/data.pkl: only state dicts of tensors are read (nothing was executed)");
        assertRefused(checkpoint(new Pickler().proto().str("storage").op(0x85).op('Q').stop().toByteArray()),
                "refused persistent id a tuple of 1 (torch.save writes ('storage', type, key, location, numel)) at "
                        + "byte 17 of archive/data.pkl: only state dicts of tensors are read (nothing was executed)");
        assertRefused(checkpoint(new Pickler().proto().mark().str("storage").global("torch.storage", "TypedStorage")
                .str("0").str("cpu").integer(4).tuple().op('Q').stop().toByteArray()),
                "damaged archive/data.pkl: storage 0 typed as torch.storage.TypedStorage, which names no element "
                        + "type at byte 70");
    }

    /**
     * Seeded random damage to a valid checkpoint: every outcome is a clean read or a {@link FormatException},
     * never another exception, a hang or an allocation the file only declares.
     */
    @Test
    void damagedFilesFailCleanly() throws IOException {
        Path good = new TorchSave().transformersStyle().storage("0", DType.F32, new byte[64])
                .storage("1", DType.BF16, new byte[32]).tensor("a", "0", 0, 4, 4).parameter("b", "1", 2, 7)
                .write(dir.resolve("good.bin"));
        byte[] original = Files.readAllBytes(good);
        Random random = new Random(12);
        Path file = dir.resolve("fuzz.bin");
        int clean = 0;
        for (int i = 0; i < 1500; i++) {
            byte[] b = original.clone();
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                int at = random.nextInt(b.length);
                b[at] = random.nextInt(3) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            Files.write(file, b);
            try (TorchCheckpoint f = TorchCheckpoint.open(file)) {
                f.specs().forEach(s -> f.tensor(s.name()).data().byteSize());
                clean++;
            } catch (FormatException expected) {
                assertThat(expected.getMessage()).startsWith(file + ": ").doesNotContain("\n");
            }
        }
        assertThat(clean).as("mutations that leave a readable file (data bytes, CRCs)").isBetween(1, 1499);
        assertThat(marker()).doesNotExist();
    }
}
