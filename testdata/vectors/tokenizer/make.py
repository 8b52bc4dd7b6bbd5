"""Writes the tokenizer reference files with the real libraries (tokenizers 0.23.2, transformers 5.17.0).

Run from this folder: python make.py. Needs no network and no model: every tokenizer is built here.
"""
import json
import os
import shutil

from tokenizers import AddedToken, Tokenizer, models, normalizers, pre_tokenizers, processors, decoders

# A byte-level-free BPE over a few letters, with a non-ASCII token and a post-processor that names ids.
vocab = {"<unk>": 0, "<s>": 1, "</s>": 2, "a": 3, "b": 4, "c": 5, "é": 6, "ab": 7, "abc": 8, "bc": 9, "cé": 10}
merges = [("a", "b"), ("ab", "c"), ("b", "c"), ("c", "é")]
bpe = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>"))
bpe.normalizer = normalizers.NFC()
bpe.pre_tokenizer = pre_tokenizers.Whitespace()
bpe.post_processor = processors.TemplateProcessing(single="<s> $A </s>", special_tokens=[("<s>", 1), ("</s>", 2)])
bpe.decoder = decoders.BPEDecoder()
bpe.add_special_tokens([AddedToken("<s>", special=True, normalized=False), AddedToken("</s>", special=True, normalized=False),
                        AddedToken("<|im_start|>", special=True, normalized=False),
                        AddedToken("<|im_end|>", special=True, normalized=False, rstrip=True)])
bpe.add_tokens([AddedToken("<tool>", normalized=True)])
bpe.save("bpe.json")                    # pretty, as save_pretrained writes it
bpe.save("bpe-compact.json", pretty=False)

# The slow tokenizers' pair of files for the same model (the tokenizers library writes "#version: 0.2" first).
os.makedirs("vocab-merges", exist_ok=True)
bpe.model.save("vocab-merges")

uni = Tokenizer(models.Unigram([("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁a", -1.5), ("▁b", -12.345678901234567),
                                ("c", -1e-07), ("▁", -3.0), ("d", -123456789012345680.0)], unk_id=2, byte_fallback=False))
uni.pre_tokenizer = pre_tokenizers.Metaspace()
uni.add_special_tokens([AddedToken("<pad>", special=True), AddedToken("<extra_id_0>", special=True)])
uni.save("unigram.json")

# A tokenizer_config.json as transformers 4.x writes them (json.dumps(indent=2, sort_keys=True, ensure_ascii=False)
# and a newline), with the fields of a Llama-style tokenizer: added_tokens_decoder, a special token as an
# AddedToken object, a chat template with non-ASCII text, and transformers' "no limit" model_max_length.
config_v4 = {
    "add_bos_token": True,
    "added_tokens_decoder": {str(i): {"content": c, "lstrip": False, "normalized": False, "rstrip": False,
                                      "single_word": False, "special": True}
                             for i, c in [(0, "<unk>"), (1, "<s>"), (2, "</s>"), (11, "<|im_start|>")]},
    "additional_special_tokens": ["<|im_start|>"],
    "bos_token": "<s>",
    "chat_template": "{% for m in messages %}«{{ m['content'] }}»\n{% endfor %}",
    "clean_up_tokenization_spaces": False,
    "eos_token": {"__type": "AddedToken", "content": "</s>", "lstrip": False, "normalized": False, "rstrip": True,
                  "single_word": False},
    "legacy": False,
    "model_max_length": int(1e30),
    "pad_token": None,
    "sp_model_kwargs": {},
    "tokenizer_class": "LlamaTokenizer",
    "unk_token": "<unk>",
}
with open("tokenizer_config-v4.json", "w", encoding="utf-8") as f:
    f.write(json.dumps(config_v4, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
# The same after the edits Graft's tests make: a <pad> added as 14, two named chat templates.
config_v4["added_tokens_decoder"]["14"] = {"content": "<pad>", "lstrip": False, "normalized": False, "rstrip": False,
                                           "single_word": False, "special": True}
config_v4["chat_template"] = [{"name": "default", "template": "D"}, {"name": "tool_use", "template": "T"}]
with open("tokenizer_config-v4-changed.json", "w", encoding="utf-8") as f:
    f.write(json.dumps(config_v4, indent=2, sort_keys=True, ensure_ascii=False) + "\n")

# transformers' files for the BPE, with a chat template, a pad token that is not in the vocabulary and an
# additional special token.
from transformers import PreTrainedTokenizerFast

folder = "bpe-folder"
shutil.rmtree(folder, ignore_errors=True)
fast = PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_file("bpe.json"), bos_token="<s>", eos_token="</s>",
                               unk_token="<unk>", pad_token="<pad>", additional_special_tokens=["<|im_start|>", "<|im_end|>"],
                               model_max_length=2048)
fast.chat_template = "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
fast.save_pretrained(folder)
with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
    # What transformers loads back: its vocabulary (added tokens included) and a few encodings.
    again = PreTrainedTokenizerFast.from_pretrained(folder)
    samples = ["ab abc c", "<|im_start|>abc<|im_end|> cé", "bc <tool> a"]
    json.dump({"len": len(again), "vocab": again.get_vocab(),
               "encodings": {s: again(s, add_special_tokens=False)["input_ids"] for s in samples}},
              f, indent=2, sort_keys=True, ensure_ascii=False)
    f.write("\n")
