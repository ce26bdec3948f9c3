package dev.orcaj.optim;

import java.util.Arrays;

/**
 * A learning rate as a function of the scheduler step. Convention (PyTorch LambdaLR / Hugging Face): {@code step}
 * is the number of scheduler steps taken so far, so the first optimizer update uses {@code lrAt(0)} (which is 0
 * under linear warmup). Whether a step is an iteration or an epoch is the caller's choice: ORCA steps its warmup
 * schedule per iteration (batch) and the embedder's milestone schedule per epoch.
 */
public interface LrSchedule {
    double lrAt(int step);

    static LrSchedule constant(double lr) { return new Constant(lr); }

    static LrSchedule linearWarmupDecay(double peakLr, int warmupSteps, int totalSteps) { return new LinearWarmupDecay(peakLr, warmupSteps, totalSteps); }

    static LrSchedule stepDecay(double lr, int stepSize, double gamma) { return new StepDecay(lr, stepSize, gamma); }

    static LrSchedule milestones(double lr, double gamma, int... milestones) { return new Milestones(lr, gamma, milestones); }

    record Constant(double lr) implements LrSchedule {
        public Constant { requireLr(lr); }

        @Override
        public double lrAt(int step) {
            requireStep(step);
            return lr;
        }
    }

    /**
     * Hugging Face {@code get_linear_schedule_with_warmup}: {@code peak·s/max(1, W)} for {@code s < W}, then
     * {@code peak·max(0, (T − s)/max(1, T − W))}. ORCA's WarmupLR is the same for {@code s ≤ T} (it would go negative
     * beyond T; here it stays 0).
     */
    record LinearWarmupDecay(double peakLr, int warmupSteps, int totalSteps) implements LrSchedule {
        public LinearWarmupDecay {
            requireLr(peakLr);
            if (warmupSteps < 0 || totalSteps < warmupSteps) throw new IllegalArgumentException("linear warmup schedule: need 0 <= warmupSteps <= totalSteps, got " + warmupSteps + ", " + totalSteps);
        }

        @Override
        public double lrAt(int step) {
            requireStep(step);
            if (step < warmupSteps) return peakLr * step / Math.max(1, warmupSteps);
            return peakLr * Math.max(0.0, (double) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
        }
    }

    /** PyTorch {@code StepLR}: {@code lr·gamma^floor(s / stepSize)}. */
    record StepDecay(double lr, int stepSize, double gamma) implements LrSchedule {
        public StepDecay {
            requireLr(lr);
            if (stepSize < 1) throw new IllegalArgumentException("step decay schedule: stepSize must be >= 1, got " + stepSize);
            requireLr(gamma);
        }

        @Override
        public double lrAt(int step) {
            requireStep(step);
            return lr * Math.pow(gamma, step / stepSize);
        }
    }

    /**
     * ORCA's embedder schedule ("StepLR" lambda, orca-spec §3.5): {@code lr·gamma^m} where m counts the milestones
     * that {@code step} strictly exceeds (PyTorch's MultiStepLR would count {@code step >= milestone}).
     */
    record Milestones(double lr, double gamma, int[] milestones) implements LrSchedule {
        public Milestones {
            requireLr(lr);
            requireLr(gamma);
            milestones = milestones.clone();
        }

        @Override
        public double lrAt(int step) {
            requireStep(step);
            int m = 0;
            for (int s : milestones) if (step > s) m++;
            return lr * Math.pow(gamma, m);
        }

        @Override
        public int[] milestones() { return milestones.clone(); }

        @Override
        public boolean equals(Object o) { return o instanceof Milestones x && lr == x.lr && gamma == x.gamma && Arrays.equals(milestones, x.milestones); }

        @Override
        public int hashCode() { return Double.hashCode(lr) * 31 + Double.hashCode(gamma) * 17 + Arrays.hashCode(milestones); }

        @Override
        public String toString() { return "Milestones[lr=" + lr + ", gamma=" + gamma + ", milestones=" + Arrays.toString(milestones) + "]"; }
    }

    private static void requireLr(double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("schedule: learning rate and gamma must be finite and >= 0, got " + v);
    }

    private static void requireStep(int step) {
        if (step < 0) throw new IllegalArgumentException("schedule: step must be >= 0, got " + step);
    }
}
