package dev.orcaj.io.onnx;

import dev.orcaj.io.NdArray;
import dev.orcaj.io.tokenize.WordPieceTokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where the ONNX export and tokenizer.json of a {@link PretrainedBert} are read from: the classpath (the jar was built
 * with them, or they are on the test classpath), the Maven artifact's jar given as a path ({@code --body
 * bge-small=PATH.jar}), or an {@code .onnx} file with its tokenizer beside it (STEM-tokenizer.json or tokenizer.json).
 * Nothing is cached: each {@link #stateDict()} re-reads the file, so a body's weights live only as long as its model.
 *
 * @param location null for the classpath, else a .jar/.zip or an .onnx file
 */
public record OnnxBertArtifact(PretrainedBert model, Path location) {

    /** The model from the classpath; fails, saying how to provide it, where its ONNX file is not there. */
    public static OnnxBertArtifact classpath(PretrainedBert model) {
        if (!onClasspath(model)) {
            if (model == PretrainedBert.MINILM) throw new IllegalStateException("classpath resource " + model.onnxResource() + " not found: the jar must include " + model.coordinates());
            throw new IllegalArgumentException("--body " + model.flag + ": " + model.onnxResource() + " is not in this build of orca (only minilm is built in); "
                    + "pass the Maven artifact's jar, --body " + model.flag + "=PATH/" + model.jarName() + " (" + model.coordinates()
                    + ", e.g. under ~/.m2/repository), or build orca with -Pbodies to bundle it");
        }
        return new OnnxBertArtifact(model, null);
    }

    public static boolean onClasspath(PretrainedBert model) {
        return OnnxBertArtifact.class.getClassLoader().getResource(model.onnxResource()) != null;
    }

    /** The model from a jar/zip holding STEM.onnx and STEM-tokenizer.json, or from an .onnx file; checked here, before any weights are read. */
    public static OnnxBertArtifact at(PretrainedBert model, Path location) throws IOException {
        String what = "--body " + model.flag + "=" + location;
        if (!Files.isRegularFile(location)) throw new NoSuchFileException(location.toString(), null, what + ": no such file (expected " + model.jarName() + " or an .onnx file)");
        OnnxBertArtifact a = new OnnxBertArtifact(model, location);
        if (a.isOnnxFile()) {
            a.tokenizerFile(); // fails when neither tokenizer name is beside it
            return a;
        }
        try (ZipFile zip = new ZipFile(location.toFile())) {
            for (String entry : new String[]{model.onnxResource(), model.tokenizerResource()}) {
                if (zip.getEntry(entry) == null) throw new IllegalArgumentException(what + ": the jar has no " + entry + " (expected the artifact " + model.coordinates() + ")");
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(what + ": not a jar/zip file or an .onnx file (" + e.getMessage() + ")", e);
        }
        return a;
    }

    private boolean isOnnxFile() {
        return location != null && location.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    private Path tokenizerFile() throws NoSuchFileException {
        Path dir = location.toAbsolutePath().getParent();
        for (String name : new String[]{model.tokenizerResource(), "tokenizer.json"}) {
            if (Files.isRegularFile(dir.resolve(name))) return dir.resolve(name);
        }
        throw new NoSuchFileException(dir.resolve("tokenizer.json").toString(), null,
                "--body " + model.flag + "=" + location + ": the tokenizer must lie beside the .onnx file as " + model.tokenizerResource() + " or tokenizer.json");
    }

    /** "classpath:STEM.onnx", "JAR!STEM.onnx" or the .onnx path: the weights' source in messages. */
    public String describe() {
        if (location == null) return "classpath:" + model.onnxResource();
        return isOnnxFile() ? location.toString() : location + "!" + model.onnxResource();
    }

    /** HF BERT state dict without the pooler (no "bert." prefix, Linear weights [out, in], fp32), checked against the model's config. */
    public Map<String, NdArray> stateDict() throws IOException {
        return OnnxBertImporter.stateDict(graph(), model.config(), false, describe());
    }

    public OnnxGraph graph() throws IOException {
        if (isOnnxFile()) return OnnxGraph.read(location);
        return OnnxGraph.parse(java.nio.ByteBuffer.wrap(bytes(model.onnxResource())), describe());
    }

    /** The model's own WordPiece tokenizer. */
    public WordPieceTokenizer tokenizer() throws IOException {
        return WordPieceTokenizer.fromStream(new ByteArrayInputStream(tokenizerBytes()), tokenizerSource());
    }

    /** SHA-256 (32 hex digits) of the tokenizer.json bytes: keys the source-proxy cache (other tokens, other features). */
    public String tokenizerId() throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tokenizerBytes())).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String tokenizerSource() throws IOException {
        if (location == null) return "classpath:" + model.tokenizerResource();
        return isOnnxFile() ? tokenizerFile().toString() : location + "!" + model.tokenizerResource();
    }

    private byte[] tokenizerBytes() throws IOException {
        return isOnnxFile() ? Files.readAllBytes(tokenizerFile()) : bytes(model.tokenizerResource());
    }

    /** One resource of the classpath or the jar, whole. */
    private byte[] bytes(String resource) throws IOException {
        if (location == null) {
            try (InputStream in = OnnxBertArtifact.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) throw new NoSuchFileException("classpath:" + resource, null, "not on the classpath (artifact " + model.coordinates() + ")");
                return in.readAllBytes();
            }
        }
        try (ZipFile zip = new ZipFile(location.toFile())) {
            ZipEntry e = zip.getEntry(resource);
            if (e == null) throw new NoSuchFileException(location + "!" + resource, null, "the jar has no such entry (expected the artifact " + model.coordinates() + ")");
            dev.orcaj.io.HeapBudget.require(Math.max(e.getSize(), 0) * 2, "reading " + location + "!" + resource);
            try (InputStream in = zip.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }
}
