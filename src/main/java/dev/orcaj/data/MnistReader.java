package dev.orcaj.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * MNIST IDX files (http://yann.lecun.com/exdb/mnist/), gzipped or not: images magic 2051 (n, rows, cols uint8),
 * labels magic 2049 (n uint8), big-endian headers. Images become {1, rows, cols} floats in [0, 1] (value / 255).
 */
public final class MnistReader {

    private static final int IMAGES_MAGIC = 2051, LABELS_MAGIC = 2049;

    private MnistReader() {}

    /** The first {@code limit} samples (all if limit < 0). */
    public static ArrayDataset read(Path images, Path labels, int limit) {
        try (DataInputStream img = open(images); DataInputStream lab = open(labels)) {
            int magic = img.readInt();
            if (magic != IMAGES_MAGIC) throw DataFormatException.in(images, "IDX magic " + magic + ", expected " + IMAGES_MAGIC + " (images)");
            int n = img.readInt(), rows = img.readInt(), cols = img.readInt();
            magic = lab.readInt();
            if (magic != LABELS_MAGIC) throw DataFormatException.in(labels, "IDX magic " + magic + ", expected " + LABELS_MAGIC + " (labels)");
            int nLabels = lab.readInt();
            if (nLabels != n) throw DataFormatException.in(labels, nLabels + " labels for " + n + " images in " + images);
            if (n < 0 || rows <= 0 || cols <= 0) throw DataFormatException.in(images, "bad header n=" + n + " rows=" + rows + " cols=" + cols);
            int count = limit < 0 ? n : Math.min(limit, n);
            int pixels = rows * cols;
            float[] x = new float[count * pixels];
            int[] y = new int[count];
            byte[] buf = new byte[pixels];
            for (int i = 0; i < count; i++) {
                try {
                    img.readFully(buf);
                } catch (EOFException e) {
                    throw DataFormatException.in(images, "file ends inside image " + i + " of " + n);
                }
                for (int p = 0; p < pixels; p++) x[i * pixels + p] = (buf[p] & 0xFF) / 255f;
                int label = lab.read();
                if (label < 0) throw DataFormatException.in(labels, "file ends at label " + i + " of " + n);
                if (label > 9) throw DataFormatException.in(labels, "label " + i + " is " + label + ", expected 0..9");
                y[i] = label;
            }
            return new ArrayDataset(x, new int[] {1, rows, cols}, new Targets.ClassLabels(y, 10),
                    List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read MNIST " + images + " / " + labels, e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        return new DataInputStream(in);
    }
}
