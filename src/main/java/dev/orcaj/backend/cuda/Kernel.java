package dev.orcaj.backend.cuda;

import java.io.IOException;
import java.io.InputStream;

/**
 * Every kernel the Java side launches: the PTX module (= the .cu file name, resource /cuda/MODULE.ptx) and the
 * extern "C" entry name. A test checks each one against the PTX the build produced.
 */
public enum Kernel {
    STRIDED_COPY("elementwise", "strided_copy"),
    STRIDED_SCATTER("elementwise", "strided_scatter"),
    UNARY_STRIDED("elementwise", "unary_strided"),
    BINARY_STRIDED("elementwise", "binary_strided"),
    BINARY_CONTIGUOUS("elementwise", "binary_contiguous"),
    WHERE_STRIDED("elementwise", "where_strided"),
    FILL("elementwise", "fill"),
    REDUCE_ROWS("reduce", "reduce_rows"),
    COLUMN_SUMS("reduce", "column_sums"),
    ARGMAX_ROWS("reduce", "argmax_rows"),
    SOFTMAX_ROWS("softmax", "softmax_rows"),
    SOFTMAX_BACKWARD_ROWS("softmax", "softmax_backward_rows"),
    LAYERNORM_FORWARD("layernorm", "layernorm_forward"),
    LAYERNORM_BACKWARD_DX("layernorm", "layernorm_backward_dx"),
    LAYERNORM_BACKWARD_PARAMS("layernorm", "layernorm_backward_params"),
    GELU_FORWARD("gelu", "gelu_forward"),
    GELU_BACKWARD("gelu", "gelu_backward"),
    INDEX_SELECT_ROWS("embedding", "index_select_rows"),
    INDEX_ADD_ROWS("embedding", "index_add_rows"),
    GATHER_LAST("embedding", "gather_last"),
    SCATTER_LAST("embedding", "scatter_last"),
    PATCH_UNFOLD2D("patch", "patch_unfold2d"),
    PATCH_FOLD2D("patch", "patch_fold2d"),
    CROSS_ENTROPY_FORWARD("cross_entropy", "cross_entropy_forward"),
    CROSS_ENTROPY_BACKWARD("cross_entropy", "cross_entropy_backward"),
    ADAMW_STEP("adamw", "adamw_step"),
    ATTENTION_FORWARD("attention", "attention_forward"),
    SINKHORN_SOFTMIN("sinkhorn", "sinkhorn_softmin"),
    SOFTMAX_TIMES("otdd_grad", "softmax_times"),
    OTDD_GRAD_COMBINE("otdd_grad", "otdd_grad_combine"),
    ROW_SQ_NORMS("otdd_grad", "row_sq_norms");

    public final String module;
    public final String entry;

    Kernel(String module, String entry) {
        this.module = module;
        this.entry = entry;
    }

    public static String resource(String module) { return "/cuda/" + module + ".ptx"; }

    /** The PTX text of a module as a NUL-terminated byte array (what cuModuleLoadData expects), or null. */
    static byte[] ptx(String module) {
        try (InputStream in = Kernel.class.getResourceAsStream(resource(module))) {
            if (in == null) return null;
            byte[] b = in.readAllBytes();
            byte[] z = java.util.Arrays.copyOf(b, b.length + 1);
            return z;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading PTX " + resource(module), e);
        }
    }

    /** Null when every module's PTX is on the classpath, else a message naming the first missing one. */
    static String missingPtx() {
        for (Kernel k : values()) {
            if (Kernel.class.getResource(resource(k.module)) == null) {
                return "PTX " + resource(k.module) + " is not on the classpath (the jar was built without nvcc; "
                        + "build where /usr/local/cuda/bin/nvcc exists or with -Pcuda-ptx)";
            }
        }
        return null;
    }
}
