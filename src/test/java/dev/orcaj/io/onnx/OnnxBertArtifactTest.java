package dev.orcaj.io.onnx;

import dev.orcaj.io.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.JarURLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a pretrained ONNX BERT from its Maven jar by path (--body NAME=JAR), and the errors for files that are not one. */
class OnnxBertArtifactTest {
    @TempDir Path dir;

    /** The artifact's jar on the test classpath, as a user would pass it from ~/.m2. */
    static Path jarOf(PretrainedBert m) throws Exception {
        var url = OnnxBertArtifact.class.getClassLoader().getResource(m.onnxResource());
        return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
    }

    @Test
    void theJarByPathGivesTheClasspathWeightsAndTokenizer() throws Exception {
        Path jar = jarOf(PretrainedBert.E5_SMALL);
        assertEquals(PretrainedBert.E5_SMALL.jarName(), jar.getFileName().toString());
        OnnxBertArtifact byPath = OnnxBertArtifact.at(PretrainedBert.E5_SMALL, jar);
        OnnxBertArtifact onClasspath = OnnxBertArtifact.classpath(PretrainedBert.E5_SMALL);
        assertEquals(onClasspath.tokenizerId(), byPath.tokenizerId());
        assertTrue(byPath.describe().endsWith("!e5-small-v2.onnx"), byPath.describe());
        Map<String, NdArray> a = byPath.stateDict();
        assertEquals(PretrainedBert.E5_SMALL.config().stateDictShapes(false).keySet(), a.keySet());
        String key = "encoder.layer.11.attention.self.query.weight"; // a transposed (anonymous MatMul) weight of the last layer
        assertArrayEquals(a.get(key).toFloats(), onClasspath.stateDict().get(key).toFloats());
    }

    @Test
    void aJarWithoutTheModelIsRefusedNamingTheEntry() throws Exception {
        Path jar = dir.resolve("other.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
            z.putNextEntry(new ZipEntry("bge-small-en-v1.5-tokenizer.json"));
            z.write("{}".getBytes());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxBertArtifact.at(PretrainedBert.BGE_SMALL, jar));
        assertTrue(e.getMessage().contains("--body bge-small=" + jar) && e.getMessage().contains("has no bge-small-en-v1.5.onnx")
                && e.getMessage().contains(PretrainedBert.BGE_SMALL.coordinates()), e.getMessage());
    }

    @Test
    void aMissingFileOrTokenizerIsRefused() throws Exception {
        Path none = dir.resolve("nope.jar");
        var e = assertThrows(NoSuchFileException.class, () -> OnnxBertArtifact.at(PretrainedBert.E5_SMALL, none));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        Path onnx = Files.write(dir.resolve("model.onnx"), new byte[]{1, 2, 3});
        var t = assertThrows(NoSuchFileException.class, () -> OnnxBertArtifact.at(PretrainedBert.E5_SMALL, onnx));
        assertTrue(t.getMessage().contains("e5-small-v2-tokenizer.json or tokenizer.json"), t.getMessage());
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a zip");
        var z = assertThrows(IllegalArgumentException.class, () -> OnnxBertArtifact.at(PretrainedBert.E5_SMALL, text));
        assertTrue(z.getMessage().contains("not a jar/zip file or an .onnx file"), z.getMessage());
    }
}
