package dev.orcaj.cli;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.data.text.ConllReader;
import dev.orcaj.data.text.LabelledSet;
import dev.orcaj.io.tokenize.WordPieceTokenizer;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.orca.AlignmentLoss;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.Progress;
import dev.orcaj.orca.Report;
import dev.orcaj.orca.SourceFeatures;
import dev.orcaj.orca.SourceProxy;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code orca run}: all three ORCA stages (and baselines) on one task, with progress and a report directory. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run ORCA (stage 1 embedder/predictor, stage 2 alignment, stage 3 refinement) and baselines on a task.",
                "Data kinds: ucr:DIR/NAME, arff:FILE[#label], csv:FILE#label, satellite:FILE, dna:FILE, npy:X.npy,Y.npy, darcy:DIR,",
                "pde:advection|burgers|diffusion-reaction|darcy[:RES[:N]]. Writes metrics.json and report.html to --out."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "pde:advection:64:240", description = "Task data (default: ${DEFAULT-VALUE}, generated in-process).")
    String data;
    @Option(names = "--body", defaultValue = "minilm", description = "minilm (built in), a Hugging Face checkpoint directory or a converted .safetensors file.")
    String body;
    @Option(names = "--methods", split = ",", defaultValue = "orca,finetune", description = "Comma list of orca, finetune, scratch (default: ${DEFAULT-VALUE}).")
    List<String> methods;
    @Option(names = "--objective", defaultValue = "otdd", description = "Stage-2 distance: otdd, otdd-gaussian, mmd, euclidean (default: ${DEFAULT-VALUE}).")
    String objective;
    @Option(names = "--align-epochs", defaultValue = "20", description = "Embedder epochs in stage 2 (default: ${DEFAULT-VALUE}).")
    int alignEpochs;
    @Option(names = "--max-samples", defaultValue = "64", description = "Target rows per class per stage-2 step (default: ${DEFAULT-VALUE}).")
    int maxSamples;
    @Option(names = "--patch", defaultValue = "0", description = "Embedder kernel = stride k; 0 = smallest that fits the body (default).")
    int patch;
    @Option(names = "--pooled-dense", description = "Use the official code's parameter-free dense head instead of the paper's linear head.")
    boolean pooledDense;
    @Option(names = "--optimizer", defaultValue = "adamw", description = "sgd, adam or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer;
    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak learning rate of stage 3 (default: ${DEFAULT-VALUE}); stage 2 uses x10 when <= 1e-3.")
    double lr;
    @Option(names = "--weight-decay", defaultValue = "1e-5") double weightDecay;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).") double momentum;
    @Option(names = "--epochs", defaultValue = "5", description = "Stage-3 epochs (default: ${DEFAULT-VALUE}).") int epochs;
    @Option(names = "--batch-size", defaultValue = "16") int batchSize;
    @Option(names = "--accum", defaultValue = "1", description = "Gradient accumulation steps.") int accum;
    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip; <= 0 disables (default: ${DEFAULT-VALUE}).") double clip;
    @Option(names = "--warmup-epochs", defaultValue = "1") int warmupEpochs;
    @Option(names = "--layernorm-only", description = "FPT-style refinement: only LayerNorms, embedder and predictor train.") boolean layerNormOnly;
    @Option(names = "--dropout", defaultValue = "0", description = "Override the body's dropout.") double dropout;
    @Option(names = "--class-weighted", description = "Weight cross-entropy by 1/class frequency (always on for arff/csv tabular data).") boolean classWeighted;
    @Option(names = "--pos-weight", defaultValue = "0", description = "BCE pos_weight for multi-label tasks (0 = none).") double posWeight;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--seeds", defaultValue = "1", description = "Repeat every method with seeds seed .. seed+N-1.") int seeds;
    @Option(names = "--val-fraction", defaultValue = "0.2", description = "Share of the training data held out for model selection.") double valFraction;
    @Option(names = "--source", defaultValue = "wordnet", description = "Source proxy: wordnet (built in), conll:FILE or conllu:FILE (default: ${DEFAULT-VALUE}).")
    String source;
    @Option(names = "--source-classes", defaultValue = "10") int sourceClasses;
    @Option(names = "--source-samples", defaultValue = "2000") int sourceSamples;
    @Option(names = "--source-seq", defaultValue = "32", description = "Tokens per source text.") int sourceSeq;
    @Option(names = "--cache-dir", description = "Where source-proxy features are cached (default: ~/.cache/orca-j).") Path cacheDir;
    @Option(names = "--out", description = "Report directory (default: orca-runs/<task>-<time>).") Path out;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores).") int threads;

    @Override
    public Integer call() throws Exception {
        if (threads > 0) CpuPool.setThreads(threads);
        List<OrcaRun.Method> ms = new ArrayList<>();
        for (String m : methods) ms.add(OrcaRun.Method.parse(m));
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1");
        if (!(valFraction > 0 && valFraction < 1)) throw new IllegalArgumentException("--val-fraction must be in (0, 1), got " + valFraction);
        TaskLoader.LoadedTask task = TaskLoader.load(data, valFraction, seed);
        System.out.println("task " + task.spec() + " from " + task.description() + ": train " + task.train().size() + ", validation " + task.val().size() + ", test " + task.test().size());
        Supplier<Body> bodies = bodySupplier();
        Body probe = bodies.get();
        SourceFeatures src = ms.contains(OrcaRun.Method.ORCA) ? sourceFeatures(probe) : null;
        Path dir = out != null ? out : Path.of("orca-runs", task.spec().name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Progress progress = new Progress(System.out);
        List<Report.Entry> entries = new ArrayList<>();
        for (long s = seed; s < seed + seeds; s++) {
            TrainConfig cfg = new TrainConfig(optimizer, lr, weightDecay, momentum, epochs, batchSize, accum, clip, warmupEpochs, epochs,
                    layerNormOnly, dropout, classWeighted || task.tabular(), posWeight, s);
            for (OrcaRun.Method m : ms) {
                var settings = new OrcaRun.Settings(m, objective, alignEpochs, maxSamples, patch, pooledDense, cfg);
                OrcaRun.Outcome o = OrcaRun.run(task.spec(), task.train(), task.val(), task.test(), bodies,
                        () -> AlignmentLoss.create(objective, src), settings, progress);
                entries.add(new Report.Entry(m.name().toLowerCase(Locale.ROOT) + (layerNormOnly ? "-fpt" : ""), s, o));
                System.out.println("  " + m + " seed " + s + ": test " + o.refine().test());
                Report.write(dir, task, entries, settingsMap()); // rewritten after every run: a crash keeps what finished
            }
        }
        System.out.println("report: " + dir.resolve("report.html").toAbsolutePath());
        return 0;
    }

    private Supplier<Body> bodySupplier() throws Exception {
        if (body.equals("minilm")) {
            var weights = dev.orcaj.io.onnx.MiniLmWeights.load();
            return () -> BertModel.fromStateDict(dev.orcaj.io.onnx.MiniLmWeights.config(), weights, "classpath:" + dev.orcaj.io.onnx.MiniLmWeights.RESOURCE);
        }
        Path p = Path.of(body);
        Bodies.load(p); // fail fast with the loader's message
        return () -> {
            try {
                return Bodies.load(p);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private SourceFeatures sourceFeatures(Body b) throws Exception {
        if (!(b instanceof BertModel bert)) {
            throw new IllegalArgumentException("--body " + body + ": the vision source proxy (CIFAR-10 through Swin's patch embedding) is not finished; use a text body (BERT/RoBERTa) for now");
        }
        if (!body.equals("minilm")) {
            throw new IllegalArgumentException("--body " + body + ": only the built-in MiniLM ships a tokenizer here; pass --methods finetune,scratch for other bodies (RoBERTa tokenizer wiring is not finished)");
        }
        Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "orca-j");
        WordPieceTokenizer tok = WordPieceTokenizer.miniLm();
        if (source.equals("wordnet")) {
            System.out.println("source proxy: WordNet 3.1 glosses, " + sourceClasses + " lexicographer categories, " + sourceSamples + " glosses");
            return SourceProxy.wordnet(bert, tok, "minilm", sourceClasses, sourceSamples, sourceSeq, seed, cache);
        }
        int colon = source.indexOf(':');
        String kind = colon < 0 ? source : source.substring(0, colon);
        if (colon < 0 || !(kind.equals("conll") || kind.equals("conllu"))) throw new IllegalArgumentException("--source: expected wordnet, conll:FILE or conllu:FILE, got '" + source + "'");
        Path file = Path.of(source.substring(colon + 1));
        var sentences = kind.equals("conll") ? ConllReader.readConll(file) : ConllReader.readConllU(file);
        LabelledSet set = ConllReader.sentenceSamples(sentences, kind.equals("conll")).topClasses(sourceClasses).balancedSample(sourceSamples, seed);
        return SourceProxy.text(bert, tok, set, sourceSeq, source);
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data); m.put("body", body); m.put("methods", methods); m.put("objective", objective);
        m.put("align_epochs", alignEpochs); m.put("max_samples", maxSamples); m.put("patch", patch); m.put("pooled_dense", pooledDense);
        m.put("optimizer", optimizer); m.put("lr", lr); m.put("weight_decay", weightDecay); m.put("epochs", epochs); m.put("batch_size", batchSize);
        m.put("accum", accum); m.put("clip", clip); m.put("warmup_epochs", warmupEpochs); m.put("layernorm_only", layerNormOnly);
        m.put("seed", seed); m.put("seeds", seeds); m.put("val_fraction", valFraction); m.put("source", source);
        m.put("source_classes", sourceClasses); m.put("source_samples", sourceSamples); m.put("threads", CpuPool.threads());
        return m;
    }
}
