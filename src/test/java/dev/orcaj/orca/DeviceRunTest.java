package dev.orcaj.orca;

import dev.orcaj.backend.Backends;
import dev.orcaj.backend.cuda.CudaBackend;
import dev.orcaj.backend.cuda.TestCuda;
import dev.orcaj.nn.Parameter;
import dev.orcaj.optim.AdamW;
import dev.orcaj.optim.GradClip;
import dev.orcaj.optim.Optimizer;
import dev.orcaj.optim.ParamGroup;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --device cuda} on the GPU or, without one, on the CPU emulation of the kernels: a whole ORCA run (all
 * stages, tiny body) with the model resident on the device equals the CPU run, and a stage-3 training step moves
 * a small constant number of buffers over the bus (not one per op) while the caching allocator stops growing.
 */
class DeviceRunTest {
    private static TrainConfig cfg(int epochs) {
        return new TrainConfig(OptimizerKind.ADAMW, 1e-2, 1e-4, 0.9, epochs, 8, 1, 1.0, 0, epochs, false, 0, false, 0, 3);
    }

    private static OrcaRun.Outcome run(Device device) {
        Device before = Backends.modelDevice();
        Backends.placeModelsOn(device);
        try {
            var s = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 2, 8, 0, false, cfg(2));
            return OrcaRun.run(TinyTask.SPEC, TinyTask.data(16, 1), TinyTask.data(8, 2), TinyTask.data(8, 3), TinyTask.body(),
                    () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), s, Progress.SILENT);
        } finally {
            Backends.placeModelsOn(before);
        }
    }

    /**
     * Tolerance: float32 sums in a different order (the CPU backend's SIMD lanes vs the kernels' tree reductions)
     * differ by ~1e-7 relative per op; through 2 alignment and 4 AdamW steps at lr 1e-2 they grow to ~1e-5 here, so
     * 1e-3 relative on the OTDD values and losses still fails any real error (a wrong op moves them by >1e-2).
     */
    @Test
    void wholeOrcaRunOnTheDeviceEqualsTheCpuRun() {
        CudaBackend cuda = TestCuda.backend();
        OrcaRun.Outcome cpu = run(Device.CPU), gpu = run(cuda);
        assertClose(cpu.align().before(), gpu.align().before(), 1e-3, "OTDD before alignment");
        assertClose(cpu.align().after(), gpu.align().after(), 1e-3, "OTDD after alignment");
        assertEquals(cpu.refine().epochs().size(), gpu.refine().epochs().size());
        for (int e = 0; e < cpu.refine().epochs().size(); e++) {
            assertClose(cpu.refine().epochs().get(e).trainLoss(), gpu.refine().epochs().get(e).trainLoss(), 1e-3, "train loss of epoch " + (e + 1));
            for (var m : cpu.refine().epochs().get(e).validation().entrySet()) {
                assertEquals(m.getValue(), gpu.refine().epochs().get(e).validation().get(m.getKey()), 1e-3, "validation " + m.getKey() + " of epoch " + (e + 1));
            }
        }
        for (var m : cpu.refine().test().entrySet()) assertEquals(m.getValue(), gpu.refine().test().get(m.getKey()), 1e-3, "test " + m.getKey());
    }

    private static void assertClose(double expected, double actual, double rel, String what) {
        assertTrue(Double.isFinite(actual) && Math.abs(expected - actual) <= rel * Math.max(1e-12, Math.abs(expected)),
                what + ": cpu " + expected + ", device " + actual);
    }

    @Test
    void aTrainingStepMovesAConstantFewBuffersAndReusesDeviceMemory() throws InterruptedException {
        CudaBackend cuda = TestCuda.backend();
        var s = new OrcaRun.Settings(OrcaRun.Method.FINETUNE, Objective.OTDD, 0, 16, 0, false, cfg(1));
        OrcaModel model;
        Device before = Backends.modelDevice();
        Backends.placeModelsOn(cuda);
        try {
            model = OrcaRun.build(TinyTask.SPEC, TinyTask.body().get(), s, Progress.SILENT);
        } finally {
            Backends.placeModelsOn(before);
        }
        Map<String, Parameter> named = model.namedParameters();
        List<Parameter> params = new ArrayList<>();
        named.forEach((n, p) -> { if (p.trainable()) params.add(p); });
        for (Parameter p : params) assertSame(cuda, p.get().device(), "parameters are resident on the device");
        Optimizer opt = new AdamW(List.of(ParamGroup.of(params)), 1e-3, 0.9, 0.98, 1e-8, 1e-4);
        var train = TinyTask.data(32, 1);
        TaskLoss loss = new TaskLoss(TinyTask.SPEC, train, false, 0);
        model.train(true);
        int steps = 4;
        long[] transfers = new long[steps], launches = new long[steps], reserved = new long[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = cuda.device().transfers(), l0 = cuda.device().launches();
            int[] rows = Batches.slice(Batches.permutation(32, Batches.epochRng(1, 3, i)), 0, 8);
            Tensor l = loss.compute(model.forward(Batches.inputs(train, rows)), train, rows);
            assertTrue(Double.isFinite(l.item()));
            l.backward();
            GradClip.clipGradNorm(params, 1.0);
            opt.step();
            opt.zeroGrad();
            transfers[i] = cuda.device().transfers() - t0;
            launches[i] = cuda.device().launches() - l0;
            l = null;
            for (int g = 0; g < 2; g++) { // let the Cleaner hand the step's dead tensors back to the cache
                System.gc();
                Thread.sleep(50);
            }
            reserved[i] = cuda.device().reservedBytes();
        }
        String log = "transfers per step " + java.util.Arrays.toString(transfers) + ", kernel launches " + java.util.Arrays.toString(launches)
                + ", reserved bytes " + java.util.Arrays.toString(reserved);
        System.out.println("DeviceRunTest: " + log);
        for (int i = 1; i < steps; i++) assertEquals(transfers[0], transfers[i], "transfers per step are constant, the first included: " + log);
        // 6 on the emulated device: host-made inputs of the step (the batch, the label indices of the fused
        // cross-entropy, the backward seed, a small host constant) and two reads (the loss, the clip norm); the AdamW
        // moments are zero-filled on the device, so the first step costs the same
        assertTrue(transfers[1] <= 12, "a handful of transfers per step, not one per op: " + log);
        assertTrue(launches[1] >= 20 * transfers[1], "the step runs many more kernels than it moves buffers: " + log);
        for (int i = 2; i < steps; i++) assertEquals(reserved[1], reserved[i], "device memory stops growing after the first steps: " + log);
    }
}
