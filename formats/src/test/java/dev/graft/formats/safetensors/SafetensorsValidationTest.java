package dev.graft.formats.safetensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each malformation the reference reader refuses, refused with its own kind and a message naming file and tensor. */
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    private SafetensorsException reject(byte[] bytes) throws IOException {
        Path p = RawFiles.write(dir, "bad.safetensors", bytes);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            throw new AssertionError("accepted: " + f.tensors());
        } catch (SafetensorsException e) {
            assertThat(e.getMessage()).startsWith(p + ": ");
            assertThat(e.file()).contains(p);
            return e;
        }
    }

    private SafetensorsException reject(String header, int dataBytes) throws IOException {
        return reject(RawFiles.file(header, new byte[dataBytes]));
    }

    @Test
    void fileShorterThanThePrefix() throws IOException {
        SafetensorsException e = reject(new byte[] {1, 2, 3});
        assertThat(e.error()).isEqualTo(SafetensorsError.HEADER_TOO_SMALL);
        assertThat(e.getMessage()).endsWith("header too small: file is 3 bytes; the header length prefix alone takes 8");
    }

    @Test
    void headerOverTheLimit() throws IOException {
        byte[] b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001L).array();
        assertThat(reject(b).error()).isEqualTo(SafetensorsError.HEADER_TOO_LARGE);
        byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array();
        SafetensorsException e = reject(huge);
        assertThat(e.error()).isEqualTo(SafetensorsError.HEADER_TOO_LARGE);
        assertThat(e.getMessage()).contains("18446744073709551615");
    }

    @Test
    void aTextFileIsNotASafetensorsFile() throws IOException {
        // Its first 8 bytes read as a length in the quintillions; the kind stays the length check's.
        SafetensorsException e = reject("this is some text, a readme that is long enough\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(e.error()).isEqualTo(SafetensorsError.HEADER_TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo(dir.resolve("bad.safetensors")
                + ": not a safetensors file: it starts with the text \"this is some text, a rea…\"");
        assertThat(reject("<!DOCTYPE html>\n<html>".getBytes(java.nio.charset.StandardCharsets.UTF_8)).getMessage())
                .endsWith(": not a safetensors file: it starts with the text \"<!DOCTYPE html> <html>\"");
        SafetensorsException tiny = reject("hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(tiny.error()).isEqualTo(SafetensorsError.HEADER_TOO_SMALL);
        assertThat(tiny.getMessage()).endsWith(": not a safetensors file: it starts with the text \"hello\"");
    }

    @Test
    void aZipIsNotASafetensorsFile() throws IOException {
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0};
        SafetensorsException e = reject(zip);
        assertThat(e.error()).isEqualTo(SafetensorsError.HEADER_TOO_LARGE);
        assertThat(e.getMessage()).endsWith(": not a safetensors file: it is a zip archive (a PyTorch checkpoint? "
                + "Graft reads safetensors only; convert it first)");
    }

    @Test
    void headerPastTheEnd() throws IOException {
        byte[] b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(5).array();
        SafetensorsException e = reject(b);
        assertThat(e.error()).isEqualTo(SafetensorsError.INVALID_HEADER_LENGTH);
        assertThat(e.getMessage()).endsWith("header length 5 runs past the end of the 12-byte file (truncated file?)");
    }

    @Test
    void invalidUtf8() throws IOException {
        SafetensorsException e = reject(RawFiles.file(new byte[] {'{', '"', (byte) 0xFF, '"', '}', ' ', ' ', ' '}, new byte[0]));
        assertThat(e.error()).isEqualTo(SafetensorsError.INVALID_UTF8);
        assertThat(e.getMessage()).endsWith("at header byte 2");
    }

    @Test
    void invalidJson() throws IOException {
        assertThat(reject("{\"a\":", 0).error()).isEqualTo(SafetensorsError.INVALID_JSON);
        assertThat(reject("[]      ", 0).error()).isEqualTo(SafetensorsError.INVALID_JSON);
        assertThat(reject("{} {}   ", 0).error()).isEqualTo(SafetensorsError.INVALID_JSON);
        assertThat(reject("{}\u0000      ", 0).error()).isEqualTo(SafetensorsError.INVALID_JSON);
        assertThat(reject("{\"__metadata__\":{\"a\":1}}", 0).getMessage())
                .endsWith("invalid JSON in header: __metadata__ value for \"a\" is not a string");
        SafetensorsException e = reject("{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4);
        assertThat(e.tensor()).contains("t");
        assertThat(e.getMessage()).endsWith("invalid JSON in header (tensor \"t\"): shape must hold non-negative integers");
        assertThat(reject("{\"t\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", 4).error())
                .isEqualTo(SafetensorsError.INVALID_JSON);
        assertThat(reject("{\"t\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4).getMessage())
                .endsWith("(tensor \"t\"): entry needs dtype, shape and data_offsets");
        assertThat(reject("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4).error())
                .isEqualTo(SafetensorsError.INVALID_JSON);
    }

    @Test
    void unknownDtype() throws IOException {
        SafetensorsException e = reject("{\"t\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", 16);
        assertThat(e.error()).isEqualTo(SafetensorsError.UNKNOWN_DTYPE);
        assertThat(e.getMessage()).endsWith("unknown dtype (tensor \"t\"): \"F128\" is not a safetensors dtype");
    }

    @Test
    void duplicateKeys() throws IOException {
        String h = "{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}";
        SafetensorsException e = reject(h, 2);
        assertThat(e.error()).isEqualTo(SafetensorsError.DUPLICATE_KEY);
        assertThat(e.tensor()).contains("t");
        assertThat(reject("{\"t\":{\"dtype\":\"U8\",\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1).error())
                .isEqualTo(SafetensorsError.DUPLICATE_KEY);
        assertThat(reject("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0).error())
                .isEqualTo(SafetensorsError.DUPLICATE_KEY);
    }

    @Test
    void offsetsNotStartingAtZero() throws IOException {
        SafetensorsException e = reject("{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2);
        assertThat(e.error()).isEqualTo(SafetensorsError.INVALID_OFFSET);
        assertThat(e.getMessage()).endsWith("data_offsets [1, 2] but the first tensor must start at 0");
    }

    @Test
    void offsetsLeavingAHole() throws IOException {
        String h = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[2,3]}}";
        SafetensorsException e = reject(h, 3);
        assertThat(e.error()).isEqualTo(SafetensorsError.INVALID_OFFSET);
        assertThat(e.tensor()).contains("b");
        assertThat(e.getMessage()).endsWith("leave a hole after byte 1");
    }

    @Test
    void overlappingOffsets() throws IOException {
        String h = "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}";
        SafetensorsException e = reject(h, 3);
        assertThat(e.error()).isEqualTo(SafetensorsError.INVALID_OFFSET);
        assertThat(e.getMessage()).endsWith("overlap the previous tensor, which ends at 2");
    }

    @Test
    void offsetsEndingBeforeTheyBegin() throws IOException {
        assertThat(reject("{\"t\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"v\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,0]}}", 1).error())
                .isEqualTo(SafetensorsError.INVALID_OFFSET);
    }

    @Test
    void offsetsPastTheBuffer() throws IOException {
        SafetensorsException e = reject("{\"t\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[0,8]}}", 4);
        assertThat(e.error()).isEqualTo(SafetensorsError.INVALID_OFFSET);
        assertThat(e.getMessage()).endsWith("data_offsets [0, 8] run past the end of the 4-byte data buffer (truncated file?)");
        assertThat(reject("{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 1).error())
                .isEqualTo(SafetensorsError.INVALID_OFFSET);
    }

    @Test
    void shapeProductOverflow() throws IOException {
        SafetensorsException e = reject("{\"t\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 4);
        assertThat(e.error()).isEqualTo(SafetensorsError.VALIDATION_OVERFLOW);
        assertThat(reject("{\"t\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],\"data_offsets\":[0,4]}}", 4).error())
                .isEqualTo(SafetensorsError.VALIDATION_OVERFLOW);
        assertThat(reject("{\"t\":{\"dtype\":\"U8\",\"shape\":[18446744073709551615],\"data_offsets\":[0,1]}}", 1).error())
                .isEqualTo(SafetensorsError.VALIDATION_OVERFLOW);
    }

    @Test
    void byteLengthDifferentFromShapeTimesDtype() throws IOException {
        SafetensorsException e = reject("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
        assertThat(e.error()).isEqualTo(SafetensorsError.TENSOR_INVALID_INFO);
        assertThat(e.getMessage()).endsWith("data_offsets [0, 4] span 4 bytes but F32 [2] needs 8");
    }

    @Test
    void subByteTensorNotFillingBytes() throws IOException {
        assertThat(reject("{\"t\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2).error())
                .isEqualTo(SafetensorsError.MISALIGNED_SLICE);
    }

    @Test
    void trailingBytesNotCovered() throws IOException {
        SafetensorsException e = reject("{\"t\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 3);
        assertThat(e.error()).isEqualTo(SafetensorsError.METADATA_INCOMPLETE_BUFFER);
        assertThat(e.getMessage()).endsWith("tensors cover 1 bytes of the 3-byte data buffer");
    }

    @Test
    void acceptsWhatTheReferenceAccepts() throws IOException {
        // whitespace around the object, null metadata, unknown entry fields, empty tensors sharing an offset
        String h = "\t\n{\"__metadata__\":null,\"e\":{\"dtype\":\"F32\",\"shape\":[2,0],\"data_offsets\":[0,0],\"x\":[1]},"
                + "\"f\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"s\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[0,2]}}\r ";
        Path p = RawFiles.write(dir, "ok.safetensors", RawFiles.file(h, new byte[] {0, 0x3C}));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.header().hasMetadata()).isFalse();
            assertThat(f.tensors()).extracting(TensorInfo::name).containsExactly("e", "f", "s");
            assertThat(f.tensor("s").getFloat(0)).isEqualTo(1.0f);
        }
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path p = RawFiles.write(dir, "ok.safetensors", RawFiles.file("{}      ", new byte[0]));
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThatThrownBy(() -> f.tensor("nope"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessage(p + ": tensor not found (tensor \"nope\"): no such tensor in this file");
        }
    }

    @Test
    void missingFileIsAFileAccessError() {
        Path p = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> SafetensorsFile.open(p))
                .isInstanceOf(dev.graft.formats.io.FileAccessException.class)
                .hasMessage(p + ": cannot read safetensors file: no such file or directory");
    }
}
