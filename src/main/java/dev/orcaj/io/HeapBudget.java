package dev.orcaj.io;

import java.util.Locale;

/**
 * Sizes checked against the JVM heap before they are allocated: input too large for {@code -Xmx} is refused up front,
 * with the numbers and the remedy, instead of failing with an OutOfMemoryError half-way through reading or training.
 */
public final class HeapBudget {
    /** The most elements one Java array holds (the VM reserves a few header words below Integer.MAX_VALUE). */
    public static final long MAX_ARRAY_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Requests below this many bytes pass unchecked (see {@link #require}). */
    static final long UNCHECKED_BELOW = 16L << 20;

    private HeapBudget() {}

    /** The heap the JVM may grow to ({@code -Xmx}). */
    public static long maxHeap() { return Runtime.getRuntime().maxMemory(); }

    /** What the heap can still give now: its maximum minus what is in use (garbage included, so an under-estimate). */
    public static long free() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /** Throws {@link InsufficientHeapException} naming {@code what} when {@code bytes} more cannot fit in the heap. */
    public static void require(long bytes, String what) {
        // small requests are not checked: "free" counts uncollected garbage as used, so a full heap of garbage would
        // trigger a System.gc() per image or entry; an allocation this small that fails is reported by the CLI's handler
        if (bytes < UNCHECKED_BELOW || bytes <= free()) return;
        System.gc(); // uncollected garbage may hold the difference: measure again after a collection before refusing
        long free = free();
        if (bytes <= free) return;
        throw new InsufficientHeapException(what + " needs " + mib(bytes) + " but only " + mib(free) + " of the " + mib(maxHeap())
                + " JVM heap is free; " + remedy(bytes - free));
    }

    /** As {@link #require} for one Java array of {@code elements} elements of {@code elementBytes} bytes each. */
    public static void requireArray(long elements, int elementBytes, String what) {
        if (elements > MAX_ARRAY_ELEMENTS) {
            throw new InsufficientHeapException(what + " has " + elements + " elements, more than one Java array can hold (" + MAX_ARRAY_ELEMENTS + ")");
        }
        require(elements * elementBytes, what);
    }

    /**
     * Before reading {@code file} whole: its size times {@code bytesPerFileByte} (what the parsed form takes, e.g. ~8
     * for text split into String fields) must fit the free heap.
     */
    public static void requireFile(java.nio.file.Path file, int bytesPerFileByte, String parsedAs) throws java.io.IOException {
        long size = java.nio.file.Files.size(file);
        require(size * bytesPerFileByte, "reading " + file + " (" + mib(size) + " as " + parsedAs + ")");
    }

    /** The advice printed with every heap refusal and out-of-memory error. */
    public static String remedy(long missingBytes) {
        return moreHeap(missingBytes) + " or use a smaller batch / smaller input";
    }

    /** "give the JVM more heap (e.g. java -XmxNg ...)" with N at least the current maximum plus what is missing. */
    public static String moreHeap(long missingBytes) {
        long gib = Math.max(1, (maxHeap() + Math.max(0, missingBytes) + (1L << 30) - 1) >> 30);
        return "give the JVM more heap (e.g. java -Xmx" + (gib + 1) + "g -jar orca.jar ...)";
    }

    public static String mib(long bytes) {
        return bytes >= 10L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30)) : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    /** A size that does not fit the heap; a bad-input error (exit code 2 in the CLI). */
    public static final class InsufficientHeapException extends IllegalArgumentException {
        public InsufficientHeapException(String message) { super(message); }
    }
}
