package dev.orcaj.orca;

import dev.orcaj.models.Body;
import dev.orcaj.nn.Module;
import dev.orcaj.tensor.Tensor;

/** Embedder -> pretrained body (its own embedding module bypassed, spec 1.1) -> predictor. */
public final class OrcaModel extends Module {
    public final Embedder embedder;
    public final Body body;
    public final Predictor predictor;

    public OrcaModel(Embedder embedder, Body body, Predictor predictor) {
        this.embedder = child("embedder", embedder);
        this.body = body;
        child("body", body.module());
        this.predictor = child("predictor", predictor);
    }

    /** Inputs at the trained extent, or (zero-shot) at another one the embedder's k and the body's positions support. */
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        PatchPlan plan = embedder.planFor(java.util.Arrays.copyOfRange(s, 2, s.length));
        return predictor.forward(body.forwardEmbeds(embedder.forward(x), null), plan);
    }
}
