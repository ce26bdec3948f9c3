package dev.orcaj.cli;

import dev.orcaj.orca.Objective;
import dev.orcaj.orca.SourceSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Stage 2 (distribution alignment): the objective, its budget and the source proxy. */
public final class AlignOptions {
    @Option(names = "--objective", defaultValue = "otdd", description = "Stage-2 distance: otdd, otdd-gaussian, mmd, euclidean (default: ${DEFAULT-VALUE}).")
    String objective;
    @Option(names = "--align-epochs", defaultValue = "20", description = "Embedder epochs in stage 2 (default: ${DEFAULT-VALUE}).")
    int alignEpochs;
    @Option(names = "--max-samples", defaultValue = "64", description = "Target rows per class per stage-2 step (default: ${DEFAULT-VALUE}).")
    int maxSamples;
    @Option(names = "--source", defaultValue = "wordnet", description = "Source proxy: wordnet (built in), conll:FILE or conllu:FILE for text bodies; images:DIR_OR_ZIP[#prefix] (one sub-folder per class, e.g. CIFAR-10 train) for Swin (default: ${DEFAULT-VALUE}).")
    String source;
    @Option(names = "--source-classes", defaultValue = "10", description = "Source classes (default: ${DEFAULT-VALUE}).")
    int sourceClasses;
    @Option(names = "--source-samples", defaultValue = "2000", description = "Source texts (default: ${DEFAULT-VALUE}).")
    int sourceSamples;
    @Option(names = "--source-seq", defaultValue = "32", description = "Tokens per source text (default: ${DEFAULT-VALUE}).")
    int sourceSeq;
    @Option(names = "--tokenizer", description = "tokenizer.json of a text body (default: the one in the --body directory; built in for minilm, bge-small, e5-small).")
    Path tokenizer;
    @Option(names = "--cache-dir", description = "Where source-proxy features are cached (default: ~/.cache/orca-j).")
    Path cacheDir;

    /** Every stage-2 flag in its range, each error naming the flag (--source-seq is checked against the body later). */
    void check() {
        objective();
        FlagChecks.atLeast("--align-epochs", alignEpochs, 0);
        FlagChecks.atLeast("--max-samples", maxSamples, 1);
        source();
    }

    Objective objective() { return Objective.parse("--objective", objective); }

    /** The source-proxy flags. */
    SourceSpec source() { return new SourceSpec(source, sourceClasses, sourceSamples, sourceSeq, tokenizer, cacheDir); }
}
