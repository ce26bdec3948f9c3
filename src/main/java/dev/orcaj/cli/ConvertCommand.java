package dev.orcaj.cli;

import dev.orcaj.io.DType;
import dev.orcaj.io.convert.WeightsConverter;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code orca convert}: pretrained weights -> one ORCA-J safetensors checkpoint with the HF config in its metadata. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert pretrained weights into an ORCA-J checkpoint: ONE safetensors file with HF parameter names "
                + "and the HF config (metadata keys orcaj.config, orcaj.model_type).",
        footer = {"%nExamples:",
                "  orca convert --from-hf ./roberta-base --out roberta-base.safetensors",
                "  orca convert --from-hf ./swin-base-patch4-window7-224-in22k --out swin-base.safetensors --dtype bf16",
                "  orca convert --minilm --out minilm.safetensors"})
public final class ConvertCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--from-hf", paramLabel = "DIR",
                description = "Hugging Face checkpoint directory: config.json plus model.safetensors or model.safetensors.index.json "
                        + "(shards); F32/F16/BF16. Supported model_type: bert, roberta, swin.")
        Path hfDir;

        @Option(names = "--minilm", description = "The all-MiniLM-L6-v2 body embedded in this jar (ONNX; no pooler).")
        boolean minilm;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .safetensors file (written atomically).")
    Path out;

    @Option(names = "--dtype", paramLabel = "f32|bf16", defaultValue = "f32",
            description = "Storage type of floating tensors (default: ${DEFAULT-VALUE}); integer buffers keep their type.")
    String dtype;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DType storeAs = switch (dtype.toLowerCase(java.util.Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "bf16" -> DType.BF16;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--dtype must be f32 or bf16, got '" + dtype + "'");
        };
        WeightsConverter.Result r = source.minilm ? WeightsConverter.convertMiniLm(out, storeAs) : WeightsConverter.convertHf(source.hfDir, out, storeAs);
        var w = spec.commandLine().getOut();
        w.printf("wrote %s: %d tensors, %s, model_type %s%n", r.out(), r.tensorCount(), r.storedAs(), r.config().modelType());
        if (!r.dropped().isEmpty()) w.printf("dropped %d tensors that are not part of the body: %s%n", r.dropped().size(), r.dropped());
        w.flush();
        return 0;
    }
}
