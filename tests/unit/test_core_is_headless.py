"""The core runs without the TUI: importing it must never pull in textual."""

import subprocess
import sys

CORE_MODULES = [
    "simulator.catalogue",
    "simulator.cli",
    "simulator.content.loader",
    "simulator.detect",
    "simulator.engine.call",
    "simulator.scoring.conversation",
    "simulator.scoring",
    "simulator.render.plain",
    "simulator.render.report",
]


def test_importing_the_core_and_replaying_a_call_never_imports_textual():
    code = (
        "import sys, " + ", ".join(CORE_MODULES) + "\n"
        "from simulator.cli import main\n"
        "import io, contextlib\n"
        "sys.stdin = io.StringIO('Dana, your order is late.\\n\\n')\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['replay', 'late-shipment', '--persona', 'calm', '--json'])\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if m.startswith('textual'))\n"
        "assert 'rich' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
