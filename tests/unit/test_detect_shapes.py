"""The phrase layer: shape rules: behaviours told by how a sentence is built (invented sentences, none from a labelled set)."""

from __future__ import annotations

import pytest

from simulator.detect import phrase_detector
from simulator.detect.banks import load_banks
from simulator.detect.clauses import analyse
from simulator.detect.detector import Detector
from simulator.detect.shapes import SHAPE_RULES, marked_text


def behaviours(text: str) -> tuple[str, ...]:
    return phrase_detector().detect(text).behaviours


@pytest.fixture(scope="module")
def without_shapes() -> Detector:
    return Detector(load_banks(), shape_rules=())


@pytest.mark.parametrize(
    "text",
    [
        "We could courier the spare tonight, or fit a temporary seal until the new one lands.",
        "I can reprint the manuals this week or post you a digital copy today.",
        "You could install the older firmware for now or book a technician for the upgrade.",
    ],
)
def test_two_courses_of_action_joined_by_or_are_options(text: str, without_shapes: Detector) -> None:
    assert "offers_options" in behaviours(text)
    assert "offers_options" not in without_shapes.detect(text).behaviours  # the shape, not a bank phrase, found it


@pytest.mark.parametrize(
    "text",
    [
        "Here's how I can help: repair today or exchange tomorrow.",
        "Your choices are simple: repair, exchange or credit.",
        "Things we can look at: a courier tonight, a van Monday or collection Tuesday.",
    ],
)
def test_choices_listed_after_a_colon_are_options(text: str, without_shapes: Detector) -> None:
    assert "offers_options" in behaviours(text)
    assert "offers_options" not in without_shapes.detect(text).behaviours


@pytest.mark.parametrize(
    "text",
    [
        "We could be there in a day or so.",
        "We can't repaint it or refund it.",
        "Could we move the meeting to Tuesday or Wednesday?",
        "I can look at it again in a week or two.",
        "Note: the depot closes at six or thereabouts.",
    ],
)
def test_or_that_joins_no_choices_is_not_options(text: str) -> None:
    assert "offers_options" not in behaviours(text)


def test_the_wrong_thing_arriving_is_the_news() -> None:
    assert "states_the_news" in behaviours("Bad luck on our end, the wrong hinge kit went on the lorry.")


def test_a_wrong_answer_in_general_is_not_news() -> None:
    assert "states_the_news" not in behaviours("There is no wrong answer here, tell me what you think.")


def test_a_date_that_slipped_is_the_news() -> None:
    assert "states_the_news" in behaviours("heads up, the ceramic cores slipped to next month")


def test_what_the_customer_will_lack_is_the_news() -> None:
    assert "states_the_news" in behaviours("The shortfall on the bottling run leaves your store without stock for the sale.")


def test_a_negated_deprivation_is_not_news() -> None:
    assert "states_the_news" not in behaviours("Rest assured, nothing about this leaves you short.")


def test_shape_evidence_names_the_rule() -> None:
    detection = phrase_detector().detect("We could reprint the labels overnight or ship the batch unlabelled.")
    evidence = detection.evidence_for("offers_options")
    assert evidence is not None
    assert evidence.phrase.startswith("rule:")


def test_every_rule_names_a_catalogue_behaviour() -> None:
    from simulator.catalogue import REPLY_IDS

    assert all(rule.behaviour in REPLY_IDS for rule in SHAPE_RULES)
    assert len({rule.name for rule in SHAPE_RULES}) == len(SHAPE_RULES)


def test_marked_text_writes_a_colon_in_place_of_the_space_and_keeps_length() -> None:
    detector = phrase_detector()
    source = "Two ways: wait or fly."
    sentence = analyse(source, detector._set.normaliser).sentences[0]
    marked = marked_text(sentence, source)
    assert len(marked) == len(sentence.text)
    assert marked == sentence.text.replace(" ways wait", " ways:wait")


def test_an_update_promise_is_not_vetoed_by_goods_on_the_road() -> None:
    assert "keeps_informed" in behaviours("I'll text you an update every evening until the trucks are on the road.")


def test_the_seller_on_the_road_still_is_not_an_update_promise() -> None:
    assert "keeps_informed" not in behaviours("I'm on the road, I'll call you back.")
