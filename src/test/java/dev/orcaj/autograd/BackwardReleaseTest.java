package dev.orcaj.autograd;

import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** backward() drops each node's saved state and input references once it has run (so activations can be freed). */
class BackwardReleaseTest {
    @Test
    void secondBackwardThroughTheSameGraphIsAClearError() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor loss = x.exp().mul(x).sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void releasingANodeLeavesTheCallersArrayAlone() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true), b = Tensor.of(new double[] {3}, 1).requiresGrad(true);
        Tensor[] parts = {a, b};
        Ops.concat(parts, 0).mul(2).sum().backward();
        assertSame(a, parts[0]);
        assertSame(b, parts[1]);
        assertArrayEquals(new double[] {2, 2}, a.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {2}, b.grad().toDoubleArray(), 0);
    }

    @Test
    void sharedSubgraphsStillGetEveryContribution() {
        // h feeds two branches: its node runs once, after both contributions are merged
        Tensor x = Tensor.of(new double[] {0.5, -1}, 2).requiresGrad(true);
        Tensor h = x.mul(x);
        h.mul(3).add(h.exp()).sum().backward();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < 2; i++) {
            double xi = i == 0 ? 0.5 : -1;
            assertTrue(Math.abs(g[i] - (3 + Math.exp(xi * xi)) * 2 * xi) < 1e-12, "element " + i + ": " + g[i]);
        }
    }
}
