"""The behaviour catalogue: the rubric's stable ids, what each means, and the doctrine behind it.

The ids are a contract (see shared/behaviours.md): scenario files, scoring, `badnews detect`
and every evaluation use them and no others. Each entry also carries the principle from the
seed articles and a better phrasing, which the debrief shows next to the trainee's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Section(StrEnum):
    """Where a behaviour is judged from."""

    REPLY = "reply"  # one reply on its own (the detector)
    CONVERSATION = "conversation"  # the order of replies and what the buyer did (the engine)
    BEFORE_CALL = "before_call"  # a choice in the briefing


@dataclass(frozen=True)
class Behaviour:
    """One rubric line of the catalogue."""

    id: str
    section: Section
    good: bool
    summary: str
    principle: str
    better: str
    default_weight: float


def behaviour_name(behaviour: str) -> str:
    """A rubric id as words: states_the_news -> states the news."""
    return behaviour.replace("_", " ")


def _reply(id: str, good: bool, weight: float, summary: str, principle: str, better: str) -> Behaviour:
    return Behaviour(id, Section.REPLY, good, summary, principle, better, weight)


def _conversation(id: str, weight: float, summary: str, principle: str, better: str) -> Behaviour:
    return Behaviour(id, Section.CONVERSATION, True, summary, principle, better, weight)


def _before(id: str, weight: float, summary: str, principle: str, better: str) -> Behaviour:
    return Behaviour(id, Section.BEFORE_CALL, True, summary, principle, better, weight)


BEHAVIOURS: tuple[Behaviour, ...] = (
    # --- 1. Reply behaviours, good -------------------------------------------------------
    _reply(
        "states_the_news", True, 10,
        "Says plainly what went wrong, not a hint or a 'small update'.",
        "Cut straight to the chase: it shows courage and integrity (seed 000).",
        "I have bad news: your order will not arrive on the date I promised you.",
    ),
    _reply(
        "gives_specifics", True, 5,
        "Gives concrete facts: a date, a quantity, an order or part number, an amount.",
        "Have a prepared list of facts in front of you: the buyer will have questions (seed 000).",
        "Order [number], all [quantity] units, now arriving [new date] instead of [promised date].",
    ),
    _reply(
        "explains_cause", True, 3,
        "Says briefly why it happened, without pointing a finger.",
        "Know why the problem occurred, and say it simply (seeds 000, 004).",
        "[What happened], so [what it stopped]: one sentence, and nobody's name in it.",
    ),
    _reply(
        "owns_it", True, 6,
        "Takes responsibility for the problem.",
        "It may not be your fault, but it is your responsibility. Own it, fix it (seeds 002, 003).",
        "This is on us, and I'm taking responsibility for getting it fixed.",
    ),
    _reply(
        "acknowledges_impact", True, 6,
        "Names the customer's feelings or the damage to their business.",
        "Acknowledge the frustration and the cost to their business (seeds 001, 002).",
        "I know this puts your plans, and your own customers, at risk.",
    ),
    _reply(
        "asks_about_impact", True, 3,
        "Asks how the problem affects them, their line, their customers.",
        "Understand the full impact of the news: put yourself in their shoes (seed 002).",
        "How does this affect you? What do you need first?",
    ),
    _reply(
        "apologizes", True, 6,
        "Says sorry, sincerely.",
        "Say you're sorry, and then hush (seed 000).",
        "I'm sorry. I know how much you were counting on this.",
    ),
    _reply(
        "asks_forgiveness", True, 4,
        "Asks to be forgiven, or for the apology to be accepted and the work to go on.",
        "The four most powerful words are 'Will you forgive me?' (seeds 000, 003).",
        "Can I count on you to accept my apology and keep working with me on this?",
    ),
    _reply(
        "offers_options", True, 8,
        "Puts choices in front of the customer: two or more, or 'a few options'.",
        "Buyers love options: bring a prepared list your boss has approved (seeds 000, 003, 004).",
        "I have three options for you: [first], [second], or [third]. Which works best for you?",
    ),
    _reply(
        "corrective_action", True, 5,
        "Says what is being done now to fix or limit the problem.",
        "State the course of corrective action your company is taking (seed 001).",
        "We have already [what is under way] to limit the damage.",
    ),
    _reply(
        "prevents_recurrence", True, 4,
        "Says what has changed so it will not happen again.",
        "Show the steps taken so the mistake won't be repeated (seeds 000, 002).",
        "We have changed [how we work] so this cannot happen to you again.",
    ),
    _reply(
        "resets_expectations", True, 5,
        "Gives a new, realistic commitment: the new date or plan.",
        "Reset expectations with a date you can keep (seed 001).",
        "The full order will be with you on [a date you can keep].",
    ),
    _reply(
        "compensates", True, 4,
        "Offers to make it up: a credit, waived fees, free expedite, a discount, extra units.",
        "Compensate them beyond their loss, with something high-value to them (seed 003).",
        "To make up for it, we will [a credit, a waived fee or something extra they value].",
    ),
    _reply(
        "thanks_patience", True, 3,
        "Thanks them for their patience or understanding.",
        "Thank them for their patience and understanding (seed 001).",
        "Thank you for your patience with this.",
    ),
    _reply(
        "keeps_informed", True, 4,
        "Commits to keep them updated, ideally with a when.",
        "Let them know you will keep them informed (seed 001).",
        "I'll call you every Monday and Thursday with the status until it lands.",
    ),
    _reply(
        "checks_understanding", True, 2,
        "Checks that they understood, or invites their questions.",
        "Check often for understanding: misunderstanding is the last thing you need (seed 004).",
        "Does that make sense? What questions do you have?",
    ),
    _reply(
        "helps_position_news", True, 2,
        "Offers help explaining the news to others in their organisation.",
        "Suggest how to position the news to others in their organisation (seed 000).",
        "Would it help if I sent a short note you can forward to your manager?",
    ),
    _reply(
        "stays_silent", True, 0,
        "Is silence: an empty reply, '...', '(pause)'.",
        "Let them vent; after the apology, zip your lip (seeds 000, 001).",
        "(silence)",
    ),
    # --- 1. Reply behaviours, bad --------------------------------------------------------
    _reply(
        "blames_others", False, 12,
        "Puts the fault on someone: a supplier, a carrier, a colleague, the weather, the customer.",
        "'Whose fault is it?' is irrelevant: don't throw anyone under the bus (seeds 001, 002, 004).",
        "It is late, and fixing it is my job.",
    ),
    _reply(
        "airs_dirty_laundry", False, 8,
        "Spills internal trouble the customer need not carry.",
        "Your company's internal issues are not your customer's problem (seed 001).",
        "Keep it simple: the facts, the options, the new date.",
    ),
    _reply(
        "minimizes", False, 10,
        "Plays the problem down.",
        "Don't minimise: it is their problem, and only they can say how big it is (seeds 003, 004).",
        "I know this is a serious problem for you.",
    ),
    _reply(
        "dismisses_feelings", False, 12,
        "Tells the customer how to feel.",
        "Don't make your customer wrong; expect emotion and let them vent (seeds 001, 003).",
        "You have every right to be angry about this.",
    ),
    _reply(
        "overpromises", False, 8,
        "Makes a guarantee it cannot back.",
        "Never lie to a customer; promise what you can deliver (seeds 002, 003).",
        "Here is what I can commit to, and I'll confirm it in writing today.",
    ),
    _reply(
        "stalls", False, 6,
        "Small talk, hedging or an evasive preamble that delays the news.",
        "Don't make them wait for it: cut to the chase (seeds 000, 004).",
        "I'm calling with bad news about your order.",
    ),
    _reply(
        "goes_over_their_head", False, 10,
        "Offers or threatens to take it to the customer's boss without asking.",
        "Don't contact the customer's boss without their permission (seed 003).",
        "Would it help if I joined you when you brief your director?",
    ),
    # --- 2. Conversation behaviours -----------------------------------------------------
    _conversation(
        "cut_to_the_chase", 8,
        "The first reply states the news, without stalling.",
        "Demonstrate courage and integrity by cutting straight to the chase (seed 000).",
        "Open with the news itself: what happened, to which order, and the new date.",
    ),
    _conversation(
        "let_them_vent", 6,
        "While the buyer vents, stay silent or only acknowledge: no explaining, no defending.",
        "Let the customer vent: be quiet, listen and do not interrupt (seed 001).",
        "(silence) ... or just: 'I understand.'",
    ),
    _conversation(
        "silent_after_apology", 5,
        "The apology ends the reply, and the next reply is silence.",
        "Say you're sorry, and then hush. Zip your lip until they answer (seeds 000, 003).",
        "'Will you forgive me?' ... then stay silent: send an empty reply (Enter alone) and let them answer.",
    ),
    _conversation(
        "solution_before_apology", 3,
        "Options or corrective action come before the closing apology.",
        "After presenting the solution, then it's time to apologise (seed 003).",
        "Lay out the options first; apologise once they see it will work out.",
    ),
    _conversation(
        "options_count", 6,
        "How many distinct options were offered over the whole call.",
        "Give them as many options as possible; present the best three (seeds 000, 004).",
        "Name every approved option: [first], [second] and [third].",
    ),
    _conversation(
        "closes_with_support", 5,
        "The call ends with thanks, a promise to keep them informed, and a request for support.",
        "Close by asking for their ongoing support (seeds 000, 001).",
        "Thank you, I'll update you Friday, and I'd value your continued support.",
    ),
    # --- 3. Before the call -------------------------------------------------------------
    _before(
        "tell_them_first", 4,
        "Call now rather than wait and hope it resolves.",
        "Let them hear it from you first, before it becomes their problem (seeds 000, 001, 004).",
        "Call today.",
    ),
    _before(
        "call_not_email", 4,
        "Phone or face to face, not email or voicemail.",
        "Don't hide behind technology: deliver bad news in person (seeds 002, 004).",
        "Pick up the phone.",
    ),
    _before(
        "alert_the_boss", 3,
        "Tell your own manager first, with options.",
        "The boss hates surprises: alert them with a list of options (seed 003).",
        "Brief your manager with options before you dial.",
    ),
    _before(
        "solution_ready", 4,
        "Have approved options in hand before calling.",
        "Make sure you have a solution ready before you make the call (seeds 000, 002, 003).",
        "Get your options approved first.",
    ),
)

BY_ID: dict[str, Behaviour] = {b.id: b for b in BEHAVIOURS}

REPLY_IDS: tuple[str, ...] = tuple(b.id for b in BEHAVIOURS if b.section is Section.REPLY)
BEFORE_CALL_IDS: tuple[str, ...] = tuple(b.id for b in BEHAVIOURS if b.section is Section.BEFORE_CALL)
ALL_IDS: tuple[str, ...] = tuple(BY_ID)
