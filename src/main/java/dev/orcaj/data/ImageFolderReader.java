package dev.orcaj.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import dev.orcaj.io.HeapBudget;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.util.Iterator;

/**
 * PNG / JPEG images in class sub-folders ({@code root/<class>/<file>}), from a directory or a zip, read with ImageIO
 * into {3, H, W} floats in [0, 1] (RGB, channels first). Classes are the folder names sorted (torchvision
 * ImageFolder order); files within a class are taken in sorted path order.
 */
public final class ImageFolderReader {

    /**
     * prefix: only entries under this path ("" = all; e.g. "test/" in the CIFAR-10 zips);
     * height/width: bilinear resize target, or 0 to keep the size (then all images must share it);
     * maxPerClass: at most this many images per class (-1 = all).
     */
    public record Options(String prefix, int height, int width, int maxPerClass) {
        public static Options all() { return new Options("", 0, 0, -1); }
        public Options withPrefix(String p) { return new Options(p, height, width, maxPerClass); }
        public Options withResize(int h, int w) { return new Options(prefix, h, w, maxPerClass); }
        public Options withMaxPerClass(int m) { return new Options(prefix, height, width, m); }
    }

    private record Entry(String path, String className) {}

    @FunctionalInterface
    private interface Bytes { byte[] read(String path) throws IOException; }

    private ImageFolderReader() {}

    public static ArrayDataset read(Path source, Options options) {
        try {
            if (Files.isDirectory(source)) {
                List<String> paths;
                try (Stream<Path> s = Files.walk(source)) {
                    paths = s.filter(Files::isRegularFile).map(p -> source.relativize(p).toString().replace('\\', '/')).toList();
                }
                return build(source, paths, options, p -> Files.readAllBytes(source.resolve(p)));
            }
            try (ZipFile zip = new ZipFile(source.toFile())) {
                List<String> paths = zip.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).toList();
                return build(source, paths, options, p -> {
                    ZipEntry entry = zip.getEntry(p);
                    HeapBudget.require(Math.max(0, entry.getSize()), source + " entry " + p + " (" + HeapBudget.mib(entry.getSize()) + " uncompressed)");
                    return zip.getInputStream(entry).readAllBytes();
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read images from " + source + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    private static ArrayDataset build(Path source, List<String> paths, Options o, Bytes bytes) throws IOException {
        Map<String, List<String>> byClass = new TreeMap<>();
        for (String p : paths) {
            if (!p.startsWith(o.prefix()) || !isImage(p)) continue;
            String rel = p.substring(o.prefix().length());
            int slash = rel.lastIndexOf('/');
            if (slash < 0) continue; // a file directly under the root has no class folder
            String dir = rel.substring(0, slash);
            String cls = dir.substring(dir.lastIndexOf('/') + 1);
            byClass.computeIfAbsent(cls, k -> new ArrayList<>()).add(p);
        }
        if (byClass.isEmpty()) throw DataFormatException.in(source, "no PNG/JPEG images in class folders under '" + o.prefix() + "'");
        List<String> classNames = new ArrayList<>(byClass.keySet());
        List<Entry> entries = new ArrayList<>();
        for (var e : byClass.entrySet()) {
            List<String> files = e.getValue().stream().sorted(Comparator.naturalOrder()).toList();
            if (o.maxPerClass() >= 0) files = files.subList(0, Math.min(o.maxPerClass(), files.size()));
            for (String f : files) entries.add(new Entry(f, e.getKey()));
        }
        int h = o.height(), w = o.width();
        float[] x = null;
        int[] y = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            BufferedImage img = decode(source, e.path(), bytes.read(e.path()));
            float[] chw = toChw(img);
            if (h == 0) { h = img.getHeight(); w = img.getWidth(); }
            if (img.getHeight() != h || img.getWidth() != w) {
                if (o.height() == 0)
                    throw DataFormatException.in(source, "entry " + e.path() + " is " + img.getHeight() + "x" + img.getWidth()
                            + " but earlier images are " + h + "x" + w + "; all images must have one size (resize them to a common size first)");
                chw = resizeBilinear(chw, 3, img.getHeight(), img.getWidth(), h, w);
            }
            if (x == null) {
                HeapBudget.requireArray((long) entries.size() * 3 * h * w, 4, source + ": " + entries.size() + " images of 3x" + h + "x" + w + " as float32");
                x = new float[entries.size() * 3 * h * w];
            }
            System.arraycopy(chw, 0, x, i * 3 * h * w, 3 * h * w);
            y[i] = classNames.indexOf(e.className());
        }
        return new ArrayDataset(x, new int[] {3, h, w}, new Targets.ClassLabels(y, classNames.size()), classNames);
    }

    /** Decoded pixels take ~20 bytes each here (ARGB image, ARGB copy, float32 CHW): checked before decoding, from the declared size. */
    private static final int BYTES_PER_DECODED_PIXEL = 20;

    /**
     * One PNG/JPEG entry: its declared width and height are read from the header and checked against the heap before
     * the pixels are decoded (a 20000x20000 PNG of a few KB would otherwise exhaust it); a corrupt or truncated
     * entry is named with the decoder's reason.
     */
    private static BufferedImage decode(Path source, String entry, byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw DataFormatException.in(source, "entry " + entry + ": not a PNG or JPEG image (" + bytes.length + " bytes)");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                HeapBudget.require(w * h * BYTES_PER_DECODED_PIXEL, source + " entry " + entry + " (declares " + w + "x" + h + " pixels)");
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException ex) {
            if (ex instanceof DataFormatException || ex instanceof HeapBudget.InsufficientHeapException) throw (RuntimeException) ex;
            throw DataFormatException.in(source, "entry " + entry + ": cannot decode it as PNG/JPEG (" + (ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName()) + ")");
        }
    }

    private static boolean isImage(String p) {
        String l = p.toLowerCase(Locale.ROOT);
        return l.endsWith(".png") || l.endsWith(".jpg") || l.endsWith(".jpeg");
    }

    /** sRGB pixels to {3, H, W} in [0, 1]. */
    static float[] toChw(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[3 * h * w];
        for (int p = 0; p < h * w; p++) {
            out[p] = ((argb[p] >> 16) & 0xFF) / 255f;
            out[h * w + p] = ((argb[p] >> 8) & 0xFF) / 255f;
            out[2 * h * w + p] = (argb[p] & 0xFF) / 255f;
        }
        return out;
    }

    /**
     * Bilinear resize of {C, H, W} to {C, outH, outW} with half-pixel centres (source coordinate
     * (i + 0.5) * H / outH - 0.5, clamped to the image), i.e. torch's interpolate(mode='bilinear',
     * align_corners=False) without antialiasing.
     */
    public static float[] resizeBilinear(float[] chw, int channels, int height, int width, int outH, int outW) {
        if (chw.length != channels * height * width)
            throw new IllegalArgumentException("resizeBilinear: " + chw.length + " values for " + channels + "x" + height + "x" + width);
        if (outH <= 0 || outW <= 0) throw new IllegalArgumentException("resizeBilinear: bad output size " + outH + "x" + outW);
        float[] out = new float[channels * outH * outW];
        for (int i = 0; i < outH; i++) {
            double sy = Math.max(0, Math.min(height - 1, (i + 0.5) * height / outH - 0.5));
            int y0 = (int) Math.floor(sy), y1 = Math.min(y0 + 1, height - 1);
            double fy = sy - y0;
            for (int j = 0; j < outW; j++) {
                double sx = Math.max(0, Math.min(width - 1, (j + 0.5) * width / outW - 0.5));
                int x0 = (int) Math.floor(sx), x1 = Math.min(x0 + 1, width - 1);
                double fx = sx - x0;
                for (int c = 0; c < channels; c++) {
                    int base = c * height * width;
                    double top = chw[base + y0 * width + x0] * (1 - fx) + chw[base + y0 * width + x1] * fx;
                    double bottom = chw[base + y1 * width + x0] * (1 - fx) + chw[base + y1 * width + x1] * fx;
                    out[c * outH * outW + i * outW + j] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return out;
    }
}
