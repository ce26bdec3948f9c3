package dev.orcaj.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The hyperparameters a search draws from: a finite list of values per dimension, sampled uniformly and independently
 * (the ORCA paper's appendix searches a grid of this kind with Ray Tune's ASHA). Its text form is one line,
 * {@code name=v1,v2,...} per dimension separated by {@code ;} (e.g. {@code lr=1e-3,1e-4;batch_size=16,32}), which
 * {@link #parse} reads back; dimensions not named keep the values of the space it starts from.
 *
 * @param targetSeqLen the embedder's target sequence length: the patch k is the smallest divisor of the input length
 *                     with L/k tokens at most this (spec 1.1); ignored by 2D (Swin) tasks
 * @param clip         global-norm gradient clip; -1 = none (the official configs' convention)
 */
public record SearchSpace(List<Integer> targetSeqLen, List<Integer> batchSize, List<Double> clip, List<Double> dropout,
                          List<String> optimizer, List<Double> lr, List<Double> weightDecay) {

    /** The dimension names of the text form, in order. */
    public static final List<String> NAMES = List.of("target_seq_len", "batch_size", "clip", "dropout", "optimizer", "lr", "weight_decay");

    public SearchSpace {
        targetSeqLen = nonEmpty("target_seq_len", targetSeqLen);
        batchSize = nonEmpty("batch_size", batchSize);
        clip = nonEmpty("clip", clip);
        dropout = nonEmpty("dropout", dropout);
        optimizer = nonEmpty("optimizer", optimizer);
        lr = nonEmpty("lr", lr);
        weightDecay = nonEmpty("weight_decay", weightDecay);
        for (int v : targetSeqLen) if (v < 1) throw new IllegalArgumentException("search space target_seq_len: values must be >= 1, got " + v);
        for (int v : batchSize) if (v < 1) throw new IllegalArgumentException("search space batch_size: values must be >= 1, got " + v);
        for (double v : clip) if (!Double.isFinite(v)) throw new IllegalArgumentException("search space clip: values must be finite, got " + v);
        for (double v : dropout) if (!(v >= 0 && v < 1)) throw new IllegalArgumentException("search space dropout: values must be in [0, 1), got " + v);
        for (String v : optimizer) if (!List.of("sgd", "adam", "adamw").contains(v)) throw new IllegalArgumentException("search space optimizer: expected sgd, adam or adamw, got '" + v + "'");
        for (double v : lr) if (!(v > 0 && Double.isFinite(v))) throw new IllegalArgumentException("search space lr: values must be > 0, got " + v);
        for (double v : weightDecay) if (!(v >= 0 && Double.isFinite(v))) throw new IllegalArgumentException("search space weight_decay: values must be >= 0, got " + v);
    }

    /**
     * The ORCA paper's appendix search space (Shen et al. 2023, appendix "hyperparameter tuning"; the values are not in
     * orca-spec.md, which lists only the chosen per-task configs): target sequence length {8, 64, 512}, batch size
     * {4, 16, 64}, gradient clipping {-1, 1}, dropout {0, 0.05}, optimizer {SGD, Adam, AdamW}, learning rate
     * {1e-2 .. 1e-6} and weight decay {0, 1e-2 .. 1e-5}.
     */
    public static SearchSpace paper() {
        return new SearchSpace(List.of(8, 64, 512), List.of(4, 16, 64), List.of(-1.0, 1.0), List.of(0.0, 0.05),
                List.of("sgd", "adam", "adamw"), List.of(1e-2, 1e-3, 1e-4, 1e-5, 1e-6), List.of(0.0, 1e-2, 1e-3, 1e-4, 1e-5));
    }

    /** One configuration: every dimension drawn uniformly from its values, in the order of {@link #NAMES}. */
    public TrialConfig sample(SplittableRandom rng) {
        return new TrialConfig(pick(targetSeqLen, rng), pick(batchSize, rng), pick(clip, rng), pick(dropout, rng), pick(optimizer, rng), pick(lr, rng), pick(weightDecay, rng));
    }

    /** Number of distinct configurations. */
    public long size() {
        return (long) targetSeqLen.size() * batchSize.size() * clip.size() * dropout.size() * optimizer.size() * lr.size() * weightDecay.size();
    }

    /** {@code base} with the dimensions named in {@code text} replaced; an empty text gives {@code base}. */
    public static SearchSpace parse(String text, SearchSpace base) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            String name = eq < 0 ? part.strip() : part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (eq < 0 || !NAMES.contains(name)) {
                throw new IllegalArgumentException("--space: expected name=v1,v2,... with name one of " + String.join(", ", NAMES) + ", got '" + part.strip() + "'");
            }
            if (given.put(name, part.substring(eq + 1).strip()) != null) throw new IllegalArgumentException("--space: " + name + " is given twice");
        }
        try {
            return new SearchSpace(
                    given.containsKey("target_seq_len") ? values(given.get("target_seq_len"), Integer::parseInt) : base.targetSeqLen,
                    given.containsKey("batch_size") ? values(given.get("batch_size"), Integer::parseInt) : base.batchSize,
                    given.containsKey("clip") ? values(given.get("clip"), Double::parseDouble) : base.clip,
                    given.containsKey("dropout") ? values(given.get("dropout"), Double::parseDouble) : base.dropout,
                    given.containsKey("optimizer") ? values(given.get("optimizer"), s -> s.toLowerCase(Locale.ROOT)) : base.optimizer,
                    given.containsKey("lr") ? values(given.get("lr"), Double::parseDouble) : base.lr,
                    given.containsKey("weight_decay") ? values(given.get("weight_decay"), Double::parseDouble) : base.weightDecay);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--space: not a number: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--space: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "target_seq_len=" + join(targetSeqLen) + ";batch_size=" + join(batchSize) + ";clip=" + join(clip) + ";dropout=" + join(dropout)
                + ";optimizer=" + join(optimizer) + ";lr=" + join(lr) + ";weight_decay=" + join(weightDecay);
    }

    private static String join(List<?> values) {
        List<String> out = new ArrayList<>();
        for (Object v : values) out.add(v instanceof Double d ? TrialConfig.number(d) : String.valueOf(v));
        return String.join(",", out);
    }

    private static <T> List<T> values(String text, java.util.function.Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        for (String v : text.split(",")) {
            if (v.isBlank()) throw new IllegalArgumentException("--space: empty value in '" + text + "'");
            out.add(parse.apply(v.strip()));
        }
        return out;
    }

    private static <T> List<T> nonEmpty(String name, List<T> values) {
        if (values == null || values.isEmpty()) throw new IllegalArgumentException("search space " + name + ": needs at least one value");
        if (values.stream().distinct().count() != values.size()) throw new IllegalArgumentException("search space " + name + ": repeated value in " + values);
        return List.copyOf(values);
    }

    private static <T> T pick(List<T> values, SplittableRandom rng) { return values.get(rng.nextInt(values.size())); }
}
