"""How long `badnews validate` takes to refuse hostile files (target: under 2 s each, exit 1).

Run: python benchmarks/bench_hostile.py. Prints one row per file: exit code, wall time of the
whole command (interpreter start included) and of the in-process load alone.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simulator.content.errors import ContentError
from simulator.content.loader import load_scenario

BOMB = b"a: &a [x,x,x,x,x,x,x,x,x]\n" + b"".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode() for i in range(8)
)
HOSTILE = {
    "not_yaml": b"title: [unclosed\n  - : :\n",
    "list_not_map": b"- title: x\n- difficulty: easy\n",
    "unknown_keys": b"title: T\ndifficulty: easy\nbrief: b\ntilte: oops\n",
    "python_tag": b"title: !!python/object/apply:os.system ['true']\n",
    "alias_bomb": BOMB,
    "duplicate_keys": b"title: A\ndifficulty: easy\ntitle: B\n",
    "invalid_utf8": b"title: caf\xe9\n",
    "binary": b"\x00\x01\x02\x03PK\x03\x04" * 20,
    "deep_nesting": b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "50_MB": b"title: x\n# " + b"x" * (50 * 1024 * 1024) + b"\n",
}


def main() -> None:
    """Write each hostile file, then time the CLI and the loader on it."""
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'file':<16}{'exit':>5}{'command s':>11}{'load ms':>10}")
        for name, content in HOSTILE.items():
            path = Path(folder) / f"{name}.yaml"
            path.write_bytes(content)
            started = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "simulator", "validate", str(path)], capture_output=True)
            command = time.perf_counter() - started
            started = time.perf_counter()
            with contextlib.suppress(ContentError):
                load_scenario(path)
            load = (time.perf_counter() - started) * 1000
            print(f"{name:<16}{result.returncode:>5}{command:>11.2f}{load:>10.1f}")


if __name__ == "__main__":
    main()
