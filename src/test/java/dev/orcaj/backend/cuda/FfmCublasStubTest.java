package dev.orcaj.backend.cuda;

import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The FFM cuBLAS binding against a stand-in library compiled here from src/test/resources/cuda-stub/cublas_stub.c
 * (same C signatures as cublas_api.h; it records the arguments of the last call). Checks without a GPU that every
 * downcall's Java types match the C signature, and that row-major calls reach cuBLAS as the column-major
 * C^T = op(B)^T op(A)^T: operands and their transposes swapped, m and n swapped, strides carried.
 */
class FfmCublasStubTest {
    private static long[] lastCall(SymbolLookup lib) throws Throwable {
        MethodHandle arg = Linker.nativeLinker().downcallHandle(lib.find("stub_arg").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        long[] v = new long[20];
        for (int i = 0; i < v.length; i++) v[i] = (long) arg.invokeExact(i);
        return v;
    }

    @Test
    void bindingTypesAndRowMajorMapping(@TempDir Path dir) throws Throwable {
        Path src = dir.resolve("cublas_stub.c"), lib = dir.resolve("libcublas_stub.so");
        try (InputStream in = getClass().getResourceAsStream("/cuda-stub/cublas_stub.c")) { Files.copy(in, src); }
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O1", "-o", lib.toString(), src.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no C compiler (cc) to build the stand-in cuBLAS: " + e.getMessage());
            return;
        }
        String log = new String(cc.getInputStream().readAllBytes());
        assumeTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "cc failed to build the stand-in cuBLAS: " + log);

        SymbolLookup lookup = SymbolLookup.libraryLookup(lib, Arena.global());
        FfmCublas g = new FfmCublas(FfmCublas.bind(lookup), 0xABCDL);
        MethodHandle stream = Linker.nativeLinker().downcallHandle(lookup.find("stub_stream").orElseThrow(), FunctionDescriptor.of(ADDRESS));
        assertEquals(0xABCDL, ((MemorySegment) stream.invokeExact()).address(), "stream handed to cublasSetStream_v2");

        DeviceBuffer a = new DeviceBuffer(new CUdeviceptr(), null, 4, 512, x -> {}), b = new DeviceBuffer(new CUdeviceptr(), null, 4, 512, x -> {}),
                c = new DeviceBuffer(new CUdeviceptr(), null, 4, 512, x -> {});
        // row-major C[2x3] = 0.5 A^T B + 2 C with A stored [4x2] (lda 2), B [4x3] (ldb 3)
        g.gemm(true, false, 2, 3, 4, 0.5f, a, 2, b, 3, 2f, c, 3, Gemm.Mode.FP32);
        // kind, opA, opB, m, n, k, alpha*1000, Atype, lda, Btype, ldb, beta*1000, Ctype, ldc, compute, algo, sA, sB, sC, batch
        assertArrayEquals(new long[] {1, 0, 1, 3, 2, 4, 500, 0, 3, 0, 2, 2000, 0, 3, 68, -1, 0, 0, 0, 1}, lastCall(lookup), "single GEMM");

        // batch of 4: A [5x7] stride 35, B^T stored [6x7] broadcast (stride 0), C [5x6] stride 30, TF32
        g.gemmBatched(false, true, 5, 6, 7, 1f, a, 7, 35, b, 7, 0, 0f, c, 6, 30, 4, Gemm.Mode.TF32);
        assertArrayEquals(new long[] {2, 1, 0, 6, 5, 7, 1000, 0, 7, 0, 7, 0, 0, 6, 77, -1, 0, 35, 30, 4}, lastCall(lookup), "batched TF32");

        g.gemm(false, false, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2, Gemm.Mode.BF16);
        long[] bf = lastCall(lookup);
        assertEquals(14, bf[7], "A type bf16");
        assertEquals(14, bf[9], "B type bf16");
        assertEquals(0, bf[12], "C stays fp32");
        assertEquals(68, bf[14], "fp32 accumulation");
        g.close();
    }
}
