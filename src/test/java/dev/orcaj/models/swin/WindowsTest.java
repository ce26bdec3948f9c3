package dev.orcaj.models.swin;

import dev.orcaj.io.SafetensorsCheckpoint;
import dev.orcaj.models.Fixtures;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Window geometry against definitions written independently of the implementation. */
class WindowsTest {
    final Tensor x = Tensor.randn(DType.F64, new SplittableRandom(1), 1, 2, 6, 4, 3); // [B, H, W, C]

    @Test
    void rollMatchesTorchDefinition() {
        for (int shift : new int[] {-2, 1, 6, 0}) {
            Tensor r = Windows.roll(x, 1, shift);
            for (int b = 0; b < 2; b++) for (int i = 0; i < 6; i++) for (int j = 0; j < 4; j++) for (int c = 0; c < 3; c++)
                assertEquals(x.get(b, Math.floorMod(i - shift, 6), j, c), r.get(b, i, j, c), "shift " + shift);
        }
    }

    @Test
    void partitionTakesRowMajorWindowsAndReverseUndoesIt() {
        Tensor p = Windows.partition(x, 2); // 3 x 2 windows per image
        assertArrayEquals(new int[] {12, 4, 3}, p.shape());
        for (int win = 0; win < 12; win++) for (int t = 0; t < 4; t++) for (int c = 0; c < 3; c++) {
            int b = win / 6, wr = (win % 6) / 2, wc = win % 2;
            assertEquals(x.get(b, wr * 2 + t / 2, wc * 2 + t % 2, c), p.get(win, t, c));
        }
        assertArrayEquals(x.toDoubleArray(), Windows.reverse(p, 2, 6, 4).toDoubleArray());
    }

    @Test
    void relativePositionIndexByHandAndAgainstStoredHfBuffer() throws IOException {
        int[] w2 = Windows.relativePositionIndex(2, 2); // tokens (0,0) (0,1) (1,0) (1,1); (dh+1)*3 + (dw+1)
        assertArrayEquals(new int[] {4, 3, 1, 0, 5, 4, 2, 1, 7, 6, 4, 3, 8, 7, 5, 4}, w2);
        var stored = SafetensorsCheckpoint.open(Fixtures.weights("tiny-swin").resolve("model.safetensors"))
                .get("encoder.layers.0.blocks.1.attention.self.relative_position_index");
        assertArrayEquals(stored.toInts(), Windows.relativePositionIndex(4, 4));
    }

    /**
     * Independent statement of the shifted-window mask: after rolling by -s, grid row i holds original row
     * (i + s) mod H; two tokens of one window may attend iff, on both axes, both or neither wrapped around.
     */
    @Test
    void shiftMaskSeparatesWrappedTokens() {
        int h = 8, w = 12, ws = 4, s = 2, n = ws * ws;
        Tensor m = Windows.shiftMask(h, w, ws, s, DType.F64);
        assertArrayEquals(new int[] {6, 1, n, n}, m.shape());
        for (int win = 0; win < 6; win++) for (int p = 0; p < n; p++) for (int q = 0; q < n; q++) {
            int top = (win / 3) * ws, left = (win % 3) * ws;
            boolean sameRows = (top + p / ws + s >= h) == (top + q / ws + s >= h);
            boolean sameCols = (left + p % ws + s >= w) == (left + q % ws + s >= w);
            assertEquals(sameRows && sameCols ? 0.0 : -100.0, m.get(win, 0, p, q), "window " + win + " " + p + "," + q);
        }
    }

    @Test
    void patchMergingConcatenatesInHfOrder() {
        SwinStage.PatchMerging merge = new SwinStage.PatchMerging(3, new SplittableRandom(2));
        merge.to(DType.F64);
        Tensor tokens = x.reshape(2, 24, 3);
        // reference: explicit strided gathers x[0::2,0::2], x[1::2,0::2], x[0::2,1::2], x[1::2,1::2]
        double[] expect = new double[2 * 6 * 12];
        int[][] order = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
        for (int b = 0; b < 2; b++) for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 4; k++) for (int c = 0; c < 3; c++)
            expect[((b * 6 + i * 2 + j) * 12) + k * 3 + c] = x.get(b, 2 * i + order[k][0], 2 * j + order[k][1], c);
        Tensor ref = merge.reduction.forward(merge.norm.forward(Tensor.of(expect, 2, 6, 12)));
        assertArrayEquals(ref.toDoubleArray(), merge.forward(tokens, 6, 4).toDoubleArray(), 1e-12);
    }
}
