package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.data.ImageFolderReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Fuzzes the image-folder zip reader. The first byte picks what the rest is: even = the zip file itself (central
 * directory, entry names, class folders); odd = one image inside an otherwise valid zip (so mutations reach the
 * PNG/JPEG decoding rather than dying at the zip layer). See {@link ParserProperty}.
 */
class ImageZipFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        if (data.length == 0) return;
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        byte[] zip = data[0] % 2 == 0 ? rest : zipWithImage(rest);
        ParserProperty.assertHolds("fuzzed-images.zip",
                () -> ImageFolderReader.read(ParserProperty.file("fuzzed-images.zip", zip), ImageFolderReader.Options.all()));
    }

    private static byte[] zipWithImage(byte[] image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("fuzzed/0.png"));
            z.write(image);
            z.closeEntry();
            z.finish();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
