"""A tiny random-weight llama GGUF, built at test time: fast grammar fuzzing through llama.cpp.

2 layers, dim 64, 4 heads, ffn 128, F32; a byte-level "llama" (SentencePiece) vocabulary of
<unk>, <s>, </s>, the 256 byte tokens, "▁" and printable ASCII. Random weights under a
grammar are good at one thing: producing well-formed nonsense.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def build_tiny_gguf(path: Path, seed: int = 0) -> Path:
    import gguf

    rng = np.random.default_rng(seed)
    dim, ffn, heads, layers = 64, 128, 4, 2
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)] + ["▁"]
    tokens += [chr(c) for c in range(33, 127)]
    types = [2, 3, 3] + [6] * 256 + [1] * (len(tokens) - 259)  # unknown, control, byte, normal
    scores = [0.0] * len(tokens)
    n_vocab = len(tokens)

    w = gguf.GGUFWriter(str(path), "llama")
    w.add_context_length(2048)
    w.add_embedding_length(dim)
    w.add_block_count(layers)
    w.add_feed_forward_length(ffn)
    w.add_head_count(heads)
    w.add_head_count_kv(heads)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(dim // heads)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)

    def t(name: str, *shape: int) -> None:
        w.add_tensor(name, (rng.standard_normal(shape) * 0.5).astype(np.float32))

    t("token_embd.weight", n_vocab, dim)
    w.add_tensor("output_norm.weight", np.ones(dim, dtype=np.float32))
    t("output.weight", n_vocab, dim)
    for i in range(layers):
        w.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(dim, dtype=np.float32))
        w.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(dim, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            t(f"blk.{i}.{name}.weight", dim, dim)
        t(f"blk.{i}.ffn_gate.weight", ffn, dim)
        t(f"blk.{i}.ffn_up.weight", ffn, dim)
        t(f"blk.{i}.ffn_down.weight", dim, ffn)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path
