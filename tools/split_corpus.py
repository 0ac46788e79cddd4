"""Split one writer's register file into the training part and the frozen honest part, by scene.

    python tools/split_corpus.py REGISTER

reads `tests/data/corpus/incoming/REGISTER.yaml` and writes
`tests/data/corpus/train/REGISTER.yaml` and `tests/data/corpus/honest/REGISTER.yaml`, then deletes
the incoming file (`--check REGISTER` only checks it). A scene is the run of items after a `# scene: ...` comment; whole scenes go to one
side, so paraphrases of one situation never sit on both sides. One scene in five (by a hash of the
register and the scene's title, so the split never depends on who runs it) is honest.

The honest files are never read by anyone who changes the detector: only their figure is.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"
HONEST_ONE_IN = 5
SCENE = re.compile(r"^#\s*scene:\s*(.+)$")


def scenes(lines: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The header comment lines, then (title, lines) for each scene in order."""
    header: list[str] = []
    found: list[tuple[str, list[str]]] = []
    for line in lines:
        match = SCENE.match(line.strip())
        if match:
            found.append((match.group(1).strip(), [line]))
        elif found:
            found[-1][1].append(line)
        else:
            header.append(line)
    return header, found


def is_honest(register: str, title: str, index: int) -> bool:
    """Whether a scene belongs to the frozen honest split."""
    digest = hashlib.sha256(f"{register}\0{index}\0{title}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % HONEST_ONE_IN == 0


def problems_in(text: str) -> list[str]:
    """What is wrong with a register file: YAML, item shape, unknown ids, silence with other labels."""
    import yaml

    sys.path.insert(0, str(CORPUS.parents[2]))
    from simulator.catalogue import REPLY_IDS

    try:
        items = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return [f"not valid YAML: {error}"]
    if not isinstance(items, list):
        return ["expected a list of {text, labels} items"]
    found = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or set(item) != {"text", "labels"}:
            found.append(f"item {number}: needs exactly 'text' and 'labels'")
            continue
        if not isinstance(item["text"], str) and item["text"] is not None:
            found.append(f"item {number}: 'text' must be a string")
        labels = item["labels"]
        if not isinstance(labels, list):
            found.append(f"item {number}: 'labels' must be a list")
            continue
        found += [f"item {number}: unknown id '{label}'" for label in labels if label not in REPLY_IDS]
        if "stays_silent" in labels and len(labels) > 1:
            found.append(f"item {number}: stays_silent takes no other label")
    return found


def main(register: str) -> int:
    source = CORPUS / "incoming" / f"{register}.yaml"
    text = source.read_text(encoding="utf-8")
    wrong = problems_in(text)
    if wrong:
        print("\n".join(f"{source}: {w}" for w in wrong[:50]), file=sys.stderr)
        return 1
    lines = text.splitlines(keepends=True)
    header, found = scenes(lines)
    if len(found) < 10:
        print(f"{source}: only {len(found)} '# scene:' comments; write scenes of a few items each", file=sys.stderr)
        return 1
    parts: dict[str, list[str]] = {"train": list(header), "honest": list(header)}
    counts = {"train": 0, "honest": 0}
    for index, (title, body) in enumerate(found):
        side = "honest" if is_honest(register, title, index) else "train"
        parts[side].extend(body)
        counts[side] += sum(1 for line in body if line.lstrip().startswith("- text:"))
    for side, body in parts.items():
        target = CORPUS / side / f"{register}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(body), encoding="utf-8")
    source.unlink()
    print(f"{register}: {counts['train']} train items, {counts['honest']} honest items")
    return 0


def check(register: str) -> int:
    """Only check an incoming file, without splitting it."""
    source = CORPUS / "incoming" / f"{register}.yaml"
    wrong = problems_in(source.read_text(encoding="utf-8"))
    print("\n".join(f"{source}: {w}" for w in wrong[:50]) or f"{source}: ok")
    return 1 if wrong else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        sys.exit(check(sys.argv[2]))
    sys.exit(main(sys.argv[1]) if len(sys.argv) == 2 else 2)
