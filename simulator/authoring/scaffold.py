"""`badnews new`: a commented scenario or persona file to start from, which validates as written."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

KINDS = ("scenario", "persona")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # the models' id pattern: the file stem is the id


class ScaffoldError(Exception):
    """The file cannot be written: a bad name, or a file already there."""


def template_text(kind: str, name: str) -> str:
    """The template of a kind with its name filled in."""
    text = resources.files("simulator.authoring").joinpath("templates", f"{kind}.yaml").read_text(encoding="utf-8")
    return text.replace("__NAME__", name).replace("__TITLE__", title_of(name))


# Abbreviations a trainer is likely to put in a file name, written in capitals in the title.
ABBREVIATIONS = frozenset({
    "b2b", "ceo", "cfo", "cio", "coo", "cto", "crm", "erp", "evp", "hr", "it", "ops", "pm", "po", "qa", "rfp",
    "saas", "sla", "svp", "vp",
})


def title_of(name: str) -> str:
    """A file name as a title, in sentence case: 'sceptical-cio' -> 'Sceptical CIO', 'late-invoice' -> 'Late invoice'."""
    words = [w.upper() if w.lower() in ABBREVIATIONS else w.lower() for w in name.replace("_", "-").split("-") if w]
    if words and not words[0].isupper():
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def target_path(name: str, output: Path | None) -> Path:
    """Where `new` writes: NAME.yaml in the current folder, in the folder given, or the file given."""
    if output is None:
        return Path(f"{name}.yaml")
    if output.is_dir():
        return output / f"{name}.yaml"
    return output


def write_template(kind: str, name: str, output: Path | None = None) -> Path:
    """Write a new file from the template; never overwrites. Returns the path written."""
    if kind not in KINDS:
        raise ScaffoldError(f"can make a {' or a '.join(KINDS)}, not a '{kind}'")
    if not NAME_PATTERN.match(name):
        raise ScaffoldError(
            f"'{name}' cannot be an id: use lower-case letters, digits, '-' and '_' (e.g. late-invoice)"
        )
    path = target_path(name, output)
    if path.suffix not in (".yaml", ".yml"):
        raise ScaffoldError(f"{path}: the file name must end in .yaml")
    if not NAME_PATTERN.match(path.stem):
        raise ScaffoldError(f"{path}: the file name is the {kind}'s id, so it must be like late-invoice.yaml")
    if not path.parent.is_dir():
        raise ScaffoldError(f"{path.parent}: no such folder")
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
            handle.write(template_text(kind, path.stem))
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; not overwriting it") from None
    except OSError as error:
        raise ScaffoldError(f"{path}: {error.strerror}") from None
    return path
