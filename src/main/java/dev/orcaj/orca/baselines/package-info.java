/**
 * Reference baselines every run is judged against (issue 13): the trivial predictor, which ignores the input, and a
 * linear model on the flattened, standardized input with its L2 strength chosen on the validation split. Both
 * produce outputs in the network's format (logits for classes and labels, values for regression and dense targets),
 * so {@link dev.orcaj.orca.Evaluator} scores them exactly as it scores the methods.
 */
package dev.orcaj.orca.baselines;
