package dev.orcaj.cli;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import dev.orcaj.models.BodyOutput;
import dev.orcaj.models.StateDicts;
import dev.orcaj.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code orca features}: run a pretrained body once (eval mode) and write its outputs as .npy. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = {"Run a pretrained body on one input batch and write last_hidden_state.npy and pooler_output.npy",
                "(float32) to the output directory. Files are written atomically; the body runs in eval mode (no dropout)."},
        footer = {"%nInputs (exactly one of --input-ids, --inputs-embeds, --pixel-values):",
                "  BERT/RoBERTa: --input-ids [B,S] integers (+ --attention-mask [B,S] 0/1, --token-type-ids [B,S]),",
                "                or --inputs-embeds [B,S,hidden] float (+ --attention-mask), Hugging Face inputs_embeds semantics:",
                "                token type 0, positions from pad+1 (RoBERTa) or 0 (BERT), then embeddings.LayerNorm.",
                "  Swin:         --pixel-values [B,C,H,W] float.",
                "A checkpoint without pooler (e.g. --minilm) writes only last_hidden_state.npy.",
                "%nExamples:",
                "  orca features --minilm --input-ids ids.npy --attention-mask mask.npy --out feats/",
                "  orca features --checkpoint ./swin-tiny-hf --pixel-values images.npy --out feats/"})
public final class FeaturesCommand implements Callable<Integer> {

    static final class Weights {
        @Option(names = "--checkpoint", paramLabel = "PATH",
                description = "Hugging Face directory (config.json + model.safetensors or shards) or an ORCA-J .safetensors "
                        + "file with its config in metadata (see 'orca convert'). model_type bert, roberta or swin.")
        Path checkpoint;

        @Option(names = "--minilm", description = "The all-MiniLM-L6-v2 BERT body embedded in this jar.")
        boolean minilm;
    }

    static final class Input {
        @Option(names = "--input-ids", paramLabel = "NPY", description = "Token ids [B,S] (integer .npy), BERT/RoBERTa.")
        Path inputIds;

        @Option(names = "--inputs-embeds", paramLabel = "NPY", description = "Input embeddings [B,S,hidden] (float .npy), BERT/RoBERTa.")
        Path inputsEmbeds;

        @Option(names = "--pixel-values", paramLabel = "NPY", description = "Images [B,C,H,W] (float .npy), Swin.")
        Path pixelValues;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Weights weights;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--attention-mask", paramLabel = "NPY", description = "0/1 mask [B,S] (1 = token); default all 1.")
    Path attentionMask;

    @Option(names = "--token-type-ids", paramLabel = "NPY", description = "Segment ids [B,S] for --input-ids; default all 0.")
    Path tokenTypeIds;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if needed).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Body body = weights.minilm ? Bodies.miniLm() : Bodies.load(weights.checkpoint);
        body.module().train(false);
        BodyOutput result = Autograd.noGrad(() -> run(body));
        Npy.write(out.resolve("last_hidden_state.npy"), StateDicts.toNdArray(result.lastHiddenState()));
        if (result.poolerOutput() != null) Npy.write(out.resolve("pooler_output.npy"), StateDicts.toNdArray(result.poolerOutput()));
        PrintWriter w = spec.commandLine().getOut();
        w.printf("wrote %s/last_hidden_state.npy %s%n", out, Arrays.toString(result.lastHiddenState().shape()));
        if (result.poolerOutput() != null) w.printf("wrote %s/pooler_output.npy %s%n", out, Arrays.toString(result.poolerOutput().shape()));
        else w.println("no pooler in this checkpoint: pooler_output.npy not written");
        w.flush();
        return 0;
    }

    private BodyOutput run(Body body) {
        if (input.pixelValues != null) {
            if (body.modality() != Body.Modality.IMAGE) throw new IllegalArgumentException("--pixel-values needs a swin checkpoint");
            if (attentionMask != null || tokenTypeIds != null) throw new IllegalArgumentException("--attention-mask/--token-type-ids do not apply to --pixel-values");
            return body.forwardPixels(read(input.pixelValues, 4, "--pixel-values"));
        }
        if (body.modality() != Body.Modality.TEXT) throw new IllegalArgumentException((input.inputIds != null ? "--input-ids" : "--inputs-embeds") + " needs a bert or roberta checkpoint");
        if (input.inputsEmbeds != null) {
            if (tokenTypeIds != null) throw new IllegalArgumentException("--token-type-ids applies to --input-ids only");
            Tensor embeds = read(input.inputsEmbeds, 3, "--inputs-embeds");
            Tensor mask = attentionMask == null ? null : StateDicts.toTensor(shaped(attentionMask, embeds.shape(0), embeds.shape(1), "--attention-mask"));
            return body.forwardInputsEmbeds(embeds, mask);
        }
        NdArray ids = npy(input.inputIds, "--input-ids");
        if (ids.rank() != 2 || ids.dtype().isFloating()) throw new IllegalArgumentException("--input-ids " + input.inputIds + ": expected integer [B,S], got " + ids);
        int b = ids.intShape()[0], s = ids.intShape()[1];
        int[] mask = attentionMask == null ? null : shaped(attentionMask, b, s, "--attention-mask").toInts();
        int[] types = tokenTypeIds == null ? null : shaped(tokenTypeIds, b, s, "--token-type-ids").toInts();
        return body.forwardTokenIds(ids.toInts(), mask, types, b, s);
    }

    private static Tensor read(Path file, int rank, String flag) {
        NdArray a = npy(file, flag);
        if (a.rank() != rank || !a.dtype().isFloating()) throw new IllegalArgumentException(flag + " " + file + ": expected a float array of rank " + rank + ", got " + a);
        return StateDicts.toTensor(a);
    }

    private static NdArray shaped(Path file, int b, int s, String flag) {
        NdArray a = npy(file, flag);
        if (!Arrays.equals(a.intShape(), new int[] {b, s})) throw new IllegalArgumentException(flag + " " + file + ": expected shape [" + b + ", " + s + "], got " + Arrays.toString(a.shape()));
        return a;
    }

    private static NdArray npy(Path file, String flag) {
        try {
            return Npy.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + ": " + OrcaCli.describe(e), e); // e.g. "--input-ids: file not found: ids.npy"
        }
    }
}
