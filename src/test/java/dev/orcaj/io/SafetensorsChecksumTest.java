package dev.orcaj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every file Safetensors.write produces carries a CRC32C of its data; overwritten bytes fail the load, naming the file. */
class SafetensorsChecksumTest {
    @TempDir
    Path tmp;

    private Path written() throws IOException {
        Path f = tmp.resolve("m.safetensors");
        float[] w = new float[1000];
        for (int i = 0; i < w.length; i++) w[i] = i * 0.25f;
        Safetensors.write(f, Map.of("w", NdArray.ofFloats(w, 10, 100), "b", NdArray.ofFloats(new float[]{1, 2}, 2)), Map.of("format", "pt"));
        return f;
    }

    @Test
    void intactFileLoadsAndRecordsItsChecksum() throws IOException {
        Safetensors.Contents c = Safetensors.read(written());
        assertTrue(c.metadata().get(Safetensors.CHECKSUM_KEY).matches("[0-9a-f]{8}"), c.metadata().toString());
        assertEquals(0.25f, c.tensors().get("w").toFloats()[1]);
    }

    @Test
    void overwrittenDataBytesFailTheLoadNamingTheFile() throws IOException {
        Path f = written();
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(raf.length() - 100); // inside the data section: the header still parses
            raf.write(new byte[]{0x7f, 0x7f, 0x7f, 0x7f});
        }
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f + ": checksum mismatch"), e.getMessage());
    }

    @Test
    void filesWithoutAChecksumStillLoad() throws IOException {
        // as written by Hugging Face tools: no orcaj key in __metadata__
        byte[] header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".getBytes();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + header.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).putFloat(3f);
        Path f = Files.write(tmp.resolve("hf.safetensors"), b.array());
        assertEquals(3f, Safetensors.read(f).tensors().get("a").toFloats()[0]);
    }
}
