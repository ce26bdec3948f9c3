package dev.orcaj.orca;

import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npz;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.models.swin.SwinModel;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The source-proxy cache is keyed on what the features depend on, and a cache entry that does not fit is discarded, not used. */
class SourceProxyCacheTest {
    @TempDir
    Path tmp;

    static final int DIM = 4;

    static SourceFeatures good() {
        return new SourceFeatures(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 2, DIM, new int[]{0, 1}, 2, "fresh");
    }

    @Test
    void wordnetKeyFollowsTheTokenizerAndEveryEmbeddingWeight() {
        BertModel a = (BertModel) TinyTask.body().get(), b = (BertModel) TinyTask.body().get();
        String key = SourceProxy.wordnetKey(a, "tok-1", 3, 60, 32, 0);
        assertEquals(key, SourceProxy.wordnetKey(b, "tok-1", 3, 60, 32, 0), "same weights, same tokenizer: same key");
        assertNotEquals(key, SourceProxy.wordnetKey(a, "tok-2", 3, 60, 32, 0), "another tokenizer");
        Tensor pos = b.embeddings.namedParameters().get("position_embeddings.weight").get();
        float[] v = pos.toFloatArray();
        v[v.length - 1] += 1;
        b.embeddings.namedParameters().get("position_embeddings.weight").set(Tensor.of(v, pos.shape()));
        assertNotEquals(key, SourceProxy.wordnetKey(b, "tok-1", 3, 60, 32, 0), "other weights (equal name and config)");
    }

    @Test
    void imagesKeyFollowsTheZipContentsNotItsPath() throws Exception {
        SwinModel swin = new SwinModel(new SwinConfig(8, 2, 3, 8, new int[]{2}, new int[]{2}, 2, 2.0, 1e-5, "gelu"), 4);
        Path zip = Files.write(tmp.resolve("images.zip"), new byte[]{1, 2, 3});
        String key = SourceProxy.imagesKey(zip, "train/", swin, 100);
        Files.write(zip, new byte[]{1, 2, 4}); // replaced in place, same path
        assertNotEquals(key, SourceProxy.imagesKey(zip, "train/", swin, 100));
        Path copy = Files.write(tmp.resolve("elsewhere.zip"), new byte[]{1, 2, 3});
        assertEquals(key, SourceProxy.imagesKey(copy, "train/", swin, 100), "the same bytes elsewhere are the same source");
    }

    private Path entry(String key, Map<String, NdArray> arrays, boolean compress) throws Exception {
        SourceProxy.cached(tmp, key, DIM, 100, SourceProxyCacheTest::good); // creates the entry's file
        Path file;
        try (var s = Files.list(tmp)) {
            file = s.filter(p -> p.getFileName().toString().startsWith("source-")).findFirst().orElseThrow();
        }
        Npz.write(file, arrays, compress);
        return file;
    }

    private void discardedAndRecomputed(Map<String, NdArray> corrupt, boolean compress) throws Exception {
        Path file = entry("k", corrupt, compress);
        AtomicInteger computed = new AtomicInteger();
        SourceFeatures s = SourceProxy.cached(tmp, "k", DIM, 100, () -> { computed.incrementAndGet(); return good(); });
        assertEquals(1, computed.get(), "the corrupt entry must not be used");
        assertArrayEquals(good().features(), s.features());
        assertArrayEquals(good().features(), SourceProxy.cached(tmp, "k", DIM, 100, () -> fail("the rewritten entry is used")).features());
        assertTrue(Files.isRegularFile(file));
    }

    static Map<String, NdArray> arrays(float[] f, int n, int d, int[] labels) {
        Map<String, NdArray> a = new LinkedHashMap<>();
        a.put("features", NdArray.ofFloats(f, n, d));
        a.put("labels", NdArray.ofInts(labels, labels.length));
        return a;
    }

    @Test
    void entryOfTheWrongWidthIsRecomputed() throws Exception {
        discardedAndRecomputed(arrays(new float[6], 2, 3, new int[]{0, 1}), false);
    }

    @Test
    void entryWithNaNFeaturesIsRecomputed() throws Exception {
        discardedAndRecomputed(arrays(new float[]{1, 2, Float.NaN, 4, 5, 6, 7, 8}, 2, DIM, new int[]{0, 1}), false);
    }

    @Test
    void compressedEntryIsNeverInflated() throws Exception {
        // a zip bomb: 100 rows allowed, 1M rows declared, all zeros: deflates to almost nothing
        discardedAndRecomputed(arrays(new float[1_000_000 * DIM], 1_000_000, DIM, new int[1_000_000]), true);
    }

    @Test
    void warningNamesTheCacheFile() throws Exception {
        Path file = entry("w", arrays(new float[6], 2, 3, new int[]{0, 1}), false);
        var err = new java.io.ByteArrayOutputStream();
        var old = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            SourceProxy.cached(tmp, "w", DIM, 100, SourceProxyCacheTest::good);
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString().startsWith("orca: discarding source-proxy cache " + file + ": features have shape [2, 3], expected [1..100, 4]"), err.toString());
    }
}
