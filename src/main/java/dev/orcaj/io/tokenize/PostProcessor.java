package dev.orcaj.io.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code post_processor} of a tokenizer.json: how special tokens and type ids are put around one or two
 * sequences. Supported: {@code TemplateProcessing}, {@code BertProcessing} ([CLS] A [SEP] B [SEP], type ids 0/1)
 * and {@code RobertaProcessing} (&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;, all type ids 0 as in HF).
 */
final class PostProcessor {
    /** One template element: fixed special ids, or sequence A/B; each with a type id. */
    private record Part(int[] specialIds, String[] specialTokens, char sequence, int typeId) {}

    private final List<Part> single;
    private final List<Part> pair;

    private PostProcessor(List<Part> single, List<Part> pair) {
        this.single = single;
        this.pair = pair;
    }

    static PostProcessor fromJson(TokenizerJson json) {
        JsonNode pp = json.root.get("post_processor");
        if (pp == null || pp.isNull()) {
            return new PostProcessor(List.of(seq('A', 0)), List.of(seq('A', 0), seq('B', 1)));
        }
        String type = json.requireType(pp, "post_processor", "TemplateProcessing", "BertProcessing", "RobertaProcessing");
        return switch (type) {
            case "BertProcessing" -> {
                Part cls = special(json, pp, "cls", 0);
                yield new PostProcessor(List.of(cls, seq('A', 0), special(json, pp, "sep", 0)),
                        List.of(cls, seq('A', 0), special(json, pp, "sep", 0), seq('B', 1), special(json, pp, "sep", 1)));
            }
            case "RobertaProcessing" -> {
                Part cls = special(json, pp, "cls", 0);
                Part sep = special(json, pp, "sep", 0);
                yield new PostProcessor(List.of(cls, seq('A', 0), sep),
                        List.of(cls, seq('A', 0), sep, sep, seq('B', 0), sep)); // HF gives RoBERTa pairs type id 0 throughout
            }
            default -> template(json, pp);
        };
    }

    private static Part seq(char which, int typeId) {
        return new Part(null, null, which, typeId);
    }

    /** {@code "cls": ["[CLS]", 101]} as used by BertProcessing/RobertaProcessing. */
    private static Part special(TokenizerJson json, JsonNode pp, String field, int typeId) {
        JsonNode v = json.require(pp, "post_processor", field);
        if (!v.isArray() || v.size() != 2 || !v.get(0).isTextual() || !v.get(1).canConvertToInt()) {
            throw json.error("post_processor." + field, "should be [token, id]");
        }
        return new Part(new int[] {v.get(1).asInt()}, new String[] {v.get(0).asText()}, ' ', typeId);
    }

    private static PostProcessor template(TokenizerJson json, JsonNode pp) {
        Map<String, Part> specials = new HashMap<>();
        JsonNode st = pp.get("special_tokens");
        if (st != null && st.isObject()) {
            for (var e : st.properties()) {
                String path = "post_processor.special_tokens." + e.getKey();
                JsonNode ids = json.require(e.getValue(), path, "ids");
                JsonNode toks = json.require(e.getValue(), path, "tokens");
                if (!ids.isArray() || !toks.isArray() || ids.size() != toks.size()) {
                    throw json.error(path, "needs arrays 'ids' and 'tokens' of equal length");
                }
                int[] idArr = new int[ids.size()];
                String[] tokArr = new String[ids.size()];
                for (int i = 0; i < idArr.length; i++) {
                    idArr[i] = ids.get(i).asInt();
                    tokArr[i] = toks.get(i).asText();
                }
                specials.put(e.getKey(), new Part(idArr, tokArr, ' ', 0));
            }
        }
        return new PostProcessor(templateParts(json, pp, "single", specials), templateParts(json, pp, "pair", specials));
    }

    private static List<Part> templateParts(TokenizerJson json, JsonNode pp, String field, Map<String, Part> specials) {
        JsonNode arr = json.require(pp, "post_processor", field);
        String path = "post_processor." + field;
        if (!arr.isArray()) throw json.error(path, "should be an array");
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode el = arr.get(i);
            String p = path + "[" + i + "]";
            if (el.has("SpecialToken")) {
                JsonNode s = el.get("SpecialToken");
                String name = json.requireText(s, p + ".SpecialToken", "id");
                Part def = specials.get(name);
                if (def == null) throw json.error(p, "names special token '" + name + "' absent from special_tokens");
                parts.add(new Part(def.specialIds(), def.specialTokens(), ' ', s.path("type_id").asInt(0)));
            } else if (el.has("Sequence")) {
                JsonNode s = el.get("Sequence");
                String which = json.requireText(s, p + ".Sequence", "id");
                if (!which.equals("A") && !which.equals("B")) throw json.error(p + ".Sequence.id", "should be A or B");
                parts.add(seq(which.charAt(0), s.path("type_id").asInt(0)));
            } else {
                throw json.error(p, "should hold SpecialToken or Sequence");
            }
        }
        return parts;
    }

    /** Number of special tokens added around a single input or a pair (HF {@code added_tokens(is_pair)}). */
    int addedTokens(boolean isPair) {
        int n = 0;
        for (Part p : isPair ? pair : single) if (p.specialIds() != null) n += p.specialIds().length;
        return n;
    }

    /** Ids, type ids and tokens of the final sequence; {@code b} is null for a single input. */
    Encoding apply(Seq a, Seq b) {
        List<Part> parts = b == null ? single : pair;
        Seq out = new Seq();
        List<Integer> types = new ArrayList<>();
        for (Part p : parts) {
            if (p.specialIds() != null) {
                for (int i = 0; i < p.specialIds().length; i++) {
                    out.add(p.specialIds()[i], p.specialTokens()[i]);
                    types.add(p.typeId());
                }
            } else {
                Seq s = p.sequence() == 'A' ? a : b;
                for (int i = 0; i < s.size(); i++) {
                    out.add(s.id(i), s.token(i));
                    types.add(p.typeId());
                }
            }
        }
        int n = out.size();
        int[] ids = new int[n];
        int[] typeIds = new int[n];
        int[] mask = new int[n];
        String[] tokens = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = out.id(i);
            typeIds[i] = types.get(i);
            mask[i] = 1;
            tokens[i] = out.token(i);
        }
        return new Encoding(ids, typeIds, mask, tokens);
    }
}
