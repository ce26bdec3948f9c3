package dev.orcaj.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM on row-major float arrays, BLAS-like: {@code C = alpha * op(A) * op(B) + beta * C} with
 * op(A) m x k, op(B) k x n, C m x n.
 * <ul>
 *   <li>op(A)(i,p) = {@code a[aOff + i*lda + p]}, or {@code a[aOff + p*lda + i]} when {@code transA};</li>
 *   <li>op(B)(p,j) = {@code b[bOff + p*ldb + j]}, or {@code b[bOff + j*ldb + p]} when {@code transB};</li>
 *   <li>C(i,j) = {@code c[cOff + i*ldc + j]}; {@code beta == 0} overwrites C without reading it (NaN garbage ok).</li>
 * </ul>
 *
 * <p>Structure after Goto and van de Geijn, "Anatomy of high-performance matrix multiplication" (TOMS 2008), in
 * OpenBLAS's loop order: a KC x NC block of op(B) is packed into NR-wide column strips (p-major, so one strip row
 * is NV vectors) streamed from L2, and a register-blocked MR x NR micro-kernel streams each strip while its MR rows
 * of op(A) stay in L1 and are broadcast one element at a time. op(A) is read in place when it is row-major (each
 * of the MR rows is a unit-stride stream, so packing would only copy); a transposed A is first copied row-major.
 *
 * <p>Micro-kernel shape by vector width (SPECIES_PREFERRED): C2 keeps every live vector in a register only when
 * accumulators + B vectors + the broadcasts it hoists fit the register file, otherwise it spills accumulators and
 * the kernel runs at half speed (Zen 3, kernel alone on L1-resident data, CPU time: 6 x 2 vectors 44 GFLOP/s,
 * 5 x 2 34, 4 x 3 43, 4 x 2 99 = the FMA peak; a 2x unrolled 4 x 2 spilled too).
 * <ul>
 *   <li>AVX2 and narrower (16 registers): 4 rows x 2 vectors (8 accumulators, 2 B vectors, 4 broadcasts);</li>
 *   <li>AVX-512 (32 registers): 6 rows x 4 vectors (24 accumulators, 4 B vectors, broadcasts reuse the rest);
 *       measured at 0.95-1.0x numpy on an AVX-512 host before A was read in place and KC grew (bench/RESULTS.md,
 *       2026-11-29), not re-measured since: no AVX-512 host was at hand.</li>
 * </ul>
 * A half-width twin (NV/2 vectors) serves column strips at most NR/2 wide, e.g. n = 32 heads.
 *
 * <p>Reproducibility: every tile goes through an L1 scratch tile and one store routine (or, when alpha is 1, beta is 0
 * or 1 and the tile is full, straight into C, which stores the same bits: acc * 1 == acc and fma(C, 1, acc) == C +
 * acc), so every element of C is computed by the same sequence of operations (FMAs with p ascending inside a KC slice,
 * slices ascending, then alpha/beta) whatever the tiling, the thread count or the scheduling: results are bitwise
 * reproducible across {@link CpuPool#threads()} settings, and across JIT tiers (the Vector API's interpreted fallback
 * of fma is Math.fma). They depend on KC, which is fixed.
 *
 * <p>Parallelism: C is cut into one equal row block (or column block) per thread; each task packs its own
 * panels, so threads never share writable memory.
 */
public final class Sgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    private static final boolean WIDE = VL >= 16;
    /** Micro-tile: MR rows x NV vectors of C held in registers (see the class comment). */
    static final int MR = WIDE ? 6 : 4;
    private static final int NV = WIDE ? 4 : 2;
    static final int NR = NV * VL;
    /** Depth of a slice. Each slice is one read-modify-write pass over C, whose tile stores miss the caches on
     *  large C, so deep slices pay: on Zen 3 (noisy shared host, CPU time, same-JVM alternation) KC 768 beat 384
     *  by ~10% at K = 3072 and was as fast as 1024-1536; MR x KC of A (12 KiB at MR = 4) stays in L1. */
    static final int KC = 768;
    /** Widest packed column block: KC x NC floats of packed B are streamed from L2 (576 KiB for AVX2: NC 96 and
     *  192 measured alike on Zen 3's 512 KiB L2; 768 KiB for AVX-512 hosts, whose L2 is 1-2 MiB). */
    static final int NC = WIDE ? 256 : 192;
    /** Most rows per panel: bounds the per-thread copy of a transposed A at MC x KC floats (1.1 MiB). */
    static final int MC = 384;
    /** Below this many multiply-adds (~45 us on one core) a product runs on the calling thread: waking a pool
     *  thread costs tens of microseconds. */
    private static final long PARALLEL_MIN_MADDS = 1L << 22;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Sgemm() {}

    /** Per-thread packing buffers, grown on demand and reused across calls. */
    private static final class Scratch {
        float[] packedA = new float[0];
        float[] packedB = new float[0];
        final float[] tile = new float[MR * NR];

        float[] packedA(int size) {
            if (packedA.length < size) packedA = new float[size];
            return packedA;
        }

        float[] packedB(int size) {
            if (packedB.length < size) packedB = new float[size];
            return packedB;
        }
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        int threads = CpuPool.threads();
        int rowTasks = 1, colTasks = 1;
        if (threads > 1 && (long) m * n * k >= PARALLEL_MIN_MADDS) {
            // Each task packs all of op(A) for its rows and all of op(B) for its columns, so splitting the rows
            // re-packs B once per extra thread and splitting the columns re-packs A: split the longer side.
            if (m >= n) rowTasks = Math.min(threads, ceilDiv(m, MR));
            else colTasks = Math.min(threads, ceilDiv(n, NR));
        }
        int rowHeight = roundUp(ceilDiv(m, rowTasks), MR);
        int colWidth = roundUp(ceilDiv(n, colTasks), NR);
        int rt = ceilDiv(m, rowHeight), ct = ceilDiv(n, colWidth);
        CpuPool.parallelTasks(rt * ct, (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = (t / ct) * rowHeight;
                int j0 = (t % ct) * colWidth;
                block(transA, transB, i0, Math.min(m, i0 + rowHeight), j0, Math.min(n, j0 + colWidth), k, alpha,
                        a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        });
    }

    /**
     * {@code batch} independent products; product g uses A at {@code aOff + g*strideA}, B at {@code bOff + g*strideB}
     * and C at {@code cOff + g*strideC}. Attention has many small products, so threads split the batch and each
     * product runs on one thread.
     */
    public static void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                           float beta, float[] c, int cOff, int ldc,
                                           int batch, int strideA, int strideB, int strideC) {
        if (batch < 0) throw new IllegalArgumentException("sgemmStridedBatched: batch must be >= 0, got " + batch);
        if (batch == 0) return;
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc); // first and last product
        checkArgs(transA, transB, m, n, k, a, aOff + (long) (batch - 1) * strideA, lda,
                b, bOff + (long) (batch - 1) * strideB, ldb, c, cOff + (long) (batch - 1) * strideC, ldc);
        long madds = (long) m * n * Math.max(k, 1);
        int minChunk = (int) Math.max(1, Math.min(batch, PARALLEL_MIN_MADDS / Math.max(1, madds)));
        CpuPool.parallelFor(0, batch, minChunk, (from, to) -> {
            for (int g = from; g < to; g++) {
                // Inside a pool chunk the nested sgemm runs inline on this thread.
                sgemm(transA, transB, m, n, k, alpha, a, aOff + g * strideA, lda, b, bOff + g * strideB, ldb,
                        beta, c, cOff + g * strideC, ldc);
            }
        });
    }

    /**
     * C[i0:i1, j0:j1] over the whole depth k, on the calling thread. Per KC slice, each KC x NC block of B is
     * packed once and streamed from L2 for every MR-row strip of A; a strip is read from L2/L3 once per NC block
     * and stays in L1 for that block.
     */
    private static void block(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        // Row panels of at most MC rows bound the transposed-A copy each thread keeps (MC x KC floats). A row-major
        // A is read in place, and one panel packs each block of B once.
        int panels = transA ? ceilDiv(i1 - i0, MC) : 1;
        int height = roundUp(ceilDiv(i1 - i0, panels), MR);
        for (int ic = i0; ic < i1; ic += height) {
            panel(transA, transB, ic, Math.min(i1, ic + height), j0, j1, k, alpha, a, aOff, lda, b, bOff, ldb,
                    beta, c, cOff, ldc);
        }
    }

    private static void panel(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        Scratch s = SCRATCH.get();
        int rows = i1 - i0;
        float[] ap = transA ? s.packedA(rows * Math.min(KC, k)) : null;
        // Equal column blocks of at most NC (768 -> 4 x 192, 200 -> 2 x 112 rather than 192 + 8).
        int ncBalanced = roundUp(ceilDiv(j1 - j0, ceilDiv(j1 - j0, NC)), NR);
        float[] bp = s.packedB(ncBalanced * Math.min(KC, k));
        float[] tile = s.tile;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float betaHere = pc == 0 ? beta : 1f; // later slices accumulate onto the first
            // Row i of op(A)[i0:i1, pc:pc+kc] starts at aRows[aBase + i*aLd].
            float[] aRows;
            int aBase, aLd;
            if (transA) {
                packTransposedA(a, aOff, lda, pc, kc, i0, rows, ap);
                aRows = ap;
                aBase = 0;
                aLd = kc;
            } else {
                aRows = a;
                aBase = aOff + i0 * lda + pc;
                aLd = lda;
            }
            for (int jb = j0; jb < j1; jb += ncBalanced) {
                int cols = Math.min(ncBalanced, j1 - jb);
                int strips = ceilDiv(cols, NR);
                packB(transB, b, bOff, ldb, pc, kc, jb, cols, bp);
                for (int ir = 0; ir < rows; ir += MR) {
                    int height = Math.min(MR, rows - ir);
                    int rowBase = aBase + ir * aLd;
                    for (int js = 0; js < strips; js++) {
                        int width = Math.min(NR, cols - js * NR);
                        boolean half = width <= NR / 2;
                        int cIdx = cOff + (i0 + ir) * ldc + jb + js * NR;
                        // A full tile with alpha 1 and beta 0 or 1 goes straight into C: acc * 1 == acc and
                        // fma(C, 1, acc) == C + acc, the same bits as store(), without the tile round trip.
                        if (alpha == 1f && (betaHere == 0f || betaHere == 1f) && height == MR
                                && width == (half ? NR / 2 : NR)) {
                            tile(kc, aRows, rowBase, aLd, height, half, bp, js * NR * kc, c, cIdx, ldc, betaHere == 1f);
                        } else {
                            tile(kc, aRows, rowBase, aLd, height, half, bp, js * NR * kc, tile, 0, NR, false);
                            store(tile, height, width, c, cIdx, ldc, alpha, betaHere);
                        }
                    }
                }
            }
        }
    }

    /**
     * One MR x NR tile (or MR x NR/2 when {@code half}) into out[outIdx + r*outLd + j], or added to it when
     * {@code add}. Rows past {@code height} repeat the last real row, so a short edge strip needs no zero-padded
     * copy; store() drops those rows.
     */
    private static void tile(int kc, float[] a, int rowBase, int ld, int height, boolean half, float[] bp, int bIdx,
                             float[] out, int outIdx, int outLd, boolean add) {
        int last = height - 1;
        int a0 = rowBase, a1 = rowBase + Math.min(1, last) * ld, a2 = rowBase + Math.min(2, last) * ld;
        int a3 = rowBase + Math.min(3, last) * ld;
        if (MR == 4) {
            if (half) kernel4x1(kc, a, a0, a1, a2, a3, bp, bIdx, out, outIdx, outLd, add);
            else kernel4x2(kc, a, a0, a1, a2, a3, bp, bIdx, out, outIdx, outLd, add);
        } else {
            int a4 = rowBase + Math.min(4, last) * ld, a5 = rowBase + Math.min(5, last) * ld;
            if (half) kernel6x2(kc, a, a0, a1, a2, a3, a4, a5, bp, bIdx, out, outIdx, outLd, add);
            else kernel6x4(kc, a, a0, a1, a2, a3, a4, a5, bp, bIdx, out, outIdx, outLd, add);
        }
    }

    /** Copies op(A)[i0:i0+rows, pc:pc+kc] of a transposed A row-major into ap (leading dimension kc). */
    private static void packTransposedA(float[] a, int aOff, int lda, int pc, int kc, int i0, int rows, float[] ap) {
        // 16 output rows at a time: their write streams and the one source line per p stay in L1.
        for (int ib = 0; ib < rows; ib += 16) {
            int ie = Math.min(rows, ib + 16);
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + i0;
                for (int i = ib; i < ie; i++) ap[i * kc + p] = a[src + i];
            }
        }
    }

    /** Packs op(B)[pc:pc+kc, j0:j0+cols] as NR-column strips, each p-major: bp[strip*NR*kc + p*NR + j]. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int j0, int cols,
                              float[] bp) {
        int fullStrips = cols / NR;
        if (!transB) {
            // Row by row of B, so that reads are sequential; each row feeds every strip (one write stream each).
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * ldb + j0;
                for (int js = 0; js < fullStrips; js++) {
                    int dst = js * NR * kc + p * NR;
                    for (int v = 0; v < NR; v += VL) FloatVector.fromArray(S, b, src + js * NR + v).intoArray(bp, dst + v);
                }
            }
        } else {
            // Row p of a strip gathers one element from each of its NR source rows; those rows are read as
            // parallel unit-stride streams.
            for (int js = 0; js < fullStrips; js++) {
                int src = bOff + (j0 + js * NR) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    int dst = js * NR * kc + p * NR;
                    for (int j = 0; j < NR; j++) bp[dst + j] = b[src + j * ldb + p];
                }
            }
        }
        int width = cols - fullStrips * NR;
        if (width == 0) return;
        // The last, partial strip, zero-padded to NR columns.
        int base = fullStrips * NR * kc, jc = j0 + fullStrips * NR;
        for (int p = 0; p < kc; p++) {
            int dst = base + p * NR;
            for (int j = 0; j < width; j++) {
                bp[dst + j] = transB ? b[bOff + (jc + j) * ldb + pc + p] : b[bOff + (pc + p) * ldb + jc + j];
            }
            java.util.Arrays.fill(bp, dst + width, dst + NR, 0f);
        }
    }

    /**
     * out[4 x 2 vectors] = rows a0..a3 of A (unit stride in p) x packed B strip. The accumulators are locals so
     * that C2 keeps them in registers; they leave through plain stores (into the tile or C): handing vectors to
     * another method that C2 declines to inline would box them on every iteration.
     */
    private static void kernel4x2(int kc, float[] a, int a0, int a1, int a2, int a3, float[] bp, int bIdx,
                                  float[] out, int outIdx, int outLd, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(av, c00); c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(av, c10); c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(av, c20); c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(av, c30); c31 = b1.fma(av, c31);
        }
        plus(c00, add, out, outIdx); plus(c01, add, out, outIdx + VL);
        plus(c10, add, out, outIdx + outLd); plus(c11, add, out, outIdx + outLd + VL);
        plus(c20, add, out, outIdx + 2 * outLd); plus(c21, add, out, outIdx + 2 * outLd + VL);
        plus(c30, add, out, outIdx + 3 * outLd); plus(c31, add, out, outIdx + 3 * outLd + VL);
    }

    /** The left half of {@link #kernel4x2}: the same FMA sequence per element, so results do not depend on it. */
    private static void kernel4x1(int kc, float[] a, int a0, int a1, int a2, int a3, float[] bp, int bIdx,
                                  float[] out, int outIdx, int outLd, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bIdx + p * NR);
            c0 = b0.fma(FloatVector.broadcast(S, a[a0 + p]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, a[a1 + p]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, a[a2 + p]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, a[a3 + p]), c3);
        }
        plus(c0, add, out, outIdx); plus(c1, add, out, outIdx + outLd);
        plus(c2, add, out, outIdx + 2 * outLd); plus(c3, add, out, outIdx + 3 * outLd);
    }

    /** AVX-512 tile: 6 rows x 4 vectors, 24 accumulators + 4 B vectors of the 32 zmm registers. */
    private static void kernel6x4(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5, float[] bp,
                                  int bIdx, float[] out, int outIdx, int outLd, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * VL);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * VL);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(av, c00); c01 = b1.fma(av, c01); c02 = b2.fma(av, c02); c03 = b3.fma(av, c03);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(av, c10); c11 = b1.fma(av, c11); c12 = b2.fma(av, c12); c13 = b3.fma(av, c13);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(av, c20); c21 = b1.fma(av, c21); c22 = b2.fma(av, c22); c23 = b3.fma(av, c23);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(av, c30); c31 = b1.fma(av, c31); c32 = b2.fma(av, c32); c33 = b3.fma(av, c33);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(av, c40); c41 = b1.fma(av, c41); c42 = b2.fma(av, c42); c43 = b3.fma(av, c43);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(av, c50); c51 = b1.fma(av, c51); c52 = b2.fma(av, c52); c53 = b3.fma(av, c53);
        }
        plus(c00, add, out, outIdx); plus(c01, add, out, outIdx + VL);
        plus(c02, add, out, outIdx + 2 * VL); plus(c03, add, out, outIdx + 3 * VL);
        plus(c10, add, out, outIdx + outLd); plus(c11, add, out, outIdx + outLd + VL);
        plus(c12, add, out, outIdx + outLd + 2 * VL); plus(c13, add, out, outIdx + outLd + 3 * VL);
        plus(c20, add, out, outIdx + 2 * outLd); plus(c21, add, out, outIdx + 2 * outLd + VL);
        plus(c22, add, out, outIdx + 2 * outLd + 2 * VL); plus(c23, add, out, outIdx + 2 * outLd + 3 * VL);
        plus(c30, add, out, outIdx + 3 * outLd); plus(c31, add, out, outIdx + 3 * outLd + VL);
        plus(c32, add, out, outIdx + 3 * outLd + 2 * VL); plus(c33, add, out, outIdx + 3 * outLd + 3 * VL);
        plus(c40, add, out, outIdx + 4 * outLd); plus(c41, add, out, outIdx + 4 * outLd + VL);
        plus(c42, add, out, outIdx + 4 * outLd + 2 * VL); plus(c43, add, out, outIdx + 4 * outLd + 3 * VL);
        plus(c50, add, out, outIdx + 5 * outLd); plus(c51, add, out, outIdx + 5 * outLd + VL);
        plus(c52, add, out, outIdx + 5 * outLd + 2 * VL); plus(c53, add, out, outIdx + 5 * outLd + 3 * VL);
    }

    /** The left half of {@link #kernel6x4}. */
    private static void kernel6x2(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5, float[] bp,
                                  int bIdx, float[] out, int outIdx, int outLd, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(av, c00); c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(av, c10); c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(av, c20); c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(av, c30); c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(av, c40); c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(av, c50); c51 = b1.fma(av, c51);
        }
        plus(c00, add, out, outIdx); plus(c01, add, out, outIdx + VL);
        plus(c10, add, out, outIdx + outLd); plus(c11, add, out, outIdx + outLd + VL);
        plus(c20, add, out, outIdx + 2 * outLd); plus(c21, add, out, outIdx + 2 * outLd + VL);
        plus(c30, add, out, outIdx + 3 * outLd); plus(c31, add, out, outIdx + 3 * outLd + VL);
        plus(c40, add, out, outIdx + 4 * outLd); plus(c41, add, out, outIdx + 4 * outLd + VL);
        plus(c50, add, out, outIdx + 5 * outLd); plus(c51, add, out, outIdx + 5 * outLd + VL);
    }

    /** out[idx..] = acc, or out[idx..] + acc when {@code add}: tiny, so C2 inlines it and acc stays in a register. */
    private static void plus(FloatVector acc, boolean add, float[] out, int idx) {
        (add ? acc.add(FloatVector.fromArray(S, out, idx)) : acc).intoArray(out, idx);
    }

    /** C[rows x width] = alpha*tile + beta*C: whole vectors, then scalar lanes rounded the same way. */
    private static void store(float[] tile, int rows, int width, float[] c, int cIdx, int ldc, float alpha, float beta) {
        int vecWidth = width / VL * VL;
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc, ti = r * NR;
            for (int j = 0; j < vecWidth; j += VL) {
                FloatVector scaled = FloatVector.fromArray(S, tile, ti + j).mul(alpha);
                if (beta == 0f) {
                    scaled.intoArray(c, ci + j);
                } else {
                    FloatVector.fromArray(S, c, ci + j).fma(FloatVector.broadcast(S, beta), scaled).intoArray(c, ci + j);
                }
            }
            for (int j = vecWidth; j < width; j++) {
                float scaled = tile[ti + j] * alpha;
                c[ci + j] = beta == 0f ? scaled : Math.fma(c[ci + j], beta, scaled);
            }
        }
    }

    /** C = beta*C (k == 0 or alpha == 0), with beta == 0 writing zeros over whatever C held. */
    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) c[row + j] *= beta;
            }
        }
    }

    private static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, long aOff, int lda, float[] b, long bOff, int ldb,
                                  float[] c, long cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: dimensions must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, cOff, ldc, m, n);
    }

    /** A stored rows x cols matrix with leading dimension ld must lie inside the array. */
    private static void checkMatrix(String name, float[] x, long off, int ld, int rows, int cols) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("sgemm: ld" + name.toLowerCase() + "=" + ld + " must be >= max(1, "
                    + cols + ") (stored columns of " + name + ")");
        }
        if (rows == 0 || cols == 0) return;
        if (x == null) throw new IllegalArgumentException("sgemm: array " + name + " is null");
        long last = off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || last >= x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " (" + rows + "x" + cols + ", offset " + off
                    + ", ld " + ld + ") does not fit in an array of length " + x.length);
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int y) {
        return ceilDiv(x, y) * y;
    }
}
