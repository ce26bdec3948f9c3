package dev.orcaj.models.bert;

import java.util.SplittableRandom;

/**
 * A random padded BERT batch for parity tests: row r has {@code lengths[r]} tokens ([CLS] 101, random word ids,
 * [SEP] 102), the rest is padding (mask 0); the second half of each row is segment 1.
 */
record PaddedBatch(int batch, int seq, int[] ids, int[] mask, int[] types) {
    static PaddedBatch random(int[] lengths, SplittableRandom rng) {
        int b = lengths.length, s = java.util.Arrays.stream(lengths).max().getAsInt();
        int[] ids = new int[b * s], mask = new int[b * s], types = new int[b * s];
        for (int r = 0; r < b; r++) {
            for (int t = 0; t < lengths[r]; t++) {
                int i = r * s + t;
                ids[i] = t == 0 ? 101 : t == lengths[r] - 1 ? 102 : 1000 + rng.nextInt(29000);
                mask[i] = 1;
                types[i] = t >= lengths[r] / 2 ? 1 : 0;
            }
        }
        return new PaddedBatch(b, s, ids, mask, types);
    }
}
