"""The content we ship is the example trainers copy: it must pass `validate --strict` with no warning."""

from simulator.cli import main
from simulator.paths import bundled_dir


def test_bundled_scenarios_and_personas_pass_strict_validation(capsys):
    code = main(["validate", "--strict", str(bundled_dir("scenarios")), str(bundled_dir("personas"))])
    out, err = capsys.readouterr()
    assert code == 0, out
    assert "warning" not in out and "0 warning(s)" in err
