"""The reply-behaviour detector: a reply in, every behaviour it shows out, each with its evidence.

Pipeline: cap the text (MAX_REPLY_CHARS) -> sanitise (terminal noise blanked, offsets kept) ->
silence rule -> sentences and clauses of normalised words -> for each bank or scenario phrase whose
rarest word is present, a regex match (or a rapidfuzz match for long plain phrases) -> drop matches
that are negated inside their clause, in the wrong mood (a question where a statement is
needed), or overlapped by one of the bank's "not" phrases -> the specifics rule -> evidence,
one per behaviour per clause, the strongest kept.

A scenario's phrases are a trainer's text: each reply gives them MATCH_STEP_BUDGET steps of
matching between them (each phrase's cost is known before it runs), and phrases left when it is
spent are not tried; the reply is still judged by everything else, and the detection says how
many were left (`phrases_not_tried`).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import ScoreAlignment

from simulator.catalogue import BY_ID, REPLY_IDS
from simulator.detect.banks import Bank, BankSet, Phrase, load_banks
from simulator.detect.clauses import Analysis, Sentence, analyse
from simulator.detect.facts import RESTATED_SHARE, SCENARIO_FACT, like_examples_by_words, restated, restated_span
from simulator.detect.normalise import ExtraWords, sanitise
from simulator.detect.patterns import SCENARIO_REGEX_GAP_WAYS, Compiled, PatternCompiler, PatternError, PhraseMatch
from simulator.detect.results import Detection, Evidence, ReplyContext
from simulator.detect.shapes import SHAPE_RULES, ShapeRule, marked_text
from simulator.detect.silence import silence_span
from simulator.detect.specifics import NOT_FACTS_IN_QUESTIONS, NOT_FACTS_WITH, find_specifics
from simulator.text import MAX_REPLY_CHARS

if TYPE_CHECKING:
    import numpy as np

    from simulator.detect.learned.judge import Judge

# Replies are a few sentences; a pasted essay is judged on its opening only, to keep detection fast.
NEGATION_WINDOW = 6  # words looked back from a match, within its clause
GAP_WORD_COST = 0.02  # each word a gap swallowed weakens the match a little ...
MAX_GAP_COST = 0.1  # ... but a long gap the phrase asked for ("~~") is not a weak match
FUZZY_SCORE_CUTOFF = 88.0  # rapidfuzz partial_ratio a long plain phrase must reach
# A fuzzy match must cover nearly the whole phrase: "The quote." is not "the quote was wrong".
FUZZY_MIN_COVERAGE = 0.85
# ... and keep each of its words this long, each at least this alike (one slip in a word of four letters is 75).
CONTENT_WORD_LETTERS = 4
CONTENT_WORD_SIMILARITY = 75
RULE_STRENGTH = 1.0
CONTEXT_CACHE_SIZE = 128
# Steps of matching a reply's scenario phrases may take between them: some thousand times what a
# scenario's phrases take on an ordinary reply, and well under a second of work.
MATCH_STEP_BUDGET = 2_000_000
# The learned model learned from lines of 15 words (median; 95% under 28). A reply of LONG_REPLY_WORDS or more is also
# read in pieces of whole clauses, up to PIECE_WORDS each where its clauses allow, for the behaviours one clause says.
LONG_REPLY_WORDS = 35
PIECE_WORDS = 20
# Nor does a reply this short tell the model enough to charge a penalty on its own reading: "no it doesn't" to "Does
# the fix change the API?" was read as dismissing her feelings, and "can't promise that" as overpromising (a
# play-tester, 2026-12-03). A phrase bank or a rule still finds a short one ("calm down", "not my problem").
SHORT_REPLY_WORDS = 5
# Only good behaviours: a penalty stands on the whole reply's reading. A piece loses what surrounds it ("I can't
# honestly promise you the 12th" read as a promise, "That's a fair worry." as telling her how to feel), and a false
# penalty costs a trainee more than a missed one.
READ_IN_PIECES = frozenset({
    "apologizes", "asks_forgiveness", "acknowledges_impact", "asks_about_impact", "compensates", "prevents_recurrence",
    "helps_position_news", "keeps_informed", "explains_cause", "owns_it",
})
MAX_SHOWN_PHRASE = 48  # longer patterns are shown as the words they matched plus file:line
NEGATION_WORDS = frozenset(
    "not no never nobody nothing none neither nor without hardly refuse refuses refused refusing nowhere".split()
)
NEGATION_PAIRS = frozenset({("no", "one"), ("rather", "than"), ("instead", "of"), ("far", "from")})
CONDITION_WORDS = frozenset({"if", "unless", "whether", "suppose", "supposing", "lest", "hypothetically"})
# A new predicate starts after these: "it can't be fulfilled as the model was discontinued".
SCOPE_BREAKS = frozenset(
    {"as", "since", "after", "when", "while", "so", "which", "who", "until", "before", "once", "where", "i", "we"}
)
_FACT_WORD = re.compile(r"[^\W\d_]+")
_UNSAFE_PATTERN = re.compile(r"[{}|<>~*]|\.\.\.")


@dataclass(frozen=True)
class _Entry:
    """One phrase to try, with the bank whose policy judges its matches."""

    order: int
    bank: Bank
    phrase: Phrase
    layer: str = "phrase"  # "rule" for a sentence shape, "scenario" for a scenario's own phrase


@dataclass(frozen=True)
class _ScenarioPhrases:
    """A scenario's phrases ready to match, indexed like the banks' by the words each needs."""

    entries: tuple[_Entry, ...]
    by_key: dict[str, tuple[_Entry, ...]]
    always: tuple[_Entry, ...]  # no word that every match needs: tried on every sentence
    loose: tuple[_Entry, ...]  # long plain phrases, which may match fuzzily with their rarest word misspelt
    plains: tuple[str, ...]  # the loose phrases' normalised words, in their order

    @classmethod
    def of(cls, entries: tuple[_Entry, ...]) -> _ScenarioPhrases:
        """The index of a scenario's compiled phrases."""
        by_key: dict[str, list[_Entry]] = {}
        always, loose = [], []
        for entry in entries:
            compiled = entry.phrase.compiled
            if compiled.plain is not None:
                loose.append(entry)
            elif compiled.keys is None:
                always.append(entry)
            else:
                for key in compiled.keys:
                    by_key.setdefault(key, []).append(entry)
        plains = tuple(entry.phrase.compiled.plain or "" for entry in loose)
        return cls(entries, {k: tuple(v) for k, v in by_key.items()}, tuple(always), tuple(loose), plains)

    def for_sentence(self, sentence: Sentence, budget: _Budget) -> list[_Entry]:
        """The phrases that may match the sentence and that the budget affords, in the scenario's order.

        A long plain phrase matches (exactly or loosely) only where rapidfuzz scores it at least
        FUZZY_SCORE_CUTOFF against the sentence, so all of them are scored in one call first.
        """
        keys = sentence.keys & self.by_key.keys()
        if budget.steps == 0:  # spent on earlier sentences: count what is left untried, quickly
            budget.refused += len(self.always) + len(self.loose) + sum(len(self.by_key[key]) for key in keys)
            return []
        chosen = {entry.order: entry for entry in self.always}
        for key in keys:
            chosen.update((entry.order, entry) for entry in self.by_key[key])
        if self.loose and budget.allows(len(self.plains) * sentence.text.count(" "), len(self.plains)):
            scores = process.cdist(self.plains, [sentence.text[1:-1]], scorer=fuzz.partial_ratio,
                                   score_cutoff=FUZZY_SCORE_CUTOFF)
            chosen.update((self.loose[i].order, self.loose[i]) for i in scores[:, 0].nonzero()[0])
        affordable = []
        for order in sorted(chosen):
            entry = chosen[order]
            if budget.allows(entry.phrase.compiled.cost(sentence.text)):
                affordable.append(entry)
        return affordable


class _Budget:
    """The steps of matching a reply's scenario phrases may still take."""

    def __init__(self, steps: int) -> None:
        self.steps = steps
        self.refused = 0  # phrases not tried because the budget was spent

    def allows(self, cost: int, phrases: int = 1) -> bool:
        """Spend `cost` steps if they are left; else count the phrases as not tried."""
        if cost > self.steps:
            self.steps = 0  # spent: no cheaper phrase after a dearer one, so which ones are tried stays simple
            self.refused += phrases
            return False
        self.steps -= cost
        return True


@dataclass(frozen=True)
class _Hit:
    """A phrase that matched words [first, last] of a sentence."""

    first: int
    last: int
    strength: float


class Detector:
    """Finds the catalogue's reply behaviours in free text. Build with `Detector.load()`."""

    def __init__(
        self, bank_set: BankSet, shape_rules: Sequence[ShapeRule] = SHAPE_RULES, judge: Judge | None = None
    ) -> None:
        self._set = bank_set
        self._judge = judge
        self._entries: list[_Entry] = []
        self._by_key: dict[str, list[int]] = {}
        self._always: list[int] = []
        for behaviour in REPLY_IDS:
            bank = bank_set.banks.get(behaviour)
            if bank is None:
                continue
            for phrase in bank.phrases:
                self._add(_Entry(len(self._entries), bank, phrase))
        self._shapes = tuple(
            _Entry(len(self._entries) + i, bank_set.policy(rule.behaviour), Phrase(rule.compiled(), rule.mood), "rule")
            for i, rule in enumerate(shape_rules)
        )
        self._context_cache: OrderedDict[tuple, tuple[_ScenarioPhrases, ExtraWords]] = OrderedDict()
        # The last context object seen and its entry: a call passes the same one with every reply.
        self._last_context: tuple[ReplyContext, tuple[_ScenarioPhrases, ExtraWords]] | None = None

    @classmethod
    def load(cls, bank_dir: Path | None = None, *, learned: bool = True) -> Detector:
        """A detector over the banks in `bank_dir` (default: the banks shipped with the package).

        With `learned`, the learned layer shipped with the package weighs in on every verdict.
        """
        judge = None
        if learned:
            from simulator.detect.learned.judge import Judge, load_policies
            from simulator.detect.learned.model import WEIGHTS, LearnedLayer

            if (WEIGHTS / "ngrams.json").exists():
                judge = Judge(LearnedLayer(WEIGHTS), load_policies(WEIGHTS))
        return cls(load_banks(bank_dir), judge=judge)

    def detect(self, text: str, context: ReplyContext | None = None) -> Detection:
        """Every behaviour the reply shows, with the clause, phrase and strength behind each."""
        return self._detect(text, context, in_pieces=True)

    def _detect(self, text: str, context: ReplyContext | None, *, in_pieces: bool,
                vector: np.ndarray | None = None) -> Detection:
        original = text if isinstance(text, str) else str(text)
        work = original[:MAX_REPLY_CHARS]
        source = sanitise(work)
        silent = silence_span(source)
        if silent is not None:
            start, end = silent
            bank = self._set.policy("stays_silent")
            silence = Evidence(
                "stays_silent", work[start:end], "rule:silence", RULE_STRENGTH, bank.threshold, start, end, layer="rule"
            )
            return Detection(original, (silence,))
        extra, words = self._context(context)
        analysis = analyse(source, self._set.normaliser, words)
        budget = _Budget(MATCH_STEP_BUDGET)
        found: dict[tuple[str, int, int], Evidence] = {}
        for sentence in analysis.sentences:
            in_sentence: dict[tuple[str, int, int], Evidence] = {}
            for entry in self._candidates(sentence, extra, budget):
                for hit in _hits(entry, sentence):
                    self._keep(in_sentence, _evidence(entry, hit, sentence, work))
            marked = marked_text(sentence, analysis.source)
            for entry in self._shapes:
                for hit in _hits(entry, sentence, marked):
                    self._keep(in_sentence, _evidence(entry, hit, sentence, work))
            shown = {key[0] for key in in_sentence}
            for evidence in in_sentence.values():
                if not self._set.policy(evidence.behaviour).not_with & shown:
                    self._keep(found, evidence)
        facts = tuple(str(f) for f in context.facts) if context else ()
        self._add_specifics(found, analysis, work, facts)
        if context is not None and context.news:
            self._add_restated_news(found, work, tuple(str(n) for n in context.news))
        found_all = list(found.values())
        overruled: tuple[Evidence, ...] = ()
        if self._judge is not None:
            before = found_all
            spoken = [s for s in analysis.sentences if s.clauses]
            spans = [(s.clauses[0].start, s.clauses[-1].end) for s in spoken]
            tips = context.tips if context is not None else {}
            if tips and vector is None:
                vector = self._judge.layer.vector(work)  # for the tips below, and the model's reading
            found_all = self._judge.judge(work, found_all, spans, context.examples if context else None, vector)
            found_all = self._displace(self._veto_model(found_all, spoken, spans), spans)
            if len(work.split()) < SHORT_REPLY_WORDS:
                found_all = [e for e in found_all if e.layer != "model" or BY_ID[e.behaviour].good]
            if in_pieces and len(work.split()) >= LONG_REPLY_WORDS:
                found_all += self._read_in_pieces(work, analysis, context, {e.behaviour for e in found_all})
            shown = {e.behaviour for e in found_all}
            overruled = tuple(e for e in before if e.behaviour not in shown)
            if tips and vector is not None:  # what nothing else found: the debrief quotes the clause that did
                found_all += [e for e in self._judge.like_tips(work, vector, tips) if e.behaviour not in shown]
        elif context is not None:
            found_all += like_examples_by_words(work, context.examples)
            shown = {e.behaviour for e in found_all}
            found_all += [e for e in like_examples_by_words(work, context.tips, tips=True) if e.behaviour not in shown]
        ordered = sorted(found_all, key=lambda e: (e.start, REPLY_IDS.index(e.behaviour), e.end))
        return Detection(original, tuple(ordered), phrases_not_tried=budget.refused, overruled=overruled)

    def _read_in_pieces(
        self, work: str, analysis: Analysis, context: ReplyContext | None, shown: set[str]
    ) -> list[Evidence]:
        """A reply longer than the lines the model learned from, read again a piece at a time, for what one clause
        says on its own (an apology, the damage named, a credit, a promise to call): judged over the whole of a long
        reply, the model's reading of each thinned out, and vetoed the phrases that had found them. What depends on
        the rest of the reply (the news, options, a new date, a check of understanding) is read whole only."""
        assert self._judge is not None  # only a long reply the model judged is read again
        added: list[Evidence] = []
        pieces = _pieces(analysis, work)
        vectors = self._judge.layer.vectors([work[start:end] for start, end in pieces])
        for (start, end), vector in zip(pieces, vectors, strict=True):
            for evidence in self._detect(work[start:end], context, in_pieces=False, vector=vector).evidence:
                if evidence.behaviour in READ_IN_PIECES and evidence.behaviour not in shown:
                    first, last = evidence.start + start, evidence.end + start
                    added.append(replace(evidence, clause=work[first:last], start=first, end=last))
        return added

    def _veto_model(self, found: list[Evidence], sentences: list[Sentence], spans: list[tuple[int, int]]) -> list[Evidence]:
        """A bank's `never_in_sentence:` holds for the model's reading too: "a note you can give your boss" hands the
        buyer something to pass on, so the model's going-over-their-head in that sentence does not stand."""
        def vetoed(evidence: Evidence) -> bool:
            vetoes = self._set.policy(evidence.behaviour).layer_vetoes
            return evidence.layer == "model" and bool(vetoes) and any(
                s <= evidence.start < e and any(v.search(sentence.text) for v in vetoes)
                for sentence, (s, e) in zip(sentences, spans, strict=True)
            )

        return [e for e in found if not vetoed(e)]

    def _displace(self, found: list[Evidence], spans: list[tuple[int, int]]) -> list[Evidence]:
        """A banks' `not_with:` across layers: a stronger reading in the same sentence displaces a weaker one."""
        def sentence(evidence: Evidence) -> int:
            return next((i for i, (s, e) in enumerate(spans) if s <= evidence.start < e), -1)

        shown: dict[int, set[str]] = {}
        for evidence in found:
            shown.setdefault(sentence(evidence), set()).add(evidence.behaviour)
        return [
            e for e in found
            if e.layer in ("scenario", "example") or not self._set.policy(e.behaviour).not_with & shown[sentence(e)]
        ]

    def _add(self, entry: _Entry) -> None:
        self._entries.append(entry)
        keys = entry.phrase.compiled.keys
        if keys is None:
            self._always.append(entry.order)
        else:
            for key in keys:
                self._by_key.setdefault(key, []).append(entry.order)

    def _candidates(self, sentence: Sentence, extra: _ScenarioPhrases | None, budget: _Budget) -> list[_Entry]:
        orders = set(self._always)
        for key in sentence.keys:
            orders.update(self._by_key.get(key, ()))
        return [self._entries[i] for i in sorted(orders)] + (extra.for_sentence(sentence, budget) if extra else [])

    @staticmethod
    def _keep(found: dict[tuple[str, int, int], Evidence], evidence: Evidence | None) -> None:
        if evidence is None:
            return
        key = (evidence.behaviour, evidence.start, evidence.end)
        if key not in found or evidence.strength > found[key].strength:
            found[key] = evidence

    def _add_specifics(self, found: dict, analysis: Analysis, work: str, facts: tuple[str, ...]) -> None:
        bank = self._set.policy("gives_specifics")
        for specific in find_specifics(analysis.source, facts):
            start, end = analysis.clause_span(specific.start, specific.end)
            key = ("gives_specifics", start, end)
            if self._not_a_fact(specific.rule, start, end, found, analysis):
                continue
            if key not in found:
                found[key] = Evidence(
                    "gives_specifics", work[start:end], specific.rule, RULE_STRENGTH, bank.threshold, start, end, layer="rule"
                )

    def _add_restated_news(self, found: dict, work: str, news: tuple[str, ...]) -> None:
        """A reply that restates what the scenario says went wrong states the news and explains the cause."""
        match = restated(work, news)
        if match is None:
            return
        fact, share = match
        start, end = restated_span(work, fact)
        for behaviour in ("states_the_news", "explains_cause"):
            # Beside a bank's phrase too: the model may veto the phrase ("Do you have a few minutes? I have some
            # difficult news ... Priya has resigned" lost both its phrases), never the scenario's own fact.
            if not any(key[0] == behaviour and evidence.layer != "phrase" for key, evidence in found.items()):
                threshold = RESTATED_SHARE
                found[(behaviour, start, end)] = Evidence(
                    behaviour, work[start:end], f"{SCENARIO_FACT}: {fact}", share, threshold, start, end, layer="scenario"
                )

    @staticmethod
    def _not_a_fact(rule: str, start: int, end: int, found: dict, analysis: Analysis) -> bool:
        """A number that sizes an offer, times a call-back, or sits in a question or an "if"."""
        for evidence in found.values():
            if evidence.start < end and start < evidence.end and rule in NOT_FACTS_WITH.get(evidence.behaviour, ()):
                return True
        return rule in NOT_FACTS_IN_QUESTIONS and analysis.asks_or_supposes(start, end)

    def _context(self, context: ReplyContext | None) -> tuple[_ScenarioPhrases | None, ExtraWords]:
        """The scenario's phrases compiled, and its words (phrases and facts), cached by value."""
        if context is None or not (context.extra_phrases or context.facts):
            return None, ExtraWords()
        last = self._last_context
        if last is not None and last[0] is context:
            return last[1]  # not rebuilt per reply: checking every phrase of a long list costs as much as matching
        phrases = tuple(sorted((str(b), tuple(str(p) for p in _as_list(ps))) for b, ps in context.extra_phrases.items()))
        facts = tuple(str(f) for f in _as_list(context.facts))
        key = (phrases, facts)
        cached = self._context_cache.get(key)
        if cached is None:
            entries = tuple(self._compile_context(phrases))
            words = [w for e in entries for w in e.phrase.compiled.words]
            words += [w for fact in facts for w in _FACT_WORD.findall(fact)]
            cached = (_ScenarioPhrases.of(entries), ExtraWords.of(words))
            self._context_cache[key] = cached
            if len(self._context_cache) > CONTEXT_CACHE_SIZE:
                self._context_cache.popitem(last=False)
        self._last_context = (context, cached)
        return cached

    def _compile_context(self, phrases: Iterable[tuple[str, tuple[str, ...]]]) -> Iterable[_Entry]:
        order = len(self._entries)
        for behaviour, texts in phrases:
            if behaviour not in REPLY_IDS:
                continue  # the scenario loader reports unknown ids; detection never fails on them
            bank = self._set.policy(behaviour)
            for text in texts:
                compiled = _compile_leniently(self._set.compiler, text)
                if compiled is not None:
                    order += 1
                    yield _Entry(order, bank, Phrase(compiled, bank.where), "scenario")


def _as_list(phrases: object) -> Sequence[object]:
    if isinstance(phrases, str):
        return [phrases]
    return list(phrases) if isinstance(phrases, Iterable) else []


def _compile_leniently(compiler: PatternCompiler, text: str) -> Compiled | None:
    """A scenario phrase as a pattern if it is one, else as plain words."""
    try:
        return compiler.compile(text, regex_ways=SCENARIO_REGEX_GAP_WAYS)
    except PatternError:
        try:
            return compiler.compile(_UNSAFE_PATTERN.sub(" ", text), regex_ways=SCENARIO_REGEX_GAP_WAYS)
        except PatternError:
            return None


def _hits(entry: _Entry, sentence: Sentence, text: str | None = None) -> Iterable[_Hit]:
    """Every place the entry's phrase counts in the sentence, after mood, negation and vetoes.

    `text` is a same-length marking of the sentence's text (see shapes.marked_text) to match against instead.
    """
    compiled = entry.phrase.compiled
    spans: list[tuple[int, int, float, bool]] = []
    for match in _matches(compiled, sentence, text or sentence.text):
        first = sentence.word_at(match.start() + 1)
        last = sentence.word_at(match.end() - 1)
        gap_words = sum(len(g.split()) for g in match.groups() if g)
        gap_negated = any(w in NEGATION_WORDS for g in match.groups() if g for w in g.split())
        spans.append((first, last, 1.0 - min(MAX_GAP_COST, GAP_WORD_COST * gap_words), gap_negated))
    if not spans and compiled.plain is not None:
        haystack = sentence.text[1:-1]
        aligned = fuzz.partial_ratio_alignment(compiled.plain, haystack, score_cutoff=FUZZY_SCORE_CUTOFF)
        if (aligned is not None and _covers_phrase(aligned, len(compiled.plain))
                and _keeps_content_words(compiled.plain, haystack[aligned.dest_start : aligned.dest_end])):
            first = sentence.word_at(aligned.dest_start + 1)
            last = sentence.word_at(aligned.dest_end)
            spans.append((first, last, aligned.score / 100.0, False))
    if not spans:
        return
    bank = entry.bank
    if any(v.search(sentence.text) for v in bank.sentence_vetoes):
        return
    vetoes = [
        (sentence.word_at(m.start() + 1), sentence.word_at(m.end() - 1))
        for v in bank.vetoes
        for m in v.finditer(sentence.text)
    ]
    negated: list[tuple[int, int]] = []
    for first, last, quality, gap_negated in spans:
        clause = sentence.clauses[sentence.clause_of[first]]
        mood = entry.phrase.mood
        if (mood == "statements" and clause.question) or (mood == "questions" and not clause.question):
            continue
        if bank.negation_vetoes and (
            gap_negated
            or _preceded_by(sentence, first, clause.first, NEGATION_WORDS, True)
            or any(nf < first <= nl for nf, nl in negated)  # a tail of a negated match is negated too
        ):
            negated.append((first, last))
            continue
        if bank.conditional_vetoes and (
            _preceded_by(sentence, first, clause.first, CONDITION_WORDS, False) or _supposes(sentence, clause.first)
        ):
            continue
        if any(vf <= last and first <= vl for vf, vl in vetoes):
            continue
        strength = quality
        for word in sentence.words[first : last + 1]:
            strength *= word.score
        yield _Hit(first, last, strength)


def _covers_phrase(aligned: ScoreAlignment, phrase_length: int) -> bool:
    """Whether a fuzzy alignment spans about the whole phrase on both sides, not a short reply inside it."""
    needed = FUZZY_MIN_COVERAGE * phrase_length
    return aligned.src_end - aligned.src_start >= needed and aligned.dest_end - aligned.dest_start >= needed


def _keeps_content_words(phrase: str, matched: str) -> bool:
    """Whether each word of four letters or more of the phrase is in the matched text, allowing a typo: a close
    match that drops the word that says something ("for your client" for "note for your client") is not one."""
    said = matched.split()
    return all(
        any(fuzz.ratio(word, other) >= CONTENT_WORD_SIMILARITY for other in said)
        for word in phrase.split() if len(word) >= CONTENT_WORD_LETTERS
    )


def _supposes(sentence: Sentence, clause_first: int) -> bool:
    """Whether the clause is the main clause of an "If ..., then ..." sentence."""
    return clause_first > 0 and sentence.words[0].text in CONDITION_WORDS


def _matches(compiled: Compiled, sentence: Sentence, text: str) -> Iterable[re.Match[str] | PhraseMatch]:
    """The match starting at each word, so a vetoed early match cannot hide a good later one."""
    position = 0
    while True:
        match = compiled.search(text, position)
        if match is None:
            return
        yield match
        following = sentence.word_at(match.start() + 1) + 1
        if following >= len(sentence.offsets):
            return
        position = sentence.offsets[following] - 1


def _preceded_by(sentence: Sentence, first: int, clause_first: int, cues: frozenset[str], pairs: bool) -> bool:
    """Whether a cue word (a negation, an "if") stands in the few words before a match, inside its clause."""
    start = max(clause_first, first - NEGATION_WINDOW)
    words = [w.text for w in sentence.words[start:first]]
    for index in range(len(words) - 1, -1, -1):
        if words[index] in SCOPE_BREAKS:
            words = words[index + 1 :]
            break
    if any(w in cues for w in words):
        return True
    return pairs and any((a, b) in NEGATION_PAIRS for a, b in pairwise(words))


def _evidence(entry: _Entry, hit: _Hit, sentence: Sentence, work: str) -> Evidence | None:
    if hit.strength < entry.bank.threshold:
        return None
    start = sentence.clauses[sentence.clause_of[hit.first]].start
    end = sentence.clauses[sentence.clause_of[hit.last]].end
    phrase = _shown_phrase(entry.phrase.compiled, sentence, hit)
    return Evidence(
        entry.bank.behaviour, work[start:end], phrase, hit.strength, entry.bank.threshold, start, end, layer=entry.layer
    )


def _shown_phrase(compiled: Compiled, sentence: Sentence, hit: _Hit) -> str:
    """The bank phrase as written when it is short; else the words it matched and where it lives."""
    if len(compiled.source) <= MAX_SHOWN_PHRASE:
        return compiled.source
    matched = " ".join(w.text for w in sentence.words[hit.first : hit.last + 1])
    return f"{matched} ({compiled.origin})" if compiled.origin else matched


def _pieces(analysis: Analysis, work: str) -> list[tuple[int, int]]:
    """The reply cut into pieces: each sentence, and a long sentence into runs of its clauses of up to PIECE_WORDS."""
    pieces: list[tuple[int, int]] = []
    for sentence in analysis.sentences:
        start = end = -1
        words = 0
        for clause in sentence.clauses:
            size = len(work[clause.start : clause.end].split())
            if start >= 0 and words + size > PIECE_WORDS:
                pieces.append((start, end))
                start, words = -1, 0
            start = clause.start if start < 0 else start
            end, words = clause.end, words + size
        if start >= 0:
            pieces.append((start, end))
    return pieces


@cache
def default_detector() -> Detector:
    """The detector over the shipped banks and the shipped learned layer, loaded once per process."""
    return Detector.load()


@cache
def phrase_detector() -> Detector:
    """The phrase banks and rules alone, loaded once per process: what the authoring lint and the banks' own
    specifications judge."""
    return Detector.load(learned=False)
