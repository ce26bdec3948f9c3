package dev.orcaj.data;

import dev.orcaj.io.HeapBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 11 items 4 and 8: image entries that are huge, or truncated are named with the reason. */
class ImageFolderReaderFaultsTest {
    @TempDir
    Path dir;

    private static byte[] png(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    private Path classFile(String cls, String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(cls).resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return f;
    }

    @Test
    void pngDeclaring20000x20000IsRefusedFromItsHeaderBeforeDecoding() throws Exception {
        byte[] small = png(4, 4);
        // rewrite the IHDR width and height (bytes 16..23) and its CRC (bytes 29..32): the pixels need not exist
        ByteBuffer b = ByteBuffer.wrap(small);
        b.putInt(16, 20000).putInt(20, 20000);
        CRC32 crc = new CRC32();
        crc.update(small, 12, 17);
        b.putInt(29, (int) crc.getValue());
        classFile("a", "huge.png", small);
        long needed = 20000L * 20000 * 20;
        if (needed <= HeapBudget.maxHeap()) return; // a heap this large could decode it: nothing to refuse
        var e = assertThrows(HeapBudget.InsufficientHeapException.class, () -> ImageFolderReader.read(dir, ImageFolderReader.Options.all()));
        assertTrue(e.getMessage().contains("a/huge.png") && e.getMessage().contains("20000x20000"), e.getMessage());
    }

    @Test
    void truncatedPngNamesTheEntryAndTheReason() throws Exception {
        byte[] full = png(16, 16);
        classFile("a", "ok.png", full);
        classFile("b", "cut.png", Arrays.copyOf(full, 40));
        var e = assertThrows(DataFormatException.class, () -> ImageFolderReader.read(dir, ImageFolderReader.Options.all()));
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("entry b/cut.png: cannot decode it as PNG/JPEG ("), e.getMessage());
    }
}
