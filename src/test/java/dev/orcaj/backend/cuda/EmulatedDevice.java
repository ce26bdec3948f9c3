package dev.orcaj.backend.cuda;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@link CudaDevice} whose "GPU" is the CPU emulation of the real kernels (src/test/cuda-emu/emu_device.cpp,
 * built with g++ on first use): buffers are native memory, launches go by kernel name with the same argument list
 * the JCuda path packs (each argument's value behind a pointer, as cuLaunchKernel takes them), and GEMM is a plain
 * column-major loop with cuBLAS GemmEx conventions. Lets the GPU tests exercise CudaBackend / CudaOps / CudaOt end to
 * end (staging, View packing, argument order and types, launch shapes, the row-major to column-major GEMM mapping)
 * on machines without a GPU. Not covered: JCuda itself, the PTX/JIT path, real cuBLAS, timing.
 */
final class EmulatedDevice extends CudaDevice {
    private static final Linker LINKER = Linker.nativeLinker();
    private static volatile Object instance; // EmulatedDevice, or the String reason it cannot be built
    private final MethodHandle launch, gemmCall;

    private EmulatedDevice(SymbolLookup lib) {
        super(0, "CPU emulation of the ORCA-J kernels");
        launch = LINKER.downcallHandle(lib.find("emu_launch").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        gemmCall = LINKER.downcallHandle(lib.find("emu_gemm").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_FLOAT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    /** The shared emulated device, or null with {@link #unavailableReason()} set (no g++, build failure). */
    static synchronized EmulatedDevice get() {
        if (instance == null) instance = build();
        return instance instanceof EmulatedDevice d ? d : null;
    }

    static String unavailableReason() {
        get();
        return instance instanceof String s ? s : null;
    }

    private static Object build() {
        try {
            Path dir = Files.createTempDirectory("orcaj-cuda-emu");
            Path lib = dir.resolve("libkernels_emu.so");
            List<String> cmd = List.of("g++", "-std=c++20", "-O2", "-pthread", "-shared", "-fPIC", "-Isrc/test/cuda-emu", "-Isrc/main/cuda",
                    "-o", lib.toString(), "src/test/cuda-emu/emu_device.cpp");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) return "g++ could not build the kernel emulation: " + log;
            return new EmulatedDevice(SymbolLookup.libraryLookup(lib, Arena.global()));
        } catch (IOException e) {
            return "no g++ to build the kernel emulation: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while building the kernel emulation";
        }
    }

    @Override void bind() {}

    @Override
    DeviceBuffer doAllocate(long bytes) {
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate(Math.max(bytes, 16), 256);
        return new DeviceBuffer(null, seg, bytes, seg.byteSize(), b -> arena.close());
    }

    @Override void doUpload(float[] src, int off, int len, DeviceBuffer dst) { MemorySegment.copy(src, off, dst.segment, JAVA_FLOAT, 0, len); }

    @Override void doUpload(int[] src, DeviceBuffer dst) { MemorySegment.copy(src, 0, dst.segment, JAVA_INT, 0, src.length); }

    @Override void doDownload(DeviceBuffer b, float[] dst, int off, int len) { MemorySegment.copy(b.segment, JAVA_FLOAT, 0, dst, off, len); }

    @Override void doDownload(DeviceBuffer b, int[] dst) { MemorySegment.copy(b.segment, JAVA_INT, 0, dst, 0, dst.length); }

    @Override void doZero(DeviceBuffer b, int n) { b.segment.asSlice(0, 4L * n).fill((byte) 0); }

    @Override void doSynchronize() {}

    @Override
    void doLaunch(Kernel k, int gridX, int gridY, int block, Object[] args) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment params = a.allocate(ADDRESS, Math.max(args.length, 1));
            for (int i = 0; i < args.length; i++) {
                MemorySegment value = switch (args[i]) {
                    case null -> a.allocateFrom(ADDRESS, MemorySegment.NULL);
                    case DeviceBuffer b -> a.allocateFrom(ADDRESS, b.segment);
                    case Integer v -> a.allocateFrom(JAVA_INT, v);
                    case Float v -> a.allocateFrom(JAVA_FLOAT, v);
                    case int[] v -> a.allocateFrom(JAVA_INT, v);
                    default -> throw new IllegalArgumentException(k + ": unsupported kernel argument " + args[i].getClass());
                };
                params.setAtIndex(ADDRESS, i, value);
            }
            int st = (int) launch.invokeExact(a.allocateFrom(k.entry), gridX, gridY, block, params);
            if (st != 0) throw new IllegalStateException("emulation has no kernel " + k.entry);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("emulated launch of " + k.entry + ": " + t, t);
        }
    }

    @Override
    Gemm openGemm() {
        return new Gemm() {
            @Override public String path() { return "CPU emulation (column-major loop, cuBLAS GemmEx conventions)"; }

            @Override
            void gemmEx(int opA, int opB, int m, int n, int k, float alpha, DeviceBuffer a, int aType, int lda, long strideA,
                        DeviceBuffer b, int bType, int ldb, long strideB, float beta, DeviceBuffer c, int ldc, long strideC,
                        int batch, int computeType) {
                try {
                    gemmCall.invokeExact(opA, opB, m, n, k, alpha, a.segment, aType, lda, strideA, b.segment, bType, ldb, strideB,
                            beta, c.segment, ldc, strideC, batch);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException("emulated gemm: " + t, t);
                }
            }

            @Override public void close() {}
        };
    }
}
