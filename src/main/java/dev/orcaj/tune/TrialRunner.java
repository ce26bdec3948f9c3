package dev.orcaj.tune;

/**
 * Runs one {@link TrialRung} to completion in this JVM (loads the task, builds or resumes the trial's model, trains to
 * the rung's epoch budget, checkpoints, evaluates on the validation split). Every executor ends up here, so a rung's
 * result does not depend on where it ran.
 */
@FunctionalInterface
public interface TrialRunner {
    RungResult run(TrialRung rung) throws Exception;
}
