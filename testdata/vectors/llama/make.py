"""Writes a tiny byte-level LlamaForCausalLM folder and the logits its forward pass gives, computed here in numpy
(float64) the way transformers' modeling_llama.py computes them: LlamaRMSNorm, rotate_half / apply_rotary_pos_emb
(half-split pairs), repeat_kv for grouped-query attention, the causal mask, LlamaMLP (down(silu(gate) * up)).

Run from this folder: python3 make.py. Needs numpy only; the safetensors file is written by hand (8-byte header
length, JSON header, raw little-endian data), as the format is specified.
"""
import json
import struct

import numpy as np

VOCAB, HIDDEN, INTER, LAYERS, HEADS, KV, POSITIONS, THETA, EPS = 259, 8, 12, 2, 2, 1, 16, 10000.0, 1e-5
HEAD = HIDDEN // HEADS
rng = np.random.default_rng(11)


def mat(rows, cols, sd):
    return (rng.standard_normal((rows, cols)) * sd).astype(np.float32)


def vec(n):
    return (1 + 0.3 * rng.standard_normal(n)).astype(np.float32)


tensors = {"model.embed_tokens.weight": mat(VOCAB, HIDDEN, 1.0)}
for i in range(LAYERS):
    p = f"model.layers.{i}."
    tensors[p + "input_layernorm.weight"] = vec(HIDDEN)
    tensors[p + "self_attn.q_proj.weight"] = mat(HEADS * HEAD, HIDDEN, 0.5)
    tensors[p + "self_attn.k_proj.weight"] = mat(KV * HEAD, HIDDEN, 0.5)
    tensors[p + "self_attn.v_proj.weight"] = mat(KV * HEAD, HIDDEN, 0.5)
    tensors[p + "self_attn.o_proj.weight"] = mat(HIDDEN, HEADS * HEAD, 0.5)
    tensors[p + "post_attention_layernorm.weight"] = vec(HIDDEN)
    tensors[p + "mlp.gate_proj.weight"] = mat(INTER, HIDDEN, 0.5)
    tensors[p + "mlp.up_proj.weight"] = mat(INTER, HIDDEN, 0.5)
    tensors[p + "mlp.down_proj.weight"] = mat(HIDDEN, INTER, 0.3)
tensors["model.norm.weight"] = vec(HIDDEN)
tensors["lm_head.weight"] = mat(VOCAB, HIDDEN, 0.4)


def write_safetensors(path):
    header = {"__metadata__": {"format": "pt"}}
    offset = 0
    names = sorted(tensors)
    for n in names:
        size = tensors[n].nbytes
        header[n] = {"dtype": "F32", "shape": list(tensors[n].shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for n in names:
            f.write(tensors[n].astype("<f4").tobytes())


def rms_norm(x, w):
    return w * (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + EPS))


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def forward(tokens):
    w = {k: v.astype(np.float64) for k, v in tensors.items()}
    t = len(tokens)
    x = w["model.embed_tokens.weight"][tokens]
    inv_freq = 1.0 / (THETA ** (np.arange(0, HEAD, 2, dtype=np.float64) / HEAD))
    freqs = np.outer(np.arange(t, dtype=np.float64), inv_freq)
    emb = np.concatenate([freqs, freqs], axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)
    mask = np.triu(np.full((t, t), -np.inf), 1)
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        a = rms_norm(x, w[p + "input_layernorm.weight"])
        q = (a @ w[p + "self_attn.q_proj.weight"].T).reshape(t, HEADS, HEAD).transpose(1, 0, 2)
        k = (a @ w[p + "self_attn.k_proj.weight"].T).reshape(t, KV, HEAD).transpose(1, 0, 2)
        v = (a @ w[p + "self_attn.v_proj.weight"].T).reshape(t, KV, HEAD).transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = np.repeat(k, HEADS // KV, axis=0)  # repeat_kv: kv head j serves query heads j*n_rep .. j*n_rep+n_rep-1
        v = np.repeat(v, HEADS // KV, axis=0)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(HEAD) + mask
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        o = (probs @ v).transpose(1, 0, 2).reshape(t, HEADS * HEAD)
        x = x + o @ w[p + "self_attn.o_proj.weight"].T
        b = rms_norm(x, w[p + "post_attention_layernorm.weight"])
        gate = b @ w[p + "mlp.gate_proj.weight"].T
        up = b @ w[p + "mlp.up_proj.weight"].T
        x = x + ((gate / (1 + np.exp(-gate))) * up) @ w[p + "mlp.down_proj.weight"].T
    return rms_norm(x, w["model.norm.weight"]) @ w["lm_head.weight"].T


config = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": HIDDEN, "intermediate_size": INTER,
    "num_hidden_layers": LAYERS, "num_attention_heads": HEADS, "num_key_value_heads": KV, "head_dim": HEAD,
    "hidden_act": "silu", "rms_norm_eps": EPS, "rope_theta": THETA, "rope_scaling": None,
    "max_position_embeddings": POSITIONS, "vocab_size": VOCAB, "tie_word_embeddings": False,
    "attention_bias": False, "mlp_bias": False, "torch_dtype": "float32", "bos_token_id": 256, "eos_token_id": 257,
}
import os
os.makedirs("tiny", exist_ok=True)
with open("tiny/config.json", "w") as f:
    json.dump(config, f, indent=2, sort_keys=True)
    f.write("\n")
write_safetensors("tiny/model.safetensors")
tokens = [256] + list(b"bin 5 is")
logits = forward(np.array(tokens))
with open("expected.json", "w") as f:
    json.dump({"tokens": tokens, "logits": [[float(z) for z in row] for row in logits]}, f)
    f.write("\n")
