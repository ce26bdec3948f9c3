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
 * Features are computed once and cached on disk, keyed by body, data and settings.
 */
public final class SourceProxy {
    private SourceProxy() {}

    /** WordNet glosses: the {@code categories} most frequent lexicographer categories, {@code samples} glosses. */
    public static SourceFeatures wordnet(Body body, HfTokenizer tokenizer, String bodyId, int categories, int samples, int seqLen, long seed, Path cacheDir) {
        String key = "wordnet31 body=" + bodyId + "/" + fingerprint(body.module().namedParameters().values().iterator().next().get()) + " categories=" + categories + " samples=" + samples + " seq=" + seqLen + " seed=" + seed;
        return cached(cacheDir, key, () -> text(body, tokenizer, WordNetGlosses.fromClasspath().labelledSet(categories, samples, seed), seqLen, key));
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
        String key = "images " + imagesDirOrZip.toAbsolutePath() + " prefix=" + prefix + " body=" + body.config().modelType() + body.config().toJson().hashCode() + " samples=" + samples;
        return cached(cacheDir, key, () -> {
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

    /** Loads {@code key}'s features from {@code cacheDir} or computes and stores them (atomically); null dir = no cache. */
    static SourceFeatures cached(Path cacheDir, String key, Supplier<SourceFeatures> compute) {
        if (cacheDir == null) return compute.get();
        Path file = cacheDir.resolve("source-" + sha256(key).substring(0, 16) + ".npz");
        if (Files.isRegularFile(file)) {
            try {
                Map<String, NdArray> a = Npz.read(file);
                NdArray f = a.get("features");
                int[] labels = a.get("labels").toInts();
                int k = 0;
                for (int l : labels) k = Math.max(k, l + 1);
                return new SourceFeatures(f.toFloats(), (int) f.shape()[0], (int) f.shape()[1], labels, k, key);
            } catch (IOException | RuntimeException e) {
                System.err.println("orca: ignoring unreadable source-proxy cache " + file + " (" + e.getMessage() + "); recomputing");
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

    /** A cheap fingerprint of a weight table (so a cache entry is not reused for other weights under the same name). */
    static String fingerprint(Tensor t) {
        float[] v = t.slice(0, 0, Math.min(t.shape(0), 64)).toFloatArray();
        return Integer.toHexString(java.util.Arrays.hashCode(v));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
