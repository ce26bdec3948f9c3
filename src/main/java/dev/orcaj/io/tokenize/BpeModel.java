package dev.orcaj.io.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * HF {@code BPE} model: a word starts as one symbol per char; merges are applied lowest rank first (rank = line
 * in {@code model.merges}), ties broken by leftmost position, exactly as HF {@code Word::merge_all} with its
 * priority queue. A char missing from the vocabulary becomes {@code unk_token} (consecutive ones fused if
 * {@code fuse_unk}) or is dropped when the model has no unk token, as in HF.
 */
final class BpeModel {
    private record Merge(int rank, int newId) {}

    private record Candidate(int pos, int rank, int newId) {}

    private final Vocab vocab;
    private final Map<Long, Merge> merges = new HashMap<>();
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean ignoreMerges;

    BpeModel(TokenizerJson json, Vocab vocab) {
        this.vocab = vocab;
        JsonNode model = json.root.get("model");
        if (json.bool(model, "byte_fallback", false)) throw json.error("model.byte_fallback", "is true: not supported");
        for (String f : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            if (!model.path(f).asText("").isEmpty()) throw json.error("model." + f, "is set: not supported");
        }
        JsonNode dropout = model.get("dropout");
        if (dropout != null && !dropout.isNull() && dropout.asDouble() != 0) {
            throw json.error("model.dropout", "is set: BPE dropout (random) is not supported");
        }
        String unk = model.path("unk_token").isTextual() ? model.get("unk_token").asText() : null;
        this.unkId = unk == null ? -1 : vocab.id(unk);
        if (unk != null && unkId < 0) throw json.error("model.unk_token", "'" + unk + "' is not in model.vocab");
        this.fuseUnk = json.bool(model, "fuse_unk", false);
        this.ignoreMerges = json.bool(model, "ignore_merges", false);
        JsonNode list = json.require(model, "model", "merges");
        if (!list.isArray()) throw json.error("model.merges", "should be an array");
        for (int rank = 0; rank < list.size(); rank++) {
            JsonNode m = list.get(rank);
            String a;
            String b;
            if (m.isTextual()) {
                String[] parts = m.asText().split(" ", -1);
                if (parts.length != 2) throw json.error("model.merges[" + rank + "]", "should be 'a b', got '" + m.asText() + "'");
                a = parts[0];
                b = parts[1];
            } else if (m.isArray() && m.size() == 2) {
                a = m.get(0).asText();
                b = m.get(1).asText();
            } else {
                throw json.error("model.merges[" + rank + "]", "should be 'a b' or [a, b]");
            }
            int ia = vocab.id(a);
            int ib = vocab.id(b);
            int merged = vocab.id(a + b);
            if (ia < 0 || ib < 0 || merged < 0) {
                throw json.error("model.merges[" + rank + "]", "'" + a + " " + b + "' uses a token missing from model.vocab");
            }
            merges.putIfAbsent(key(ia, ib), new Merge(rank, merged));
        }
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    void tokenize(String word, Seq out) {
        if (ignoreMerges) {
            int id = vocab.id(word);
            if (id >= 0) {
                out.add(id, word);
                return;
            }
        }
        int n = word.codePointCount(0, word.length());
        int[] sym = new int[n];
        int count = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            int id = vocab.id(Character.toString(cp));
            if (id < 0) {
                if (unkId < 0) continue;
                if (fuseUnk && count > 0 && sym[count - 1] == unkId) continue;
                id = unkId;
            }
            sym[count++] = id;
        }
        mergeAll(sym, count, out);
    }

    private void mergeAll(int[] sym, int n, Seq out) {
        int[] prev = new int[n];
        int[] next = new int[n];
        boolean[] removed = new boolean[n];
        PriorityQueue<Candidate> queue = new PriorityQueue<>(
                (x, y) -> x.rank() != y.rank() ? Integer.compare(x.rank(), y.rank()) : Integer.compare(x.pos(), y.pos()));
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            if (i + 1 < n) offer(queue, i, sym[i], sym[i + 1]);
        }
        while (!queue.isEmpty()) {
            Candidate top = queue.poll();
            int pos = top.pos();
            if (removed[pos] || next[pos] < 0) continue;
            int right = next[pos];
            Merge current = merges.get(key(sym[pos], sym[right]));
            if (current == null || current.newId() != top.newId()) continue; // stale entry
            sym[pos] = top.newId();
            removed[right] = true;
            next[pos] = next[right];
            if (next[right] >= 0) prev[next[right]] = pos;
            if (prev[pos] >= 0) offer(queue, prev[pos], sym[prev[pos]], sym[pos]);
            if (next[pos] >= 0) offer(queue, pos, sym[pos], sym[next[pos]]);
        }
        for (int i = 0; i < n; i++) if (!removed[i]) out.add(sym[i], vocab.token(sym[i]));
    }

    private void offer(PriorityQueue<Candidate> queue, int pos, int left, int right) {
        Merge m = merges.get(key(left, right));
        if (m != null) queue.add(new Candidate(pos, m.rank(), m.newId()));
    }
}
