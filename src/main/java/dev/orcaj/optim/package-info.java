/**
 * Optimizers, learning-rate schedules, gradient clipping and accumulation with PyTorch semantics.
 *
 * <p>One training iteration, as ORCA's fine-tuning loop runs it (orca-spec §4):
 * <pre>{@code
 * Optimizer opt = new AdamW(List.of(ParamGroup.of(model)), lr, 0.9, 0.98, 1e-8, wd);
 * LrSchedule sched = LrSchedule.linearWarmupDecay(lr, warmupEpochs * nBatches, decayEpochs * nBatches);
 * GradAccumulator acc = new GradAccumulator(accum, GradAccumulator.Reduction.SUM); // ORCA sums; MEAN averages
 * for (int it = 0; ; it++) {
 *     opt.setLr(sched.lrAt(it));              // ORCA steps its scheduler every batch
 *     loss(batch).backward();
 *     if (clip > 0) GradClip.clipGradNorm(opt, clip);
 *     if (acc.microBatchDone()) { acc.finish(opt.parameters()); opt.step(); opt.zeroGrad(); }
 * }
 * }</pre>
 * Checkpoints store {@code model.stateDict()}, {@link dev.orcaj.optim.Optimizer#stateDict()} and the iteration
 * counter; restoring all three and recomputing the learning rate from the schedule resumes bit-identically.
 */
package dev.orcaj.optim;
