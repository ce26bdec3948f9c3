package dev.orcaj.io.tokenize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only: trains a small byte-level BPE (the textbook loop: merge the most frequent adjacent pair, ties by
 * string order) on sentences split at spaces, and writes it as a RoBERTa-style tokenizer.json.
 * Independent of the product code (own byte table, own JSON writing).
 */
final class TinyBpeTrainer {
    private TinyBpeTrainer() {}

    private static final String[] BYTE_CHARS = new String[256];

    static {
        for (int b = 0; b < 256; b++) BYTE_CHARS[b] = computeByteChar(b);
    }

    static String byteChar(int b) {
        return BYTE_CHARS[b];
    }

    /** GPT-2 bytes_to_unicode written out from its definition. */
    private static String computeByteChar(int b) {
        List<Integer> bs = new ArrayList<>();
        for (int i = '!'; i <= '~'; i++) bs.add(i);
        for (int i = 0xA1; i <= 0xAC; i++) bs.add(i);
        for (int i = 0xAE; i <= 0xFF; i++) bs.add(i);
        if (bs.contains(b)) return Character.toString(b);
        int n = 0;
        for (int i = 0; i < b; i++) if (!bs.contains(i)) n++;
        return Character.toString(256 + n);
    }

    /** The merges learnt from {@code sentences}, in rank order. */
    static List<String[]> train(List<String> sentences, int numMerges) {
        Map<List<String>, Integer> words = new HashMap<>();
        for (String s : sentences) {
            String[] parts = s.split(" ");
            for (int i = 0; i < parts.length; i++) {
                String w = (i > 0 ? " " : "") + parts[i];
                List<String> syms = new ArrayList<>();
                for (byte b : w.getBytes(StandardCharsets.UTF_8)) syms.add(byteChar(b & 0xFF));
                if (!syms.isEmpty()) words.merge(syms, 1, Integer::sum);
            }
        }
        List<String[]> merges = new ArrayList<>();
        for (int m = 0; m < numMerges; m++) {
            Map<String, Integer> pairCounts = new HashMap<>();
            for (var e : words.entrySet()) {
                List<String> w = e.getKey();
                for (int i = 0; i + 1 < w.size(); i++) pairCounts.merge(w.get(i) + " " + w.get(i + 1), e.getValue(), Integer::sum);
            }
            String best = null;
            for (var e : pairCounts.entrySet()) {
                if (best == null || e.getValue() > pairCounts.get(best) || (e.getValue().equals(pairCounts.get(best)) && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                }
            }
            if (best == null) break;
            String[] ab = best.split(" ");
            merges.add(ab);
            Map<List<String>, Integer> next = new HashMap<>();
            for (var e : words.entrySet()) {
                List<String> w = e.getKey();
                List<String> merged = new ArrayList<>();
                for (int i = 0; i < w.size(); i++) {
                    if (i + 1 < w.size() && w.get(i).equals(ab[0]) && w.get(i + 1).equals(ab[1])) {
                        merged.add(ab[0] + ab[1]);
                        i++;
                    } else {
                        merged.add(w.get(i));
                    }
                }
                next.merge(merged, e.getValue(), Integer::sum);
            }
            words = next;
        }
        return merges;
    }

    /** A RoBERTa-style tokenizer.json with these merges, in a temp file. */
    static Path write(List<String[]> merges, boolean addPrefixSpace) throws IOException {
        ObjectMapper om = new ObjectMapper();
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : new String[] {"<s>", "<pad>", "</s>", "<unk>"}) vocab.put(s, vocab.size());
        for (int b = 0; b < 256; b++) vocab.put(byteChar(b), vocab.size());
        for (String[] m : merges) vocab.putIfAbsent(m[0] + m[1], vocab.size());
        vocab.put("<mask>", vocab.size());

        ObjectNode root = om.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : new String[] {"<s>", "<pad>", "</s>", "<unk>", "<mask>"}) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.get(s)).put("content", s).put("single_word", false).put("lstrip", s.equals("<mask>"))
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel").put("add_prefix_space", addPrefixSpace).put("trim_offsets", true).put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "RobertaProcessing");
        post.putArray("sep").add("</s>").add(vocab.get("</s>"));
        post.putArray("cls").add("<s>").add(vocab.get("<s>"));
        post.put("trim_offsets", true).put("add_prefix_space", addPrefixSpace);
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        for (String[] ab : merges) m.add(ab[0] + " " + ab[1]);
        Path file = Files.createTempFile("tiny-bpe", ".json");
        file.toFile().deleteOnExit();
        om.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return file;
    }
}
