"""Registering the trainer commands costs `badnews` nothing at start-up: their handlers import what they use."""

from __future__ import annotations

import subprocess
import sys


def test_building_the_parser_imports_none_of_the_trainer_tools_or_heavy_libraries():
    code = (
        "import sys\n"
        "from simulator.cli import build_parser\n"
        "build_parser().parse_args(['test'])\n"
        "heavy = [m for m in sys.modules if m.startswith(('pydantic', 'transitions', 'rapidfuzz', 'yaml',"
        " 'simulator.authoring.', 'simulator.detect', 'simulator.engine'))"
        " and m != 'simulator.authoring.commands']\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
