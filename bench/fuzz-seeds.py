#!/usr/bin/env python3
"""Writes the seed corpus of the parser fuzz tests (src/test/java/dev/orcaj/fuzz) into the Jazzer inputs folders
src/test/resources/dev/orcaj/fuzz/<Class>Inputs/fuzz/. Each seed is a tiny valid file of its format (hand-made here,
nothing copied from ../shared/data), so the fuzzer starts inside the parser rather than at its magic-number check.
Run from the repository root: python3 bench/fuzz-seeds.py (needs numpy)."""
import io, json, os, struct, zipfile, zlib
import numpy as np

ROOT = "src/test/resources/dev/orcaj/fuzz"


def put(test, name, data):
    d = os.path.join(ROOT, test + "Inputs", "fuzz")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def npy_bytes(a, **kw):
    b = io.BytesIO()
    np.lib.format.write_array(b, a, **kw)
    return b.getvalue()


# --- npy / npz
put("NpyFuzzTest", "f4-2x3.npy", npy_bytes(np.arange(6, dtype="<f4").reshape(2, 3)))
put("NpyFuzzTest", "i8-fortran.npy", npy_bytes(np.asfortranarray(np.arange(6, dtype="<i8").reshape(3, 2))))
put("NpyFuzzTest", "u1-v2.npy", npy_bytes(np.array([1, 2, 3], dtype="|u1"), version=(2, 0)))
put("NpyFuzzTest", "f2-scalar.npy", npy_bytes(np.array(1.5, dtype="<f2")))
for compress in (False, True):
    b = io.BytesIO()
    (np.savez_compressed if compress else np.savez)(b, x=np.ones((2, 2), "<f4"), y=np.array([0, 1], "<i8"))
    put("NpzFuzzTest", "two-arrays%s.npz" % ("-deflate" if compress else ""), b.getvalue())


# --- safetensors: 8-byte little-endian header length, JSON header, data
def safetensors(tensors, metadata=None):
    header, data = {}, b""
    for name, a in tensors.items():
        raw = a.tobytes()
        header[name] = {"dtype": {"float32": "F32", "int64": "I64", "float16": "F16"}[a.dtype.name],
                        "shape": list(a.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


put("SafetensorsFuzzTest", "two-tensors.safetensors",
    safetensors({"w": np.arange(6, dtype="<f4").reshape(2, 3), "ids": np.array([1, 2], "<i8")}, {"format": "pt"}))
put("SafetensorsFuzzTest", "f16.safetensors", safetensors({"h": np.ones(4, "<f2")}))

# --- HF config.json
bert = {"model_type": "bert", "vocab_size": 30, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
        "intermediate_size": 16, "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
        "hidden_act": "gelu", "pad_token_id": 0}
put("HfConfigFuzzTest", "bert.json", json.dumps(bert))
put("HfConfigFuzzTest", "roberta.json", json.dumps(dict(bert, model_type="roberta", pad_token_id=1)))
swin = {"model_type": "swin", "image_size": 32, "patch_size": 4, "num_channels": 3, "embed_dim": 8,
        "depths": [1, 1], "num_heads": [1, 2], "window_size": 4, "mlp_ratio": 2.0, "layer_norm_eps": 1e-5}
put("HfConfigFuzzTest", "swin.json", json.dumps(swin))


# --- ONNX ModelProto, hand-encoded (protobuf wire format: key = field << 3 | wire type)
def varint(v):
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def fld(n, payload):  # length-delimited
    payload = payload.encode() if isinstance(payload, str) else payload
    return varint(n << 3 | 2) + varint(len(payload)) + payload


def vfld(n, v):
    return varint(n << 3) + varint(v)


def tensor(name, dims, dtype, raw=None, floats=None, ints=None):
    t = fld(1, b"".join(varint(d) for d in dims)) + vfld(2, dtype) + fld(8, name)
    if raw is not None:
        t += fld(9, raw)
    if floats is not None:
        t += fld(4, struct.pack("<%df" % len(floats), *floats))
    if ints is not None:
        t += fld(7, b"".join(varint(i) for i in ints))
    return t


node = fld(1, "x") + fld(1, "w") + fld(2, "y") + fld(3, "matmul") + fld(4, "MatMul")
const = fld(2, "c") + fld(4, "Constant") + fld(5, fld(1, "value") + fld(5, tensor("c", [2], 1, floats=[1.0, 2.0])))
graph = (fld(1, node) + fld(1, const) + fld(2, "g")
         + fld(5, tensor("w", [2, 2], 1, raw=np.arange(4, dtype="<f4").tobytes()))
         + fld(5, tensor("b", [2], 1, floats=[0.5, -0.5]))
         + fld(5, tensor("ids", [3], 7, ints=[1, 2, 3])))
put("OnnxFuzzTest", "matmul.onnx", vfld(1, 8) + fld(7, graph))

# --- tokenizer.json: WordPiece (BERT) and byte-level BPE (RoBERTa)
vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "cat", "##s", "sat", "."])}
wordpiece = {
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True} for t, i in vocab.items() if t.startswith("[")],
    "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                   "strip_accents": None, "lowercase": True},
    "pre_tokenizer": {"type": "BertPreTokenizer"},
    "post_processor": {"type": "TemplateProcessing",
                       "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                  {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                       "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                                {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                       "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                                          "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
    "decoder": None,
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
              "max_input_chars_per_word": 100, "vocab": vocab}}
put("TokenizerFuzzTest", "wordpiece.json", json.dumps(wordpiece))
bpe_vocab = {t: i for i, t in enumerate(["<s>", "</s>", "<pad>", "<unk>", "c", "a", "t", "Ġ", "ca", "cat", "Ġcat"])}
bpe = {
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": bpe_vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True} for t in ["<s>", "</s>", "<pad>", "<unk>"]],
    "normalizer": None,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
    "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 1], "cls": ["<s>", 0], "trim_offsets": True,
                       "add_prefix_space": True},
    "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
              "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
              "vocab": bpe_vocab, "merges": ["c a", "ca t", "Ġ cat"]}}
put("TokenizerFuzzTest", "bpe.json", json.dumps(bpe))

# --- delimited text: CSV with header (tabular), UCR TSV (label first, no header)
put("CsvFuzzTest", "tabular.csv", "age,colour,weight,label\n31,red,70.5,yes\n?,blue,61,no\n45,red,NA,yes\n29,green,80.25,no\n")
put("CsvFuzzTest", "quoted.csv", 'a,b,label\n"1,5",2,x\n3,"4",y\n')
put("UcrFuzzTest", "two-classes.tsv", "1\t0.1\t0.2\t0.3\n-1\t1.5\t-2.0\t0.0\n1\t0.4\t0.5\t0.6\n-1\t2.5\t1e-3\tNaN\n")

# --- ARFF
put("ArffFuzzTest", "mixed.arff", """% comment
@relation toy
@attribute age numeric
@attribute 'colour name' {red,green,'dark blue'}
@attribute when date "yyyy-MM-dd"
@attribute note string
@attribute class {a,b}
@data
31,red,2020-01-02,'hello world',a
?,'dark blue',?,x,b
{0 5, 4 b}
""")

# --- CoNLL (token TAB tag) and CoNLL-U (10 columns)
put("ConllFuzzTest", "ner.conll", "-DOCSTART-\tO\n\nJohn\tB-person\nlives\tO\nin\tO\nParis\tB-location\n\nHi\tO\n")
put("ConllFuzzTest", "ud.conllu", "# sent_id = 1\n# text = The cat sat.\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n2\tcat\tcat\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3-4\tsat.\t_\t_\t_\t_\t_\t_\t_\t_\n3\tsat\tsit\tVERB\tVBD\t_\t0\troot\t_\t_\n4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "4.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n\n")


# --- image zip: class folders of PNGs (a minimal RGB PNG writer: IHDR, one IDAT, IEND)
def png(w, h, rgb):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


z = io.BytesIO()
with zipfile.ZipFile(z, "w") as f:
    f.writestr("cat/0.png", png(4, 4, [200, 10, 10]))
    f.writestr("dog/0.png", png(4, 4, [10, 10, 200]))
    f.writestr("dog/1.png", png(4, 4, [10, 200, 10]))
# ImageZipFuzzTest: first byte selects the mode (0: the bytes are the zip; 1: the bytes are one PNG inside a valid zip)
put("ImageZipFuzzTest", "zip-three-pngs", b"\x00" + z.getvalue())
put("ImageZipFuzzTest", "png-4x4", b"\x01" + png(4, 4, [1, 2, 3]))
# AllParsersFuzzer (the CI entry point): every seed above behind its parser's selector byte, the index of the parser
# in AllParsersFuzzer.TARGETS.
TARGETS = ["NpyFuzzTest", "NpzFuzzTest", "SafetensorsFuzzTest", "HfConfigFuzzTest", "OnnxFuzzTest", "TokenizerFuzzTest",
           "CsvFuzzTest", "UcrFuzzTest", "ArffFuzzTest", "ConllFuzzTest", "ImageZipFuzzTest"]
for selector, test in enumerate(TARGETS):
    d = os.path.join(ROOT, test + "Inputs", "fuzz")
    for name in sorted(os.listdir(d)):
        if not name.startswith("crash-"):
            with open(os.path.join(d, name), "rb") as f:
                put("AllParsersFuzzer", "%02d-%s-%s" % (selector, test[:-8].lower(), name), bytes([selector]) + f.read())
print("seeds written under", ROOT)
