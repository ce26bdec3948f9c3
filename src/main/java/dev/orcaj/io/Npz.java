package dev.orcaj.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** NumPy {@code .npz}: a zip archive of {@code NAME.npy} members, stored or deflated (as np.savez / np.savez_compressed write). */
public final class Npz {
    private Npz() {}

    /** All arrays in archive order, keyed by member name without the ".npy" suffix. */
    public static Map<String, NdArray> read(Path file) throws IOException {
        Map<String, NdArray> out = new LinkedHashMap<>();
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException | java.io.EOFException e) { // a central directory cut short ends in EOFException (found by NpzFuzzTest)
            throw new Npy.NpyFormatException(file + ": not a valid .npz (zip) archive: " + (e.getMessage() != null ? e.getMessage() : "truncated"));
        }
        try (zip) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) continue;
                String member = e.getName();
                String key = member.endsWith(".npy") ? member.substring(0, member.length() - 4) : member;
                byte[] bytes;
                // the size a member declares is checked before it is inflated; a member inflating beyond it is corrupt (or a zip bomb)
                long declared = e.getSize();
                String what = file + "[" + member + "]";
                if (declared > HeapBudget.MAX_ARRAY_ELEMENTS) throw new Npy.NpyFormatException(what + ": " + HeapBudget.mib(declared) + " uncompressed is more than one array may hold (2 GiB)");
                if (declared >= 0) HeapBudget.require(2 * declared, "reading " + what + " (" + HeapBudget.mib(declared) + " uncompressed)");
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readNBytes(declared >= 0 ? (int) Math.min(declared + 1, HeapBudget.MAX_ARRAY_ELEMENTS) : (int) HeapBudget.MAX_ARRAY_ELEMENTS);
                    if (declared >= 0 && bytes.length > declared) throw new Npy.NpyFormatException(what + ": inflates to more than the " + declared + " bytes its zip entry declares");
                } catch (ZipException ex) {
                    throw new Npy.NpyFormatException(file + "[" + member + "]: corrupt zip member: " + ex.getMessage());
                }
                out.put(key, Npy.parse(ByteBuffer.wrap(bytes), file + "[" + member + "]"));
            }
        } catch (java.io.EOFException ex) {
            throw new Npy.NpyFormatException(file + ": truncated .npz archive: " + ex.getMessage());
        }
        return out;
    }

    /** Writes the arrays as {@code NAME.npy} members, deflated when {@code compress}, else stored; atomically. */
    public static void write(Path file, Map<String, NdArray> arrays, boolean compress) throws IOException {
        AtomicFiles.write(file, os -> {
            try (ZipOutputStream zip = new ZipOutputStream(os)) {
                for (Map.Entry<String, NdArray> a : arrays.entrySet()) {
                    String member = a.getKey() + ".npy";
                    String target = file + "[" + member + "]";
                    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
                    Npy.write(buf, a.getValue(), target);
                    byte[] bytes = buf.toByteArray();
                    ZipEntry e = new ZipEntry(member);
                    if (compress) {
                        e.setMethod(ZipEntry.DEFLATED);
                    } else {
                        CRC32 crc = new CRC32();
                        crc.update(bytes);
                        e.setMethod(ZipEntry.STORED);
                        e.setSize(bytes.length);
                        e.setCompressedSize(bytes.length);
                        e.setCrc(crc.getValue());
                    }
                    zip.putNextEntry(e);
                    zip.write(bytes);
                    zip.closeEntry();
                }
            }
        });
    }
}
