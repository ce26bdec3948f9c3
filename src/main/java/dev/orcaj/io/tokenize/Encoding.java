package dev.orcaj.io.tokenize;

import java.util.Arrays;

/**
 * One encoded input (a single text or a pair), after special tokens, truncation and optional padding.
 * All arrays have the same length. {@code attentionMask[i]} is 1 for real tokens and 0 for padding;
 * {@code typeIds} are the segment ids (0 for the first sequence, 1 for the second where the post-processor says so).
 */
public record Encoding(int[] ids, int[] typeIds, int[] attentionMask, String[] tokens) {
    public Encoding {
        if (typeIds.length != ids.length || attentionMask.length != ids.length || tokens.length != ids.length) {
            throw new IllegalArgumentException("Encoding: arrays differ in length: ids " + ids.length + ", typeIds "
                    + typeIds.length + ", attentionMask " + attentionMask.length + ", tokens " + tokens.length);
        }
    }

    public int length() {
        return ids.length;
    }

    /** The ids widened to long, as ONNX/BERT-style models take them. */
    public long[] idsAsLong() {
        return Arrays.stream(ids).asLongStream().toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(typeIds, e.typeIds)
                && Arrays.equals(attentionMask, e.attentionMask) && Arrays.equals(tokens, e.tokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(tokens) + Arrays.toString(ids);
    }
}
