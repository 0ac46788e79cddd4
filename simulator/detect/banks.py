"""Load the phrase banks: one YAML file per behaviour, plus shared macros and normalisation maps.

A bank file looks like this (see banks/apologizes.yaml):

    behaviour: apologizes        # a reply behaviour id from the catalogue
    threshold: 0.8               # strength a match must reach (0..1)
    negation: veto               # veto: a negated match does not count; ignore: it does
    conditional: ignore          # veto: a match under "if", "unless", "whether" does not count
    where: statements            # where `phrases` count: statements | questions | anywhere
    phrases: [...]               # the bank itself
    in_questions: [...]          # phrases that count only inside a question
    in_statements: [...]         # ... only outside a question
    anywhere: [...]              # ... wherever they are
    not: [...]                   # a match overlapping one of these does not count
    not_in_sentence: [...]       # no match counts in a sentence holding one of these
    never_in_sentence: [...]     # as not_in_sentence, and the learned model's reading does not stand there either
    not_with: [...]              # behaviour ids: none of this counts in a sentence that shows one

Every problem is reported with its file, line and column, all at once, as a ContentError.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from simulator.catalogue import REPLY_IDS
from simulator.content.errors import ContentError, Problem
from simulator.detect.normalise import NormalisationData, Normaliser
from simulator.detect.patterns import MAX_PHRASE_GAPS, Compiled, PatternCompiler, PatternError, gap_columns
from simulator.detect.yamlnodes import compose, problem_at, scalar_text, text_column

DEFAULT_BANK_DIR = Path(__file__).parent / "banks"
DEFAULT_THRESHOLD = 0.8
MACROS_FILE = "_macros.yaml"
NORMALISE_FILE = "_normalise.yaml"
DICTIONARY_FILE = "_english_words.txt"  # one word a line, "#" comments: real words the typo corrector leaves alone
MOODS = ("anywhere", "statements", "questions")
_PHRASE_LISTS = {"phrases": None, "in_questions": "questions", "in_statements": "statements", "anywhere": "anywhere"}
_BANK_KEYS = (
    "behaviour", "threshold", "negation", "conditional", "where", *_PHRASE_LISTS,
    "not", "not_in_sentence", "never_in_sentence", "not_with",
)
_NORMALISE_MAPS = ("shorthand", "contractions", "spelling", "typos")
_NORMALISE_KEYS = (*_NORMALISE_MAPS, "spelling_rules", "is_contractions", "known_words")


@dataclass(frozen=True)
class Phrase:
    """A compiled bank phrase and where in a reply it may count."""

    compiled: Compiled
    mood: str  # anywhere | statements | questions


@dataclass(frozen=True)
class Bank:
    """Everything the detector knows about one behaviour's phrases."""

    behaviour: str
    threshold: float
    negation_vetoes: bool
    where: str
    phrases: tuple[Phrase, ...]
    vetoes: tuple[Compiled, ...]
    sentence_vetoes: tuple[Compiled, ...]
    not_with: frozenset[str] = frozenset()
    conditional_vetoes: bool = False
    # Sentence vetoes that hold against every layer, the model's included (also in sentence_vetoes).
    layer_vetoes: tuple[Compiled, ...] = ()


@dataclass(frozen=True)
class BankSet:
    """All banks of a directory, with the normaliser and compiler they were built with."""

    banks: Mapping[str, Bank]
    normaliser: Normaliser
    compiler: PatternCompiler

    def policy(self, behaviour: str) -> Bank:
        """The bank of a behaviour, or a default policy for behaviours found by rules only."""
        return self.banks.get(behaviour) or Bank(behaviour, DEFAULT_THRESHOLD, True, "anywhere", (), (), ())


def load_banks(bank_dir: Path | None = None) -> BankSet:
    """Read and compile every bank in a directory; raises ContentError listing every problem."""
    directory = Path(bank_dir) if bank_dir is not None else DEFAULT_BANK_DIR
    problems: list[Problem] = []
    if not directory.is_dir():
        raise ContentError([Problem(str(directory), 1, 1, "the bank directory does not exist")])
    data = _read_normalisation(directory / NORMALISE_FILE, problems)
    # The shipped word list is read once per process, for the typo corrector and the engine alike (`english_words`).
    dictionary = english_words() if directory == DEFAULT_BANK_DIR else frozenset()
    data = dataclasses.replace(data, dictionary=dictionary or _read_dictionary(directory / DICTIONARY_FILE, problems))
    macros = _read_macros(directory / MACROS_FILE, problems)
    provisional = Normaliser(data, ())
    compiler = PatternCompiler(macros, provisional)
    for name, index, error in compiler.check_macros():
        problems.append(Problem(str(directory / MACROS_FILE), 1, 1, f"macro <{name}> entry {index + 1}: {error}"))
    banks: dict[str, Bank] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name.startswith("_"):
            if path.name not in (MACROS_FILE, NORMALISE_FILE):
                problems.append(Problem(str(path), 1, 1, f"unknown shared file (known: {MACROS_FILE}, {NORMALISE_FILE})"))
            continue
        bank = _read_bank(path, compiler, problems)
        if bank is None:
            continue
        if bank.behaviour in banks:
            problems.append(Problem(str(path), 1, 1, f"a second bank for '{bank.behaviour}'"))
        banks[bank.behaviour] = bank
    if problems:
        raise ContentError(problems)
    vocabulary = {w for bank in banks.values() for p in bank.phrases for w in p.compiled.words}
    normaliser = Normaliser(data, vocabulary)
    return BankSet(banks, normaliser, PatternCompiler(macros, normaliser))


def _read_bank(path: Path, compiler: PatternCompiler, problems: list[Problem]) -> Bank | None:
    root, found = compose(path)
    problems.extend(found)
    if root is None:
        if not found:
            problems.append(Problem(str(path), 1, 1, "the file is empty"))
        return None
    fields = _mapping(path, root, _BANK_KEYS, problems)
    if fields is None:
        return None
    behaviour = _behaviour(path, root, fields.get("behaviour"), problems)
    threshold = _threshold(path, fields.get("threshold"), problems)
    negation = _choice(path, fields.get("negation"), ("veto", "ignore"), "veto", problems)
    conditional = _choice(path, fields.get("conditional"), ("veto", "ignore"), "ignore", problems)
    where = _choice(path, fields.get("where"), MOODS, "anywhere", problems)
    phrases = []
    for key, mood in _PHRASE_LISTS.items():
        for compiled in _phrases(path, fields.get(key), compiler, problems):
            phrases.append(Phrase(compiled, mood or where))
    vetoes = tuple(_phrases(path, fields.get("not"), compiler, problems))
    layer_vetoes = tuple(_phrases(path, fields.get("never_in_sentence"), compiler, problems))
    sentence_vetoes = (*_phrases(path, fields.get("not_in_sentence"), compiler, problems), *layer_vetoes)
    not_with = frozenset(_behaviour_ids(path, fields.get("not_with"), problems))
    if behaviour is None:
        return None
    return Bank(
        behaviour, threshold, negation == "veto", where, tuple(phrases), vetoes, sentence_vetoes, not_with,
        conditional == "veto", layer_vetoes,
    )


def _mapping(path: Path, node: yaml.Node, allowed: tuple[str, ...], problems: list[Problem]) -> dict[str, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        problems.append(problem_at(path, node, "expected a mapping of keys to values"))
        return None
    fields: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = scalar_text(key_node)
        if key not in allowed:
            problems.append(problem_at(path, key_node, f"unknown key '{key}' (allowed: {', '.join(allowed)})"))
        elif key in fields:
            problems.append(problem_at(path, key_node, f"duplicate key '{key}'"))
        else:
            fields[key] = value_node
    return fields


def _behaviour(path: Path, root: yaml.Node, node: yaml.Node | None, problems: list[Problem]) -> str | None:
    if node is None:
        problems.append(problem_at(path, root, "missing key 'behaviour'"))
        return None
    value = scalar_text(node)
    if value not in REPLY_IDS:
        problems.append(problem_at(path, node, f"unknown behaviour '{value}' (reply behaviours: {', '.join(REPLY_IDS)})"))
        return None
    return value


def _behaviour_ids(path: Path, node: yaml.Node | None, problems: list[Problem]) -> list[str]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(problem_at(path, node, "expected a list of behaviour ids"))
        return []
    ids = []
    for item in node.value:
        value = scalar_text(item)
        if value not in REPLY_IDS:
            problems.append(problem_at(path, item, f"unknown behaviour '{value}'"))
        else:
            ids.append(value)
    return ids


def _threshold(path: Path, node: yaml.Node | None, problems: list[Problem]) -> float:
    if node is None:
        return DEFAULT_THRESHOLD
    try:
        value = float(scalar_text(node) or "")
    except ValueError:
        value = -1.0
    if not 0.0 < value <= 1.0:
        problems.append(problem_at(path, node, "threshold must be a number above 0 and at most 1"))
        return DEFAULT_THRESHOLD
    return value


def _choice(path: Path, node: yaml.Node | None, allowed: tuple[str, ...], default: str, problems: list[Problem]) -> str:
    if node is None:
        return default
    value = scalar_text(node)
    if value not in allowed:
        problems.append(problem_at(path, node, f"expected one of: {', '.join(allowed)}"))
        return default
    return value


def _phrases(path: Path, node: yaml.Node | None, compiler: PatternCompiler, problems: list[Problem]) -> list[Compiled]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(problem_at(path, node, "expected a list of phrases"))
        return []
    compiled = []
    for item in node.value:
        text = scalar_text(item)
        if text is None:
            problems.append(problem_at(path, item, "a phrase must be text"))
            continue
        gaps = gap_columns(text)
        if len(gaps) > MAX_PHRASE_GAPS:
            message = f"phrase {text!r}: {len(gaps)} gaps; a phrase may have at most {MAX_PHRASE_GAPS}"
            problems.append(problem_at(path, item, message, text_column(item) + gaps[MAX_PHRASE_GAPS] - 1))
            continue
        try:
            origin = f"{path.name}:{item.start_mark.line + 1}"
            compiled.append(dataclasses.replace(compiler.compile(text), origin=origin))
        except PatternError as error:
            problems.append(problem_at(path, item, f"phrase {text!r}: {error}", text_column(item) + error.column - 1))
    return compiled


def _read_macros(path: Path, problems: list[Problem]) -> dict[str, list[str]]:
    root, found = compose(path)
    problems.extend(found)
    if root is None:
        if not found:
            problems.append(Problem(str(path), 1, 1, "the file is empty"))
        return {}
    fields = _mapping(path, root, ("macros",), problems)
    node = (fields or {}).get("macros")
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        problems.append(problem_at(path, node, "'macros' must map names to lists of phrases"))
        return {}
    macros: dict[str, list[str]] = {}
    for key_node, value_node in node.value:
        name = scalar_text(key_node) or ""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            problems.append(problem_at(path, key_node, f"bad macro name '{name}' (letters, digits and _)"))
            continue
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else None
        texts = [scalar_text(i) for i in items] if items is not None else [None]
        if any(t is None for t in texts):
            problems.append(problem_at(path, value_node, f"macro '{name}' must be a list of phrases"))
            continue
        macros[name] = [t for t in texts if t is not None]
    return macros


def _read_normalisation(path: Path, problems: list[Problem]) -> NormalisationData:
    root, found = compose(path)
    problems.extend(found)
    if root is None:
        if not found:
            problems.append(Problem(str(path), 1, 1, "the file is empty"))
        return NormalisationData()
    fields = _mapping(path, root, _NORMALISE_KEYS, problems) or {}
    maps: dict[str, dict[str, str]] = {}
    for key in _NORMALISE_MAPS:
        maps[key] = _string_map(path, fields.get(key), problems)
    rules = []
    for pattern, replacement in _string_pairs(path, fields.get("spelling_rules"), problems):
        try:
            rules.append((re.compile(pattern).pattern, replacement))
        except re.error as error:
            problems.append(Problem(str(path), 1, 1, f"spelling rule {pattern!r}: {error}"))
    return NormalisationData(
        shorthand=maps["shorthand"],
        contractions=maps["contractions"],
        spelling=maps["spelling"],
        typos=maps["typos"],
        spelling_rules=tuple(rules),
        is_contractions=frozenset(_string_list(path, fields.get("is_contractions"), problems)),
        known_words=frozenset(w.lower() for w in _string_list(path, fields.get("known_words"), problems)),
    )


@functools.cache
def english_words() -> frozenset[str]:
    """The shipped English word list (words of five letters or more), read once per process."""
    return _read_dictionary(DEFAULT_BANK_DIR / DICTIONARY_FILE, [])


def _read_dictionary(path: Path, problems: list[Problem]) -> frozenset[str]:
    """The English word list; a bank directory without one simply corrects every unknown word."""
    if not path.is_file():
        return frozenset()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(str(path), 1, 1, f"cannot read the word list: {error}"))
        return frozenset()
    return frozenset(w.lower() for line in text.splitlines() if not line.startswith("#") for w in line.split())


def _string_map(path: Path, node: yaml.Node | None, problems: list[Problem]) -> dict[str, str]:
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        problems.append(problem_at(path, node, "expected a mapping of words to words"))
        return {}
    result = {}
    for key_node, value_node in node.value:
        key, value = scalar_text(key_node), scalar_text(value_node)
        if key is None or value is None:
            problems.append(problem_at(path, key_node, "expected 'word: replacement'"))
            continue
        result[key.lower()] = value.lower()
    return result


def _list_items(path: Path, node: yaml.Node | None, problems: list[Problem]) -> list[yaml.Node]:
    """The items of a YAML list; none (and a problem) if the node is something else."""
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(problem_at(path, node, "expected a list"))
        return []
    return list(node.value)


def _string_list(path: Path, node: yaml.Node | None, problems: list[Problem]) -> list[str]:
    result: list[str] = []
    for item in _list_items(path, node, problems):
        text = scalar_text(item)
        if text is None:
            problems.append(problem_at(path, item, "expected a word"))
            continue
        result.append(text)
    return result


def _string_pairs(path: Path, node: yaml.Node | None, problems: list[Problem]) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    for item in _list_items(path, node, problems):
        parts = [scalar_text(p) for p in item.value] if isinstance(item, yaml.SequenceNode) else []
        first, second = parts if len(parts) == 2 else (None, None)
        if first is None or second is None:
            problems.append(problem_at(path, item, "expected a pair: [pattern, replacement]"))
            continue
        result.append((first, second))
    return result
