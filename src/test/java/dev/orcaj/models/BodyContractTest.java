package dev.orcaj.models;

import dev.orcaj.io.BertConfig;
import dev.orcaj.models.swin.SwinModel;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** What ORCA asks of a body goes through {@link Body}: geometry, own embeddings, re-initialisation; no type tests outside models. */
class BodyContractTest {
    static final Path TINY_SWIN = Path.of(System.getProperty("orcaj.shared", "../shared")).resolve("data/weights/tiny-swin");

    @Test
    void swinGeometryComesFromItsConfig() throws Exception {
        Body swin = Bodies.load(TINY_SWIN);
        SwinModel s = (SwinModel) swin;
        assertEquals(Body.Modality.IMAGE, swin.modality());
        assertEquals(s.config.patchSize(), swin.patchSize());
        assertEquals(s.config.imageSize(), swin.imageSize());
        assertEquals(1 << (s.config.depths().length - 1), swin.outputDownsample());
        assertSame(s.embeddings.projection.weight, swin.patchProjection()[0]);
        assertSame(s.config, swin.config());
    }

    @Test
    void textBodiesLetTheEmbedderChooseAndReinitializeToBertInit() {
        Body bert = Bodies.random(new BertConfig("bert", 16, 16, 2, 2, 32, "gelu", 16, 2, 1e-12, 0), 7);
        assertEquals(Body.Modality.TEXT, bert.modality());
        assertEquals(0, bert.patchSize());
        assertEquals(1, bert.outputDownsample());
        assertNull(bert.patchProjection());
        bert.module().namedParameters().get("encoder.layer.0.output.LayerNorm.weight").set(dev.orcaj.tensor.Tensor.zeros(16));
        bert.reinitialize(3);
        var p = bert.module().namedParameters();
        for (float v : p.get("encoder.layer.0.output.LayerNorm.weight").get().toFloatArray()) assertEquals(1f, v);
        for (float v : p.get("encoder.layer.0.attention.self.query.bias").get().toFloatArray()) assertEquals(0f, v);
        float[] q = p.get("encoder.layer.0.attention.self.query.weight").get().toFloatArray();
        double ss = 0;
        for (float v : q) ss += v * v;
        assertEquals(0.02, Math.sqrt(ss / q.length), 0.006, "N(0, 0.02)");
    }

    @Test
    void noModelTypeTestsOutsideModels() throws IOException {
        Path main = Path.of("src/main/java/dev/orcaj");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(main.resolve("models")))
                    .filter(f -> {
                        try {
                            String s = Files.readString(f);
                            return s.matches("(?s).*(instanceof|case)\\s+(dev\\.orcaj\\.models\\.\\w+\\.)?(BertModel|SwinModel)\\b.*");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).map(Path::toString).toList();
            assertEquals(List.of(), offenders, "ask Body, not the model class");
        }
    }
}
