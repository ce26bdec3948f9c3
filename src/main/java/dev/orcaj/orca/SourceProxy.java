package dev.orcaj.orca;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.data.text.LabelledSet;
import dev.orcaj.data.text.WordNetGlosses;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npz;
import dev.orcaj.io.tokenize.BatchEncoding;
import dev.orcaj.io.tokenize.HfTokenizer;
import dev.orcaj.models.Body;
import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.ImageFolderReader;
import dev.orcaj.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Source proxy features for stage 2 (spec 3.1): labelled text of the body's own modality through the body's
 * tokenizer and embedding layer (word + position embeddings, as the ORCA maintainers describe their text_xs), mean
 * over the non-padding tokens. The default text proxy is WordNet 3.1 glosses labelled by lexicographer category
 * (shipped in the jar, reproducible, unlike the reference's Dropbox file); CoNLL/CoNLL-U sets can be passed instead.
 * Features are computed once and cached on disk, keyed by everything they depend on: the bytes of the data (image zip
 * or folder listing), the body's embedding weights (a hash of every parameter, not its name or config), the tokenizer
 * and the settings. A cache entry is validated on load (width, row count, finite values, labels, size) and
 * discarded, naming the file, when it does not fit.
 */
public final class SourceProxy {
    private SourceProxy() {}

    /**
     * WordNet glosses: the {@code categories} most frequent lexicographer categories, {@code samples} glosses.
     * {@code tokenizerId} identifies the tokenizer's contents (e.g. a hash of its tokenizer.json): other tokens, other features.
     */
    public static SourceFeatures wordnet(Body body, HfTokenizer tokenizer, String tokenizerId, int categories, int samples, int seqLen, long seed, Path cacheDir) {
        String key = wordnetKey(body, tokenizerId, categories, samples, seqLen, seed);
        return cached(cacheDir, key, body.inputDim(), samples, () -> text(body, tokenizer, WordNetGlosses.fromClasspath().labelledSet(categories, samples, seed), seqLen, key));
    }

    static String wordnetKey(Body body, String tokenizerId, int categories, int samples, int seqLen, long seed) {
        return "wordnet31 embeddings=" + embeddingFingerprint(body) + " tokenizer=" + tokenizerId + " categories=" + categories + " samples=" + samples
                + " seq=" + seqLen + " seed=" + seed;
    }

    /** Any labelled text set through the body's tokenizer and embedding layer. */
    public static SourceFeatures text(Body body, HfTokenizer tokenizer, LabelledSet texts, int seqLen, String description) {
        if (texts.size() == 0) throw new IllegalArgumentException("source proxy '" + description + "' has no texts");
        if (body.modality() != Body.Modality.TEXT) throw new IllegalArgumentException("source proxy '" + description + "': a text proxy needs a text body");
        int n = texts.size(), d = body.hiddenSize(), batch = 256;
        float[] feats = new float[n * d];
        body.module().train(false);
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            BatchEncoding enc = tokenizer.encodeBatch(texts.texts().subList(from, to), seqLen);
            int b = to - from, s = enc.maxLen();
            int[] mask = enc.flatAttentionMask();
            float[] e = Autograd.noGrad(() -> body.embedTokens(enc.flatIds(), enc.flatTypeIds(), b, s)).toFloatArray();
            for (int r = 0; r < b; r++) {
                int count = 0;
                for (int t = 0; t < s; t++) {
                    if (mask[r * s + t] == 0) continue;
                    count++;
                    for (int c = 0; c < d; c++) feats[(from + r) * d + c] += e[(r * s + t) * d + c];
                }
                for (int c = 0; c < d; c++) feats[(from + r) * d + c] /= Math.max(count, 1);
            }
        }
        return new SourceFeatures(feats, n, d, texts.labels(), texts.numClasses(), description);
    }

    /**
     * Vision proxy for Swin bodies (spec 3.1): labelled images (an image folder or zip with one sub-folder per class,
     * e.g. CIFAR-10's train split) resized to the body's image size and passed through the pretrained patch embedding
     * (conv + LayerNorm), mean over tokens. Takes the first {@code samples / classes} images of each class (sorted
     * names), without the reference's training augmentation.
     */
    public static SourceFeatures images(Body body, Path imagesDirOrZip, String prefix, int samples, Path cacheDir) {
        String key = imagesKey(imagesDirOrZip, prefix, body, samples);
        return cached(cacheDir, key, body.inputDim(), samples, () -> {
            ArrayDataset probe = ImageFolderReader.read(imagesDirOrZip, ImageFolderReader.Options.all().withPrefix(prefix).withMaxPerClass(1));
            int classes = probe.numClasses();
            ArrayDataset imgs = ImageFolderReader.read(imagesDirOrZip, ImageFolderReader.Options.all().withPrefix(prefix).withMaxPerClass(Math.max(1, samples / classes)));
            int n = imgs.size(), d = body.inputDim(), size = body.imageSize(), batch = 32;
            float[] feats = new float[n * d];
            body.module().train(false);
            for (int from = 0; from < n; from += batch) {
                int[] rows = dev.orcaj.data.Splits.range(from, Math.min(n, from + batch));
                Tensor x = Batches.inputs(imgs, rows);
                Tensor resized = x.shape(2) == size && x.shape(3) == size ? x : dev.orcaj.nn.Functional.resizeBilinear(x, size, size);
                float[] f = Autograd.noGrad(() -> body.embedPixels(resized).mean(1)).toFloatArray();
                System.arraycopy(f, 0, feats, from * d, f.length);
            }
            return new SourceFeatures(feats, n, d, imgs.labels(), imgs.numClasses(), key);
        });
    }

    /** The cache key of {@link #images}: the images' contents, not their path, and the embedding weights, not the config. */
    static String imagesKey(Path imagesDirOrZip, String prefix, Body body, int samples) {
        try {
            return "images " + contentHash(imagesDirOrZip) + " prefix=" + prefix + " config=" + sha256(body.config().toJson()) + " embeddings=" + embeddingFingerprint(body)
                    + " samples=" + samples;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Loads {@code key}'s features from {@code cacheDir} or computes and stores them (atomically); null dir = no cache.
     * An entry that does not fit ({@code dim} columns, 1..{@code maxRows} rows, finite, labels >= 0) is discarded and recomputed.
     */
    static SourceFeatures cached(Path cacheDir, String key, int dim, int maxRows, Supplier<SourceFeatures> compute) {
        if (cacheDir == null) return compute.get();
        Path file = cacheDir.resolve("source-" + sha256(key).substring(0, 16) + ".npz");
        if (Files.isRegularFile(file)) {
            try {
                return load(file, key, dim, maxRows);
            } catch (IOException | RuntimeException e) {
                System.err.println("orca: discarding source-proxy cache " + file + ": " + e.getMessage() + "; recomputing it");
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // rewritten below in any case
                }
            }
        }
        SourceFeatures s = compute.get();
        try {
            Files.createDirectories(cacheDir);
            Map<String, NdArray> a = new LinkedHashMap<>();
            a.put("features", NdArray.ofFloats(s.features(), s.n(), s.dim()));
            a.put("labels", NdArray.ofInts(s.labels(), s.n()));
            Npz.write(file, a, false);
        } catch (IOException e) {
            System.err.println("orca: could not write source-proxy cache " + file + ": " + e.getMessage());
        }
        return s;
    }

    /** Reads and checks a cache entry; the size and stored-only checks come first, so a zip bomb is never inflated. */
    private static SourceFeatures load(Path file, String key, int dim, int maxRows) throws IOException {
        long limit = 4L * maxRows * (dim + 1) + (1 << 16); // float features + int labels + headers
        long size = Files.size(file);
        if (size > limit) throw new IllegalArgumentException("it has " + size + " bytes, more than the " + limit + " that " + maxRows + " rows of width " + dim + " take");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                if (e.getMethod() != java.util.zip.ZipEntry.STORED) throw new IllegalArgumentException("member " + e.getName() + " is compressed (the cache stores members uncompressed)");
            }
        }
        Map<String, NdArray> a = Npz.read(file);
        NdArray f = a.get("features"), l = a.get("labels");
        if (f == null || l == null) throw new IllegalArgumentException("expected members features and labels, found " + a.keySet());
        long[] fs = f.shape();
        if (fs.length != 2 || fs[1] != dim || fs[0] < 1 || fs[0] > maxRows) {
            throw new IllegalArgumentException("features have shape " + java.util.Arrays.toString(fs) + ", expected [1.." + maxRows + ", " + dim + "]");
        }
        int n = (int) fs[0];
        int[] labels = l.toInts();
        if (l.rank() != 1 || labels.length != n) throw new IllegalArgumentException("labels have shape " + java.util.Arrays.toString(l.shape()) + ", expected [" + n + "]");
        float[] features = f.toFloats();
        for (int i = 0; i < features.length; i++) {
            if (!Float.isFinite(features[i])) throw new IllegalArgumentException("feature " + i + " is " + features[i]);
        }
        int k = 0;
        for (int v : labels) {
            if (v < 0) throw new IllegalArgumentException("label " + v + " is negative");
            k = Math.max(k, v + 1);
        }
        return new SourceFeatures(features, n, dim, labels, k, key);
    }

    /** SHA-256 of every parameter of the body's pretrained embedding layer (names containing "embeddings."): what source features depend on. */
    static String embeddingFingerprint(Body body) {
        Map<String, dev.orcaj.nn.Parameter> embedding = new LinkedHashMap<>();
        body.module().namedParameters().forEach((name, p) -> { if (name.contains("embeddings.")) embedding.put(name, p); });
        if (embedding.isEmpty()) throw new IllegalStateException("the body has no parameter named *embeddings.*: cannot key its source-proxy features");
        return fingerprint(embedding);
    }

    /** SHA-256 of the parameters (names, shapes and values): other weights, other features. */
    static String fingerprint(Map<String, dev.orcaj.nn.Parameter> parameters) {
        MessageDigest d = sha256();
        parameters.forEach((name, p) -> {
            Tensor t = p.get();
            d.update((name + java.util.Arrays.toString(t.shape())).getBytes(StandardCharsets.UTF_8));
            float[] v = t.toFloatArray();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4);
            b.asFloatBuffer().put(v);
            d.update(b);
        });
        return HexFormat.of().formatHex(d.digest()).substring(0, 32);
    }

    /**
     * SHA-256 of a tokenizer.json, an image zip (its bytes) or an image folder (every file's relative path, size and
     * modification time, in name order: reading every image would cost as much as the features).
     */
    public static String contentHash(Path fileOrDir) throws IOException {
        MessageDigest d = sha256();
        if (Files.isDirectory(fileOrDir)) {
            try (var files = Files.walk(fileOrDir)) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                    d.update((fileOrDir.relativize(p) + "\0" + Files.size(p) + "\0" + Files.getLastModifiedTime(p).toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        } else {
            try (var in = Files.newInputStream(fileOrDir)) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0; ) d.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(d.digest()).substring(0, 32);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String s) {
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

}
