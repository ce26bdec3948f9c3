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
 * <p>Structure after Goto and van de Geijn, "Anatomy of high-performance matrix multiplication" (TOMS 2008) and
 * the BLIS loop nest: a KC-deep slice of op(B) is packed into NR-wide column strips and a slice of op(A) into
 * MR-tall row strips, both zero-padded to full strips, and a register-blocked MR x NR micro-kernel (6 rows x 4
 * vectors = 24 accumulators, 4 B loads and 6 broadcasts per rank-1 update) does all arithmetic with FMA
 * (a half-width twin serves strips at most NR/2 wide). Every tile goes through an L1 scratch tile and one store
 * routine, so every element of C is computed by the same sequence of operations (FMAs with p ascending inside a
 * KC slice, slices ascending, then alpha/beta) whatever the tiling, the thread count or the scheduling: results
 * are bitwise reproducible across {@link CpuPool#threads()} settings, and across JIT tiers (the Vector API's
 * interpreted fallback of fma is Math.fma).
 *
 * <p>Parallelism: C is cut into one equal row block (or column block) per thread; each task packs its own
 * panels, so threads never share writable memory.
 */
public final class Sgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Micro-tile: MR rows x NR columns of C held in 24 vector registers (AVX-512: 6 x 64). */
    static final int MR = 6;
    static final int NR = 4 * VL;
    /** Depth of a packed slice: one A strip (MR x KC) stays in L1 while B strips stream from L2. */
    static final int KC = 256;
    /** Most rows packed at once: bounds the per-thread packed-A buffer at MC x KC floats (1.5 MiB). */
    static final int MC = 1536;
    /** Widest packed column block: a KC x NC packed B block (768 KiB at KC=256) stays in the 1 MiB L2. */
    static final int NC = 768;
    /** Below this many multiply-adds (~45 us on one core) a product runs on the calling thread: waking a pool
     *  thread costs tens of microseconds. */
    private static final long PARALLEL_MIN_MADDS = 1L << 22;

    /** Lane i goes to offset i*NR: scatters VL consecutive p values of one column into a packed strip. */
    private static final int[] STRIDE_NR = java.util.stream.IntStream.range(0, VL).map(i -> i * NR).toArray();

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
     * C[i0:i1, j0:j1] over the whole depth k, on the calling thread. Per KC slice, the A rows are packed once
     * (each 6-row strip is then re-read from L2/L3 once per NC block and stays in L1 for that block) and each
     * KC x NC block of B is packed once and streamed from L2 for every A strip.
     */
    private static void block(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        // Row panels of at most MC rows bound the packed-A buffer each thread keeps (MC x KC floats).
        int panels = ceilDiv(i1 - i0, MC);
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
        float[] ap = s.packedA(roundUp(rows, MR) * Math.min(KC, k));
        // Equal column blocks of at most NC (768 -> 2 x 384 rather than 512 + 256).
        int ncBalanced = roundUp(ceilDiv(j1 - j0, ceilDiv(j1 - j0, NC)), NR);
        float[] bp = s.packedB(ncBalanced * Math.min(KC, k));
        float[] tile = s.tile;
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float betaHere = pc == 0 ? beta : 1f; // later slices accumulate onto the first
            packA(transA, a, aOff, lda, pc, kc, i0, rows, ap);
            for (int jb = j0; jb < j1; jb += ncBalanced) {
                int cols = Math.min(ncBalanced, j1 - jb);
                int strips = ceilDiv(cols, NR);
                packB(transB, b, bOff, ldb, pc, kc, jb, cols, bp);
                for (int ir = 0; ir < rows; ir += MR) {
                    int height = Math.min(MR, rows - ir);
                    for (int js = 0; js < strips; js++) {
                        int width = Math.min(NR, cols - js * NR);
                        int cIdx = cOff + (i0 + ir) * ldc + jb + js * NR;
                        if (width <= NR / 2) {
                            microKernelHalf(kc, ap, ir * kc, bp, js * NR * kc, tile); // e.g. n = 32 heads
                        } else {
                            microKernel(kc, ap, ir * kc, bp, js * NR * kc, tile);
                        }
                        store(tile, height, width, c, cIdx, ldc, alpha, betaHere);
                    }
                }
            }
        }
    }

    /** Packs op(A)[ic:ic+mc, pc:pc+kc] as MR-row strips, each laid out p-major: ap[strip*MR*kc + p*MR + r]. */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int pc, int kc, int ic, int mc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int base = ir * kc;
            int rows = Math.min(MR, mc - ir);
            if (transA) {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir;
                    int dst = base + p * MR;
                    for (int r = 0; r < rows; r++) ap[dst + r] = a[src + r];
                    for (int r = rows; r < MR; r++) ap[dst + r] = 0f;
                }
            } else if (rows == MR) {
                // Six source rows read side by side so that the packed strip is written sequentially.
                int s0 = aOff + (ic + ir) * lda + pc, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda, s4 = s3 + lda,
                        s5 = s4 + lda;
                for (int p = 0, d = base; p < kc; p++, d += MR) {
                    ap[d] = a[s0 + p];
                    ap[d + 1] = a[s1 + p];
                    ap[d + 2] = a[s2 + p];
                    ap[d + 3] = a[s3 + p];
                    ap[d + 4] = a[s4 + p];
                    ap[d + 5] = a[s5 + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * MR;
                    for (int r = 0; r < rows; r++) ap[dst + r] = a[aOff + (ic + ir + r) * lda + pc + p];
                    for (int r = rows; r < MR; r++) ap[dst + r] = 0f;
                }
            }
        }
    }

    /** Packs op(B)[pc:pc+kc, j0:j0+cols] as NR-column strips, each p-major: bp[strip*NR*kc + p*NR + j]. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int j0, int cols, float[] bp) {
        for (int jc = 0; jc < cols; jc += NR) {
            int base = jc * kc;
            int width = Math.min(NR, cols - jc);
            if (transB) {
                // Each source row (one column of op(B)) is read VL values at a time and scattered down the strip.
                int vecEnd = kc / VL * VL;
                for (int j = 0; j < width; j++) {
                    int src = bOff + (j0 + jc + j) * ldb + pc;
                    for (int p = 0; p < vecEnd; p += VL) {
                        FloatVector.fromArray(S, b, src + p).intoArray(bp, base + p * NR + j, STRIDE_NR, 0);
                    }
                    for (int p = vecEnd; p < kc; p++) bp[base + p * NR + j] = b[src + p];
                }
                if (width < NR) {
                    for (int p = 0; p < kc; p++) java.util.Arrays.fill(bp, base + p * NR + width, base + (p + 1) * NR, 0f);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * NR;
                    System.arraycopy(b, bOff + (pc + p) * ldb + j0 + jc, bp, dst, width);
                    if (width < NR) java.util.Arrays.fill(bp, dst + width, dst + NR, 0f);
                }
            }
        }
    }

    /**
     * tile[MR x NR] = packed A strip x packed B strip. The 24 accumulators are locals so that C2 keeps them in
     * registers (29 of 32 zmm registers with the 4 B vectors and the broadcast). They leave through plain stores
     * into the L1-resident tile: handing vectors to another method that C2 declines to inline (its node budget
     * runs out on this kernel) would box them on every iteration.
     */
    private static void microKernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * VL);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * VL);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(av, c00); c01 = b1.fma(av, c01); c02 = b2.fma(av, c02); c03 = b3.fma(av, c03);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(av, c10); c11 = b1.fma(av, c11); c12 = b2.fma(av, c12); c13 = b3.fma(av, c13);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(av, c20); c21 = b1.fma(av, c21); c22 = b2.fma(av, c22); c23 = b3.fma(av, c23);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = b0.fma(av, c30); c31 = b1.fma(av, c31); c32 = b2.fma(av, c32); c33 = b3.fma(av, c33);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = b0.fma(av, c40); c41 = b1.fma(av, c41); c42 = b2.fma(av, c42); c43 = b3.fma(av, c43);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = b0.fma(av, c50); c51 = b1.fma(av, c51); c52 = b2.fma(av, c52); c53 = b3.fma(av, c53);
        }
        c00.intoArray(tile, 0 * VL); c01.intoArray(tile, 1 * VL); c02.intoArray(tile, 2 * VL); c03.intoArray(tile, 3 * VL);
        c10.intoArray(tile, 4 * VL); c11.intoArray(tile, 5 * VL); c12.intoArray(tile, 6 * VL); c13.intoArray(tile, 7 * VL);
        c20.intoArray(tile, 8 * VL); c21.intoArray(tile, 9 * VL); c22.intoArray(tile, 10 * VL); c23.intoArray(tile, 11 * VL);
        c30.intoArray(tile, 12 * VL); c31.intoArray(tile, 13 * VL); c32.intoArray(tile, 14 * VL); c33.intoArray(tile, 15 * VL);
        c40.intoArray(tile, 16 * VL); c41.intoArray(tile, 17 * VL); c42.intoArray(tile, 18 * VL); c43.intoArray(tile, 19 * VL);
        c50.intoArray(tile, 20 * VL); c51.intoArray(tile, 21 * VL); c52.intoArray(tile, 22 * VL); c53.intoArray(tile, 23 * VL);
    }

    /**
     * The left half (MR x NR/2) of {@link #microKernel}, for column strips at most NR/2 wide, where the full
     * kernel would spend half its FMAs on zero padding. Each element sees the same FMA sequence as in the full
     * kernel, so results do not depend on which kernel ran.
     */
    private static void microKernelHalf(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = b0.fma(av, c00); c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = b0.fma(av, c10); c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = b0.fma(av, c20); c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = b0.fma(av, c30); c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = b0.fma(av, c40); c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = b0.fma(av, c50); c51 = b1.fma(av, c51);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, VL);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + VL);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + VL);
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
