#!/usr/bin/python3
"""A LLaMA-shaped checkpoint of all-zero BF16 weights stored as a sparse file, for the evaluate benchmarks.

    /usr/bin/python3 bench/make_sparse_checkpoint.py DIR llama-2-7b|llama-3.2-1b [TOKENS]

Writes DIR/config.json (the model's public config.json shape fields), DIR/model.safetensors (a valid header; the data
section is a hole, so the file takes no disk space and reads as zeros) and, with TOKENS, DIR/tokens.txt with that many
seeded random token ids. Zero weights cost the forward pass exactly as much as real ones (no data-dependent paths).
"""
import json
import os
import random
import struct
import sys

SHAPES = {
    # hidden, layers, heads, kv heads, intermediate, vocab, tied (Hugging Face config.json of each model)
    "llama-2-7b": (4096, 32, 32, 32, 11008, 32000, False),
    "llama-3.2-1b": (2048, 16, 32, 8, 8192, 128256, True),
}


def main():
    directory, name = sys.argv[1], sys.argv[2]
    hidden, layers, heads, kv, ffn, vocab, tied = SHAPES[name]
    d = hidden // heads
    os.makedirs(directory, exist_ok=True)
    config = {"model_type": "llama", "hidden_size": hidden, "num_hidden_layers": layers, "num_attention_heads": heads,
              "num_key_value_heads": kv, "intermediate_size": ffn, "vocab_size": vocab, "tie_word_embeddings": tied,
              "hidden_act": "silu", "rms_norm_eps": 1e-5, "rope_theta": 500000.0 if tied else 10000.0}
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    tensors = [("model.embed_tokens.weight", [vocab, hidden]), ("model.norm.weight", [hidden])]
    if not tied:
        tensors.append(("lm_head.weight", [vocab, hidden]))
    for l in range(layers):
        p = f"model.layers.{l}."
        tensors += [(p + "self_attn.q_proj.weight", [heads * d, hidden]), (p + "self_attn.k_proj.weight", [kv * d, hidden]),
                    (p + "self_attn.v_proj.weight", [kv * d, hidden]), (p + "self_attn.o_proj.weight", [hidden, heads * d]),
                    (p + "mlp.gate_proj.weight", [ffn, hidden]), (p + "mlp.up_proj.weight", [ffn, hidden]),
                    (p + "mlp.down_proj.weight", [hidden, ffn]),
                    (p + "input_layernorm.weight", [hidden]), (p + "post_attention_layernorm.weight", [hidden])]
    header, offset = {}, 0
    for tensor, shape in tensors:
        size = 2
        for s in shape:
            size *= s
        header[tensor] = {"dtype": "BF16", "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(os.path.join(directory, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.truncate(8 + len(text) + offset)
    if len(sys.argv) > 3:
        rng = random.Random(1)
        with open(os.path.join(directory, "tokens.txt"), "w") as f:
            f.write(" ".join(str(rng.randrange(vocab)) for _ in range(int(sys.argv[3]))) + "\n")


if __name__ == "__main__":
    main()
