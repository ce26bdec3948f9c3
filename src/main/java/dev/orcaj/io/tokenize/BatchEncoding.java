package dev.orcaj.io.tokenize;

/**
 * A batch of encodings truncated and padded to one length: every array is {@code [batchSize][maxLen]}.
 * Padding uses the tokenizer's pad id, type id 0 and attention 0.
 */
public record BatchEncoding(int[][] ids, int[][] attentionMask, int[][] typeIds) {
    public BatchEncoding {
        if (attentionMask.length != ids.length || typeIds.length != ids.length) {
            throw new IllegalArgumentException("BatchEncoding: batch sizes differ: ids " + ids.length
                    + ", attentionMask " + attentionMask.length + ", typeIds " + typeIds.length);
        }
    }

    public int batchSize() {
        return ids.length;
    }

    public int maxLen() {
        return ids.length == 0 ? 0 : ids[0].length;
    }

    public long[][] idsAsLong() {
        return widen(ids);
    }

    public long[][] attentionMaskAsLong() {
        return widen(attentionMask);
    }

    public long[][] typeIdsAsLong() {
        return widen(typeIds);
    }

    /** Row-major flattening {@code [batch * maxLen]}, e.g. for a tensor of shape (batch, maxLen). */
    public int[] flatIds() {
        return flatten(ids);
    }

    public int[] flatAttentionMask() {
        return flatten(attentionMask);
    }

    public int[] flatTypeIds() {
        return flatten(typeIds);
    }

    private static long[][] widen(int[][] a) {
        long[][] out = new long[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new long[a[i].length];
            for (int j = 0; j < a[i].length; j++) out[i][j] = a[i][j];
        }
        return out;
    }

    private static int[] flatten(int[][] a) {
        int len = a.length == 0 ? 0 : a[0].length;
        int[] out = new int[a.length * len];
        for (int i = 0; i < a.length; i++) System.arraycopy(a[i], 0, out, i * len, len);
        return out;
    }
}
