package dev.orcaj.backend.cuda;

import jcuda.NativePointerObject;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Method;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Minimal Java FFM (java.lang.foreign) binding of libcublas.so.13 for when JCublas2's native library (built for
 * cuBLAS 12) does not load on a CUDA 13 machine: cublasCreate_v2 / Destroy_v2 / SetStream_v2 / SetMathMode /
 * GemmEx / GemmStridedBatchedEx, with signatures from cublas_api.h (enums are C ints, strides long long).
 * Device pointers and the stream come from JCuda objects as raw addresses.
 */
final class FfmCublas extends Gemm {
    static final String LIBRARY = "libcublas.so.13";
    private static final Linker LINKER = Linker.nativeLinker();
    private final MethodHandle destroy, gemmEx, gemmStridedBatchedEx;
    private final MemorySegment handle;

    /** The bound functions of the library, or an exception naming the library / symbol that is missing. */
    record Symbols(MethodHandle create, MethodHandle destroy, MethodHandle setStream, MethodHandle setMathMode,
                           MethodHandle gemmEx, MethodHandle gemmStridedBatchedEx) {}

    static Symbols bind(SymbolLookup lib) {
        return new Symbols(
                fn(lib, "cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                fn(lib, "cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                fn(lib, "cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                fn(lib, "cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
                fn(lib, "cublasGemmEx", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                        ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
                        JAVA_INT, JAVA_INT)),
                fn(lib, "cublasGemmStridedBatchedEx", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                        JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS,
                        ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT)));
    }

    /** Loads the library (throws IllegalArgumentException naming it when absent) and binds every symbol. */
    static Symbols load() { return bind(SymbolLookup.libraryLookup(LIBRARY, Arena.global())); }

    private static MethodHandle fn(SymbolLookup lib, String name, FunctionDescriptor d) {
        MemorySegment s = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + " has no symbol " + name));
        return LINKER.downcallHandle(s, d);
    }

    FfmCublas(JCudaDevice device) { this(load(), address(device.stream())); }

    /** Binds to already loaded symbols (tests use a stand-in library) on the stream at this native address. */
    FfmCublas(Symbols s, long streamAddress) {
        destroy = s.destroy;
        gemmEx = s.gemmEx;
        gemmStridedBatchedEx = s.gemmStridedBatchedEx;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hp = a.allocate(ADDRESS);
            check("cublasCreate_v2", (int) s.create.invokeExact(hp));
            handle = hp.get(ADDRESS, 0);
            check("cublasSetStream_v2", (int) s.setStream.invokeExact(handle, MemorySegment.ofAddress(streamAddress)));
            check("cublasSetMathMode", (int) s.setMathMode.invokeExact(handle, CudaTypes.TF32_TENSOR_OP_MATH));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS FFM init: " + t, t);
        }
    }

    @Override
    public String path() { return "FFM (" + LIBRARY + ")"; }

    @Override
    void gemmEx(int opA, int opB, int m, int n, int k, float alpha, DeviceBuffer a, int aType, int lda, long strideA,
                DeviceBuffer b, int bType, int ldb, long strideB, float beta, DeviceBuffer c, int ldc, long strideC,
                int batch, int computeType) {
        try (Arena ar = Arena.ofConfined()) {
            MemorySegment al = ar.allocateFrom(JAVA_FLOAT, alpha), be = ar.allocateFrom(JAVA_FLOAT, beta);
            MemorySegment pa = MemorySegment.ofAddress(address(a.ptr)), pb = MemorySegment.ofAddress(address(b.ptr)),
                    pc = MemorySegment.ofAddress(address(c.ptr));
            int st = batch == 1
                    ? (int) gemmEx.invokeExact(handle, opA, opB, m, n, k, al, pa, aType, lda, pb, bType, ldb, be, pc,
                            CudaTypes.R_32F, ldc, computeType, CudaTypes.GEMM_DEFAULT)
                    : (int) gemmStridedBatchedEx.invokeExact(handle, opA, opB, m, n, k, al, pa, aType, lda, strideA, pb, bType, ldb,
                            strideB, be, pc, CudaTypes.R_32F, ldc, strideC, batch, computeType, CudaTypes.GEMM_DEFAULT);
            check(batch == 1 ? "cublasGemmEx" : "cublasGemmStridedBatchedEx", st);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS FFM gemm: " + t, t);
        }
    }

    @Override
    public void close() {
        try {
            int st = (int) destroy.invokeExact(handle);
            check("cublasDestroy_v2", st);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cuBLAS FFM destroy: " + t, t);
        }
    }

    private static void check(String fn, int status) {
        if (status != 0) throw new IllegalStateException(fn + " returned cublasStatus_t " + status);
    }

    /**
     * The raw native address held by a JCuda pointer object plus its byte offset (a slice of a device buffer, see
     * DeviceBuffer#slice); JCuda keeps both accessors protected.
     */
    static long address(NativePointerObject p) {
        try {
            Method m = NativePointerObject.class.getDeclaredMethod("getNativePointer");
            m.setAccessible(true);
            long offset = 0;
            if (p instanceof jcuda.Pointer) {
                Method off = jcuda.Pointer.class.getDeclaredMethod("getByteOffset");
                off.setAccessible(true);
                offset = (long) off.invoke(p);
            }
            return (long) m.invoke(p) + offset;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a JCuda native pointer", e);
        }
    }
}
