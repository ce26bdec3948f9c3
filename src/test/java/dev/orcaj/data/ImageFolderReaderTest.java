package dev.orcaj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @Test
    void bilinearResizeWithHalfPixelCentres() {
        // 2x2 -> 4x4, source coordinates -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1) on each axis
        float[] out = ImageFolderReader.resizeBilinear(new float[] {1, 2, 3, 4}, 1, 2, 2, 4, 4);
        assertArrayEquals(new float[] {
            1.0f, 1.25f, 1.75f, 2.0f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.5f, 2.75f, 3.25f, 3.5f,
            3.0f, 3.25f, 3.75f, 4.0f}, out, 1e-6f);
        // 4 -> 2 along one axis: source 0.5 and 2.5, the means of neighbouring pairs
        assertArrayEquals(new float[] {1.5f, 3.5f}, ImageFolderReader.resizeBilinear(new float[] {1, 2, 3, 4}, 1, 1, 4, 1, 2), 1e-6f);
    }

    @Test
    void pngFolderAndZipGiveExactRgbChannelsFirst(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("imgs");
        writePng(root.resolve("dog/a.png"), 0x102030);
        writePng(root.resolve("cat/b.png"), 0xFF8000);
        writePng(root.resolve("cat/c.png"), 0x0000FF);
        ArrayDataset ds = ImageFolderReader.read(root, ImageFolderReader.Options.all());
        assertEquals(List.of("cat", "dog"), ds.classNames());
        assertArrayEquals(new int[] {3, 2, 3}, ds.sampleShape());
        assertArrayEquals(new int[] {0, 0, 1}, ds.labels());
        float[] b = ds.sample(0);
        assertEquals(1f, b[0]);                   // R of cat/b.png
        assertEquals(128 / 255f, b[6], 1e-7f);    // G plane starts at 2*3
        assertEquals(0f, b[12]);
        float[] a = ds.sample(2);
        assertArrayEquals(new float[] {0x10 / 255f, 0x20 / 255f, 0x30 / 255f}, new float[] {a[5], a[11], a[17]}, 1e-7f);

        Path zip = dir.resolve("imgs.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String e : List.of("split/dog/a.png", "split/cat/b.png", "split/cat/c.png")) {
                z.putNextEntry(new ZipEntry(e));
                z.write(Files.readAllBytes(root.resolve(e.substring(6))));
                z.closeEntry();
            }
        }
        ArrayDataset fromZip = ImageFolderReader.read(zip, ImageFolderReader.Options.all().withPrefix("split/"));
        assertArrayEquals(ds.features(), fromZip.features());
        assertArrayEquals(ds.labels(), fromZip.labels());
    }

    @Test
    void mixedSizesNeedAResize(@TempDir Path dir) throws Exception {
        writePng(dir.resolve("x/a.png"), 0);
        BufferedImage big = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        Files.createDirectories(dir.resolve("y"));
        ImageIO.write(big, "png", dir.resolve("y/b.png").toFile());
        var e = assertThrows(DataFormatException.class, () -> ImageFolderReader.read(dir, ImageFolderReader.Options.all()));
        assertTrue(e.getMessage().contains("entry y/b.png is 4x4") && e.getMessage().contains("all images must have one size"), e.getMessage()); // no flag named "resize" exists
        ArrayDataset ds = ImageFolderReader.read(dir, ImageFolderReader.Options.all().withResize(3, 3));
        assertArrayEquals(new int[] {3, 3, 3}, ds.sampleShape());
    }

    @Test
    void cifar10TestZipFirstImagesPerClass() {
        Path zip = SharedData.path("cifar10-jpg/cifar10_test_jpg.zip");
        ArrayDataset ds = ImageFolderReader.read(zip, ImageFolderReader.Options.all().withPrefix("test/").withMaxPerClass(20));
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"), ds.classNames());
        assertEquals(200, ds.size());
        assertArrayEquals(new int[] {3, 32, 32}, ds.sampleShape());
        int[] counts = SharedData.counts(ds.labels(), 10);
        for (int c : counts) assertEquals(20, c);
        double mean = 0;
        for (float v : ds.features()) {
            assertTrue(v >= 0 && v <= 1);
            mean += v;
        }
        mean /= ds.features().length;
        assertTrue(mean > 0.3 && mean < 0.65, "mean pixel " + mean); // CIFAR-10 channel means are 0.47 / 0.48 / 0.45
        ArrayDataset small = ImageFolderReader.read(zip, ImageFolderReader.Options.all().withPrefix("test/").withMaxPerClass(2).withResize(16, 16));
        assertArrayEquals(new int[] {3, 16, 16}, small.sampleShape());
        // 32 -> 16 with half-pixel centres averages 2x2 blocks exactly
        float[] full = ds.sample(0), half = small.sample(0);
        assertEquals((full[0] + full[1] + full[32] + full[33]) / 4, half[0], 1e-6f);
    }

    private static void writePng(Path file, int rgb) throws Exception {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) img.setRGB(x, y, y == 1 && x == 2 ? rgb : (x == 0 && y == 0 ? rgb : 0));
        try (OutputStream out = Files.newOutputStream(file)) {
            ImageIO.write(img, "png", out);
        }
    }
}
