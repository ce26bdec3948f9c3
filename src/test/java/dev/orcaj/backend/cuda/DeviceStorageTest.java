package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Backends;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Linear;
import dev.orcaj.optim.AdamW;
import dev.orcaj.optim.GradClip;
import dev.orcaj.optim.ParamGroup;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device-resident storage on the GPU or its CPU emulation: lazy host mirroring counted in transfers, routing by
 * residence, in-place moves of module parameters, and the device pad/concat/copy (strided_scatter) against the
 * reference backend.
 */
class DeviceStorageTest {
    private static final SplittableRandom RNG = new SplittableRandom(5);

    @Test
    void resultsStayOnTheDeviceAndTheHostMirrorIsFetchedOnceOnRead() {
        CudaBackend cuda = TestCuda.backend();
        CudaDevice dev = cuda.device();
        Tensor host = Tensor.randn(DType.F32, RNG, 1, 3, 5);
        long t0 = dev.transfers();
        Tensor x = host.to(cuda);
        assertEquals(t0 + 1, dev.transfers(), "to(cuda) is one upload");
        assertSame(cuda, x.device());
        Tensor y = x.mul(x).add(1).sum(1); // three ops, all on the device
        assertSame(cuda, y.device(), "results of device ops stay there");
        assertEquals(t0 + 1, dev.transfers(), "device ops move no data");
        float[] expected = host.mul(host).add(1).sum(1).toFloatArray();
        assertArrayEquals(expected, y.toFloatArray(), 1e-5f);
        assertEquals(t0 + 2, dev.transfers(), "the first host read downloads once");
        assertArrayEquals(expected, y.toFloatArray(), 1e-5f);
        assertEquals(t0 + 2, dev.transfers(), "the mirror is reused while the device has not written");

        y.storage().f()[1] = 100; // a host write: the device copy is stale until uploaded
        Tensor z = y.add(0);
        assertEquals(t0 + 3, dev.transfers(), "the next device op uploads the host write once");
        assertEquals(100, z.toFloatArray()[1], 0);
    }

    @Test
    void opsRouteByResidenceNotByAGlobalSwitch() {
        CudaBackend cuda = TestCuda.backend();
        Tensor onHost = Tensor.randn(DType.F32, RNG, 1, 4, 4), onDevice = Tensor.randn(DType.F32, RNG, 1, 4, 4).to(cuda);
        assertSame(Backends.CPU, Backends.currentF32(), "the F32 default stays the CPU backend");
        assertSame(Device.CPU, onHost.add(onHost).device(), "host operands run on the host");
        assertSame(cuda, onHost.add(onDevice).device(), "a device operand takes the op to its device");
        assertSame(cuda, onHost.matmul(onDevice).device());
    }

    @Test
    void moduleToMovesParametersInPlaceAndGradientsFlowBackAcrossDevices() {
        CudaBackend cuda = TestCuda.backend();
        Linear layer = new Linear(4, 3, true, new SplittableRandom(1));
        Tensor w = layer.weight.get();
        float[] before = w.toFloatArray();
        layer.to(cuda);
        assertSame(w, layer.weight.get(), "the leaf is kept (optimizers hold it)");
        assertSame(cuda, w.device());
        assertArrayEquals(before, w.toFloatArray(), 0f);

        Tensor x = Tensor.randn(DType.F32, RNG, 1, 2, 4).requiresGrad(true);
        Tensor out = layer.forward(x).sum();
        assertSame(cuda, out.device());
        out.backward();
        assertSame(cuda, w.grad().device(), "the weight gradient is computed where the weight lives");
        // d sum(x W^T + b) / dx = column sums of W, for every row
        float[] wt = before, gx = x.grad().toFloatArray();
        for (int r = 0; r < 2; r++) {
            for (int k = 0; k < 4; k++) assertEquals(wt[k] + wt[4 + k] + wt[8 + k], gx[r * 4 + k], 1e-5, "dx[" + r + "," + k + "]");
        }

        Tensor h = Tensor.randn(DType.F32, RNG, 1, 3).requiresGrad(true);
        h.to(cuda).mul(2).sum().backward();
        assertSame(Device.CPU, h.grad().device(), "to(device)'s gradient returns to the source device");
        assertArrayEquals(new float[] {2, 2, 2}, h.grad().toFloatArray(), 0f);

        layer.to(Device.CPU);
        assertSame(Device.CPU, w.device());
        assertArrayEquals(before, w.toFloatArray(), 0f);
    }

    /**
     * optim.AdamW on device parameters (the fused adamw_step through Backend.adamStep, moments on the device) against
     * the same AdamW on host parameters (its float32 SIMD loop), reading the weights back after every step (so a
     * host mirror left stale by the in-place device update fails).
     */
    @Test
    void adamWOnDeviceParametersMatchesTheHostUpdateStepByStep() {
        CudaBackend cuda = TestCuda.backend();
        Linear onHost = new Linear(6, 5, true, new SplittableRandom(3)), onDevice = new Linear(6, 5, true, new SplittableRandom(3));
        onDevice.to(cuda);
        AdamW hostOpt = new AdamW(List.of(ParamGroup.of(onHost)), 1e-2, 0.9, 0.98, 1e-8, 0.1);
        AdamW deviceOpt = new AdamW(List.of(ParamGroup.of(onDevice)), 1e-2, 0.9, 0.98, 1e-8, 0.1);
        Tensor x = Tensor.randn(DType.F32, RNG, 1, 4, 6);
        for (int step = 1; step <= 3; step++) {
            for (var pair : List.of(Map.entry(onHost, hostOpt), Map.entry(onDevice, deviceOpt))) {
                pair.getKey().forward(x).square().sum().backward();
                pair.getValue().step();
                pair.getValue().zeroGrad();
            }
            assertSame(cuda, onDevice.weight.get().device());
            GpuAssume.assertClose(onHost.weight.get(), onDevice.weight.get(), 1e-6, 1e-5, "weight after step " + step);
            GpuAssume.assertClose(onHost.bias.get(), onDevice.bias.get(), 1e-6, 1e-5, "bias after step " + step);
        }
    }

    /** GradClip on device gradients (squares summed there, one scalar read, scaled there) against the host clip. */
    @Test
    void gradientClippingOnTheDeviceMatchesTheHostClip() {
        CudaBackend cuda = TestCuda.backend();
        Linear onHost = new Linear(6, 5, true, new SplittableRandom(8)), onDevice = new Linear(6, 5, true, new SplittableRandom(8));
        onDevice.to(cuda);
        Tensor x = Tensor.randn(DType.F32, RNG, 3, 4, 6);
        onHost.forward(x).square().sum().backward();
        onDevice.forward(x).square().sum().backward();
        long d0 = cuda.device().downloads();
        double deviceNorm = GradClip.clipGradNorm(List.copyOf(onDevice.namedParameters().values()), 0.5);
        assertEquals(1, cuda.device().downloads() - d0, "one scalar read for the whole clip");
        double hostNorm = GradClip.clipGradNorm(List.copyOf(onHost.namedParameters().values()), 0.5);
        assertTrue(hostNorm > 0.5, "the test clips (norm " + hostNorm + ")");
        assertEquals(hostNorm, deviceNorm, 1e-5 * hostNorm, "total norm");
        assertSame(cuda, onDevice.weight.get().grad().device());
        GpuAssume.assertClose(onHost.weight.get().grad(), onDevice.weight.get().grad(), 1e-6, 1e-5, "clipped weight gradient");
        GpuAssume.assertClose(onHost.bias.get().grad(), onDevice.bias.get().grad(), 1e-6, 1e-5, "clipped bias gradient");
    }

    /** The fused device cross-entropy against nn.Functional's composed host form (its reference): value and gradient. */
    @Test
    void fusedCrossEntropyOnTheDeviceMatchesTheComposedHostLoss() {
        CudaBackend cuda = TestCuda.backend();
        int[] labels = {2, 0, -100, 4, 1, 2};
        double[] weights = {0.5, 1, 2, 1, 3};
        Tensor host = Tensor.randn(DType.F32, RNG, 2, 6, 5).requiresGrad(true);
        Tensor expected = Functional.crossEntropy(host, labels, weights, -100);
        expected.mul(3).backward();

        Tensor leaf = Tensor.of(host.toFloatArray(), 6, 5).requiresGrad(true);
        Tensor onDevice = leaf.to(cuda);
        long l0 = cuda.device().launches();
        Tensor loss = Functional.crossEntropy(onDevice, labels, weights, -100);
        assertEquals(4, cuda.device().launches() - l0, "fused: forward rows, gradient, row sum, scale (the composed form launches more)");
        assertSame(cuda, loss.device());
        loss.mul(3).backward();
        assertEquals(expected.item(), loss.item(), 1e-5 * Math.abs(expected.item()), "loss");
        GpuAssume.assertClose(host.grad(), leaf.grad(), 1e-6, 1e-5, "d loss / d logits");
    }

    @Test
    void padConcatAndCopyOnTheDeviceMatchTheReference() {
        CudaBackend cuda = TestCuda.backend();
        Tensor a = Tensor.randn(DType.F32, RNG, 1, 2, 3, 4), b = Tensor.randn(DType.F32, RNG, 1, 2, 1, 4);
        Tensor da = a.to(cuda), db = b.to(cuda);
        Tensor pad = cuda.pad(da.permute(0, 2, 1), new int[] {1, 0, 2}, new int[] {0, 3, 1}, -1.5);
        GpuAssume.assertClose(Backends.REF.pad(a.permute(0, 2, 1), new int[] {1, 0, 2}, new int[] {0, 3, 1}, -1.5), pad, 0, 0, "pad of a permuted view");
        Tensor cat = cuda.concat(new Tensor[] {da, db, a.slice(1, 1, 3)}, 1); // a host part is uploaded
        GpuAssume.assertClose(Backends.REF.concat(new Tensor[] {a, b, a.slice(1, 1, 3)}, 1), cat, 0, 0, "concat along axis 1");
        Tensor copy = cuda.copy(da.transpose(0, 2), DType.F32);
        assertNotSame(da.storage(), copy.storage());
        GpuAssume.assertClose(Backends.REF.copy(a.transpose(0, 2), DType.F32), copy, 0, 0, "copy of a transposed view");
    }
}
