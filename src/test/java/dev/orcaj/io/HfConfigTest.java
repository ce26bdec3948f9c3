package dev.orcaj.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static dev.orcaj.io.TestFiles.weights;
import static org.junit.jupiter.api.Assertions.*;

class HfConfigTest {

    @Test
    void parsesTinyRobertaFixtureIgnoringUnknownFields() throws IOException {
        HfConfig c = HfConfig.read(weights("tiny-roberta/config.json"));
        // values as written in ../shared/data/weights/tiny-roberta/config.json
        assertEquals(new BertConfig("roberta", 1000, 64, 2, 4, 128, "gelu", 66, 1, 1e-5, 1), c);
        assertEquals(16, ((BertConfig) c).headDim());
    }

    @Test
    void parsesTinySwinFixtures() throws IOException {
        SwinConfig s = (SwinConfig) HfConfig.read(weights("tiny-swin/config.json"));
        assertEquals(new SwinConfig(32, 4, 3, 16, new int[]{2, 2}, new int[]{2, 4}, 4, 2.0, 1e-5, "gelu"), s);
        assertEquals(32, s.hiddenSize());     // config.json says hidden_size 32
        SwinConfig s64 = (SwinConfig) HfConfig.read(weights("tiny-swin-64/config.json"));
        assertArrayEquals(new int[]{2, 2, 2}, s64.depths());
        assertArrayEquals(new int[]{2, 4, 8}, s64.numHeads());
        assertEquals(64, s64.imageSize());
    }

    @Test
    void jsonRoundTripForFixturesAndPublishedConfigs() throws IOException {
        for (HfConfig c : new HfConfig[]{HfConfig.read(weights("tiny-roberta/config.json")), HfConfig.read(weights("tiny-swin/config.json")),
                BertConfig.robertaBase(), BertConfig.allMiniLmL6V2(), SwinConfig.swinBasePatch4Window7_224()}) {
            assertEquals(c, HfConfig.parse(c.toJson(), "roundtrip"), c.toString());
        }
    }

    @Test
    void publishedConfigsMatchTheirHubValues() {
        BertConfig m = BertConfig.allMiniLmL6V2();
        assertEquals(new BertConfig("bert", 30522, 384, 6, 12, 1536, "gelu", 512, 2, 1e-12, 0), m);
        BertConfig r = BertConfig.robertaBase();
        assertEquals(768, r.hiddenSize());
        assertEquals(514, r.maxPositionEmbeddings());
        assertEquals(1, r.padTokenId());
        assertEquals("roberta", r.modelType());
        SwinConfig s = SwinConfig.swinBasePatch4Window7_224();
        assertEquals(128, s.embedDim());
        assertArrayEquals(new int[]{2, 2, 18, 2}, s.depths());
        assertArrayEquals(new int[]{4, 8, 16, 32}, s.numHeads());
        assertEquals(7, s.windowSize());
        assertEquals(224, s.imageSize());
        assertEquals(1024, s.hiddenSize());
        // swin-base has 86.7M parameters in the body (Liu et al. 2021, Table 1 reports 88M with the classifier head)
        long params = s.stateDictShapes().entrySet().stream().filter(e -> !e.getKey().endsWith("relative_position_index"))
                .mapToLong(e -> NdArray.numel(e.getValue())).sum();
        assertEquals(88_000_000, params + 1024 * 1000 + 1000, 1_000_000);
    }

    @Test
    void missingRequiredFieldIsNamed() {
        String json = "{\"model_type\":\"bert\",\"vocab_size\":10,\"hidden_size\":8,\"num_hidden_layers\":1,\"intermediate_size\":16,\"max_position_embeddings\":4}";
        HfConfig.HfConfigException e = assertThrows(HfConfig.HfConfigException.class, () -> HfConfig.parse(json, "cfg.json"));
        assertEquals("cfg.json: missing required field 'num_attention_heads'", e.getMessage());
        String swin = "{\"model_type\":\"swin\",\"image_size\":32,\"patch_size\":4,\"embed_dim\":16,\"num_heads\":[2],\"window_size\":4}";
        HfConfig.HfConfigException e2 = assertThrows(HfConfig.HfConfigException.class, () -> HfConfig.parse(swin, "s.json"));
        assertEquals("s.json: missing required field 'depths'", e2.getMessage());
        assertThrows(HfConfig.HfConfigException.class, () -> HfConfig.parse("{\"vocab_size\":3}", "x.json"), "model_type is required");
    }

    @Test
    void badValuesAreRejectedWithTheFieldName() {
        String base = "\"vocab_size\":10,\"hidden_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":2,\"intermediate_size\":16,\"max_position_embeddings\":4";
        assertMessage("{\"model_type\":\"bert\"," + base.replace("\"hidden_size\":8", "\"hidden_size\":\"8\"") + "}", "field 'hidden_size' must be an integer");
        assertMessage("{\"model_type\":\"bert\"," + base.replace("\"num_attention_heads\":2", "\"num_attention_heads\":3") + "}", "not a multiple of num_attention_heads 3");
        assertMessage("{\"model_type\":\"gpt2\"," + base + "}", "unsupported model_type 'gpt2'");
        assertMessage("{\"model_type\":\"bert\",\"position_embedding_type\":\"relative_key\"," + base + "}", "position_embedding_type 'relative_key'");
        assertMessage("{\"model_type\":\"bert\"," + base, "malformed JSON");
        assertMessage("{\"model_type\":\"swin\",\"image_size\":32,\"patch_size\":4,\"embed_dim\":16,\"depths\":[2,2],\"num_heads\":[2],\"window_size\":4}",
                "depths [2, 2] and num_heads [2] differ in length");
    }

    @Test
    void optionalFieldsTakeHfDefaults() {
        BertConfig c = (BertConfig) HfConfig.parse("{\"model_type\":\"bert\",\"vocab_size\":10,\"hidden_size\":8,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":2,\"intermediate_size\":16,\"max_position_embeddings\":4}", "d.json");
        assertEquals("gelu", c.hiddenAct());
        assertEquals(2, c.typeVocabSize());
        assertEquals(1e-12, c.layerNormEps());
        assertEquals(0, c.padTokenId());
    }

    private static void assertMessage(String json, String part) {
        HfConfig.HfConfigException e = assertThrows(HfConfig.HfConfigException.class, () -> HfConfig.parse(json, "t.json"));
        assertTrue(e.getMessage().startsWith("t.json: ") && e.getMessage().contains(part), e.getMessage());
    }
}
