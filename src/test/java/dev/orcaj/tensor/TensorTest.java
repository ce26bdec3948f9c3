package dev.orcaj.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tensor package on its own: shapes and strides, the zero-copy views (which element of the shared storage each
 * index reaches), contiguous copies, and the non-finite check. Expected values are worked out by hand from the
 * row-major layout, not produced by the code under test.
 */
class TensorTest {
    /** 0, 1, ..., 23 as a [2, 3, 4] tensor: the element at (i, j, k) is 12i + 4j + k. */
    private static Tensor iota234() {
        float[] v = new float[24];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return Tensor.of(v, 2, 3, 4);
    }

    @Test
    void shapeArithmetic() {
        assertEquals(24, Shape.numel(new int[] {2, 3, 4}));
        assertEquals(1, Shape.numel(new int[0]), "a scalar has one element");
        assertEquals(0, Shape.numel(new int[] {3, 0}));
        assertThrows(IllegalArgumentException.class, () -> Shape.numel(new int[] {-1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Shape.numel(new int[] {65536, 65536}), "more than 2^31-1 elements");
        assertArrayEquals(new int[] {12, 4, 1}, Shape.contiguousStrides(new int[] {2, 3, 4}));
        assertArrayEquals(new int[] {3, 4}, Shape.broadcast("t", new int[] {3, 1}, new int[] {4}));
        assertArrayEquals(new int[] {2, 3, 5}, Shape.broadcast("t", new int[] {2, 1, 5}, new int[] {3, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.broadcast("add", new int[] {3}, new int[] {4}));
        assertTrue(e.getMessage().startsWith("add:"), e.getMessage());
        assertEquals(2, Shape.axis("t", -1, 3));
        assertThrows(IllegalArgumentException.class, () -> Shape.axis("t", 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Shape.axis("t", -4, 3));
    }

    @Test
    void indexingFollowsRowMajorStrides() {
        Tensor t = iota234();
        assertTrue(t.isContiguous());
        assertArrayEquals(new int[] {12, 4, 1}, t.strides());
        assertEquals(12 + 8 + 3, t.get(1, 2, 3));
        t.set(-5, 0, 1, 2);
        assertEquals(-5, t.storage().get(6), "(0, 1, 2) is storage index 4 + 2");
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> t.get(0, 0));
        assertThrows(IllegalStateException.class, t::item);
        assertEquals(7.5, Tensor.scalar(7.5).item());
    }

    @Test
    void transposeIsAStridedViewOfTheSameStorage() {
        Tensor t = iota234(), tt = t.transpose(0, 2);
        assertSame(t.storage(), tt.storage(), "no copy");
        assertArrayEquals(new int[] {4, 3, 2}, tt.shape());
        assertArrayEquals(new int[] {1, 4, 12}, tt.strides());
        assertFalse(tt.isContiguous());
        assertEquals(t.get(1, 2, 3), tt.get(3, 2, 1));
        t.set(100, 1, 0, 2);
        assertEquals(100, tt.get(2, 0, 1), "a write through the base shows in the view");
        float[] copy = tt.toFloatArray(); // row-major over (k, j, i): element (k, j, i) = 12i + 4j + k
        assertEquals(24, copy.length);
        assertEquals(12, copy[1], "(0, 0, 1)");
        assertEquals(4, copy[2], "(0, 1, 0)");
        assertEquals(1, copy[6], "(1, 0, 0)");
        Tensor c = tt.contiguous();
        assertTrue(c.isContiguous());
        assertArrayEquals(copy, c.toFloatArray());
        assertSame(t, t.contiguous(), "contiguous() of a contiguous tensor is the tensor itself");
    }

    @Test
    void sliceOffsetsIntoTheStorage() {
        Tensor s = iota234().slice(1, 1, 3); // rows j = 1, 2 of every i
        assertArrayEquals(new int[] {2, 2, 4}, s.shape());
        assertEquals(4, s.offset());
        assertArrayEquals(new int[] {12, 4, 1}, s.strides());
        assertFalse(s.isContiguous(), "a gap of one row between i = 0 and i = 1");
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23}, s.toFloatArray());
        Tensor last = iota234().slice(0, 1, 2);
        assertTrue(last.isContiguous(), "one whole block: contiguous from offset 12");
        assertEquals(12, last.offset());
    }

    @Test
    void reshapeSqueezeExpand() {
        Tensor t = iota234();
        Tensor r = t.reshape(6, 4);
        assertSame(t.storage(), r.storage(), "reshape of a contiguous tensor is a view");
        assertEquals(t.get(1, 1, 2), r.get(4, 2));
        assertArrayEquals(new int[] {2, 12}, t.flatten(1, 2).shape());
        assertArrayEquals(new int[] {2, 1, 3, 4}, t.unsqueeze(1).shape());
        assertArrayEquals(new int[] {2, 3, 4, 1}, t.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {2, 3, 4}, t.unsqueeze(1).squeeze(1).shape());
        assertThrows(IllegalArgumentException.class, () -> t.squeeze(0), "axis 0 has size 2");
        Tensor row = Tensor.of(new float[] {1, 2, 3}, 1, 3), e = row.expand(4, 3);
        assertArrayEquals(new int[] {4, 3}, e.shape());
        assertEquals(0, e.strides()[0], "expanded axis repeats the row without copying");
        assertEquals(3, e.get(3, 2));
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}, e.toFloatArray());
    }

    @Test
    void storageAndDtypes() {
        Tensor d = Tensor.of(new double[] {0.1, 0.2}, 2);
        assertEquals(DType.F64, d.dtype());
        assertEquals(0.1, d.get(0), 0.0, "float64 keeps the double value");
        assertEquals(0.1f, d.to(DType.F32).toFloatArray()[0], 0f);
        Storage s = Storage.allocate(DType.F32, 3);
        s.set(1, 2.5);
        assertEquals(2.5, s.get(1));
        assertEquals(3, s.length());
        assertArrayEquals(new float[] {0, 0, 0, 0}, Tensor.zeros(2, 2).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(2).toFloatArray());
    }

    @Test
    void nonFiniteCheckNamesTheFirstBadElement() {
        Tensor t = Tensor.of(new float[] {1, 2, Float.NaN, Float.POSITIVE_INFINITY}, 2, 2);
        assertEquals(2, Finite.firstNonFinite(t));
        assertEquals(1, Finite.firstNonFinite(t.transpose(0, 1)), "in the transposed view the NaN is at (0, 1)");
        assertEquals(-1, Finite.firstNonFinite(Tensor.ones(3)));
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Finite.check("logits", t));
        assertTrue(e.getMessage().contains("logits") && e.getMessage().contains("flat index 2"), e.getMessage());
    }
}
