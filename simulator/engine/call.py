"""One practice call: takes the seller's replies, returns the buyer's turns, keeps the transcript.

The `Call` is the headless core that the plain mode, `replay` and the Textual app all drive. It is
deterministic: the same scenario, persona, seed and replies always give the same transcript.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz import fuzz

from simulator.catalogue import BY_ID, REPLY_IDS
from simulator.content.arc import default_arc
from simulator.content.loader import OPTION_PLACEHOLDER
from simulator.content.models import LineItem, Offer, Outcome, Persona, Scenario, Stage
from simulator.content.offers import mentions, plain, says
from simulator.content.placeholders import fill, placeholder_values
from simulator.content.tips import tip_for
from simulator.detect import Detection, Detector, Evidence, ReplyContext, default_detector
from simulator.detect.clauses import opens_like_a_question
from simulator.detect.facts import SCENARIO_FACT, distinctive, word_key
from simulator.engine.agenda import NEWS as NEWS_SLOT
from simulator.engine.agenda import POSITION as POSITION_SLOT
from simulator.engine.agenda import WHEN as WHEN_SLOT
from simulator.engine.agenda import (
    YES_OR_NO,
    Agenda,
    answer_to,
    build_agenda,
    comes_back,
    key_words,
    puts_off,
    time_answered,
    words_given,
)
from simulator.engine.lines import (
    DEFAULT,
    PERSONA,
    SCENARIO,
    Candidate,
    LinePicker,
    Moment,
    asked_slots,
    candidates,
    holds,
    items,
)
from simulator.engine.machine import HUNG_UP, ReplyFacts, StageMachine
from simulator.engine.mood import Mood, MoodMove, band_at_least, effect_of
from simulator.engine.names import introduced_name

Speaker = Literal["buyer", "seller"]
TalkedOver = Literal["", "cut_off", "explained", "defended"]

# Talking over a venting buyer: explaining, or defending (an excuse, playing it down, telling them how to feel).
EXPLAINING = frozenset({"explains_cause", "airs_dirty_laundry", "stalls"})
# What answers her "Why?" in her ears, good or bad: a cause, or someone else's fault.
GIVES_A_REASON = frozenset({"explains_cause", "blames_others"})
# What a reply may do while the buyer vents and still only listen: stay silent, or acknowledge (her damage, sorry, owning
# it, a fact of what she lost, a question about it). Anything else moves on before she is ready: she is not calmed by
# it yet (here), and the debrief's let_them_vent is not earned (`scoring.conversation`).
LISTENING = frozenset({"stays_silent", "acknowledges_impact", "apologizes", "owns_it", "asks_about_impact",
                       "gives_specifics", "thanks_patience", "checks_understanding"})
# What puts her question off once, at no cost, in a reply that only listens: feeling for her, sorry, owning it, asking
# what it does to her. Thanks alone does not: "Thank you for hearing me out, Joel. Cascade really is one of our most
# important customers." had won trust in answer to his question (a play-tester, 2026-12-03).
FEELS_FOR_HER = frozenset({"acknowledges_impact", "apologizes", "owns_it", "asks_about_impact"})
DEFENDING = frozenset({"blames_others", "minimizes", "dismisses_feelings", "overpromises"})
# What the buyer answers, besides an agenda slot: `answers` in replay --json.
IMPACT, UNDERSTANDING, FORGIVENESS, CHOICE, QUESTION = "impact", "understanding", "forgiveness", "choice", "question"
# A question that proposes something the rep will do: the buyer says yes or no to it.
PROPOSAL = re.compile(
    r"^(?:can i|could i|shall i|should i|may i|would it (?:also |maybe |perhaps |really )?help|do you want me|would you like me|want me to|"
    r"how about|what if|is (?:it|that|this) ok(?:ay)?|is ok|is okay|okay if|would that|would this|does that work|"
    r"would \w+ work|does \w+ work|is (?:this|that|it) (?:alright|all right|fine|good)(?: for you| with you)?(?=\s*\?)|"
    r"(?:works|work for you|works for you|sounds? good|ok|okay|good with you|ok with you|okay with you)(?=\s*\?)|"
    r"(?:do you |would you )?(?:want|like) to (?:walk|go through|go over|run through|meet|review|look at|look over|visit)|"
    r"would (?:a|an|some) [^?]{0,60}\bhelp|"
    # As a rep typing in a second language puts it ("Do you want I send you this?", "you want we call her?"), and an
    # offer of something to pass on ("you want a short email for your controller?"); not "Do you want the air freight?"
    r"(?:do )?you want (?:that )?(?:i|we|me|us)|"
    r"(?:do )?you want (?:a|an) (?:[\w-]+ ){0,2}(?:note|e-?mail|summary|letter|one-pager|write-up|invite|invitation))\b",
    re.IGNORECASE,
)
# A question about what the problem does to her, in words the detector may not know ("What has you most worried?").
IMPACT_ASKED = re.compile(
    r"\b(?:worr(?:y|ies|ied|ying)|concern(?:s|ed|ing)?|hurts?|affect(?:s|ed|ing)?|impact(?:s|ed|ing)?|"
    r"biggest (?:risk|problem|issue|headache|worry)|mean for (?:you|your)|cost(?:s|ing)? you|"
    r"most (?:important|urgent|pressing)|matters? (?:the )?most|(?:top |biggest |first )?priorit(?:y|ies)|"
    r"(?:does|do|did|will) (?:this|that|it) (?:do )?(?:to|on|for) (?:you|your))\b",
    re.IGNORECASE,
)
# The rep asking what the people above her need to hear it ("is there anything your boss will need from me?"): an offer
# of help with positioning the news, answered as one.
BOSS_HELP = re.compile(
    r"\b(?:anything|something|what)\b[^?]*\b(?:your|her|his|the) (?:boss|manager|director|vp|cfo|ceo|coo|cmo|gm|chair"
    r"(?:man)?|board|controller|principal|supervisor|management|leadership|head of \w+)\b[^?]*"
    r"\b(?:(?:need|want|like)s?\b[^?]*\bfrom (?:me|us)\b|help|explain)",
    re.IGNORECASE,
)
# "Can I ask when you need them?" asks the buyer something: it is not the rep offering to do it.
ASKING_TO_ASK = re.compile(r"^(?:can|could|may) i ask\b(?! you to)", re.IGNORECASE)
# A one-word subject of a scenario's answer is heard in another form of the word only when it is this long.
MIN_SUBJECT_LETTERS = 5
# A request for her continued support, in a clause of its own: "..., can I count on your support for Monday?"
SUPPORT_REQUEST = re.compile(
    r"(?:^|[,;:.!?\u2014-]\s*|\band\s+)(?:(?:can|could|may) (?:i|we) (?:still )?(?:count on|rely on) (?:you|your)\b|"
    r"(?:will|would) you (?:still )?(?:support|back|stand by|stick with|stay with|keep working with) (?:me|us)\b|"
    r"(?:do|can|could|may) (?:i|we) (?:still )?(?:have|keep) your (?:support|backing|trust)\b)",
    re.IGNORECASE,
)
# A question is read from its asking clause on only after this many words of statement: a short lead-in names its
# subject ("And the installation, where do things stand there?").
ASKING_AFTER_WORDS = 8
# The first word of a clause that asks: "would a credit note suit your AP team", "what's he going to ask".
QUESTION_OPENER = re.compile(
    r"(?:what|what's|whats|when|where|who|whom|whose|why|how|which|is|are|am|was|were|do|does|did|can|could|would|will|"
    r"shall|should|may|might|have|has|any|anything|isn't|aren't|don't|doesn't|won't|wouldn't|can't|couldn't)\b",
    re.IGNORECASE,
)
# Spoken words a question may open with before it asks: "now what's your boss going to ask you?".
FILLER = re.compile(r"^(?:(?:now|ok|okay|well|look|right|so|and)\b[,\s]*)+", re.IGNORECASE)
# A joining word a clause may open with: "and would it help if I called her?".
LEADING_AND = re.compile(r"^(?:and|so|but|also|then|or|plus)\s+", re.IGNORECASE)
# Where the clauses of a question part: "... three options, can I walk you through them?"
CLAUSE_SPLIT = re.compile(r"[,;:\u2014]\s*|\s-+\s*|\s+and\s+(?=(?:for|if|would|shall|can|could|should)\b)")
# An offer put as a bare tag after it, with a word or two: "I'll write him a note you can forward. today ok?".
SHORT_TAG = re.compile(
    r"^(?!\W*(?:which|what|who|when|where|why|how)\b)\W*(?:[\w']+\s+){0,2}"
    r"(?:ok|okay|alright|all right|good|fine|works?|suits? you)\s*\?+\s*$",
    re.IGNORECASE,
)
# An offer that ends with a short question tag: "I can write Linda a note tonight, want that?".
PROPOSAL_TAG = re.compile(
    r"[,;:\-\u2014]\s*(?:if |do you |would you )?(?:want that|want it|want one|would that help|would it help|does that help|"
    r"does that work|does that sound (?:ok|okay|good|alright|right)|is that (?:ok|okay|alright|all right)|ok|okay|"
    r"sound good|sounds good|good)\s*\?+\s*$",
    re.IGNORECASE,
)
# Words that end with a full stop without ending the sentence.
ABBREVIATION = re.compile(r"(?:^|\s)(?:dr|mr|mrs|ms|prof|st|no|vs|etc|approx|e\.g|i\.e|inc|ltd|co)\.$", re.IGNORECASE)
# Thanks said in passing ("thanks graham. talk at 4."): a close, never small talk she steers back from.
# Thanks ("Thank you, Graham.", "cheers"), not "thanks to the carrier".
THANKS = re.compile(r"\b(?:thanks|thank you|thank u|thx|ty|cheers|much appreciated|appreciate (?:it|you|your)|grateful)\b"
                    r"(?! to\b)", re.IGNORECASE)
# An invitation to say more ("I completely understand, Dana. Please go on."): listening, never small talk.
GO_ON = re.compile(r"\b(?:please )?(?:go on|carry on|keep going|tell me more|i'?m listening|i am listening|take your time"
                   r"|go ahead)\b", re.IGNORECASE)
# The rep checking what she meant: "You mean for the first part of the order?". She says yes and goes on.
MEANS = re.compile(r"^\W*(?:(?:sorry|so|just to check|just checking|ok|okay),? )*"
                   r"(?:you mean|do you mean|did you mean|you are asking|are you asking|you're asking)\b",
                   re.IGNORECASE)
# A check that she has understood, in words the detector may not know ("Is this clear for you, or you need more?").
UNDERSTANDING_ASKED = re.compile(
    r"\b(?:is (?:this|that|it|everything|all (?:of )?(?:this|that)) (?:clear|understandable)|(?:does|did) (?:this|that|it|"
    r"all (?:of )?(?:this|that)) make sense|do you follow|are you with me|any questions|is (?:that|this|it) (?:right|correct)"
    r"|(?:have|did) i (?:got|get|understood|understand) (?:that|this|it|you|everything|your \w+) (?:right|correctly)"
    r"|am i right|did i get (?:that|this|it|everything) right)\b"
    # A recap that ends on a bare tag: "so: credit, air freight, call fri. right?"
    r"|(?:^|[\s,.;:])(?:right|correct|yeah|agreed|clear)\s*\?+\s*$",
    re.IGNORECASE,
)
# "Anything else you need?", "Did I forget something?": she asks for what is still open, or says it is covered.
ANYTHING_ELSE = re.compile(
    r"\b(?:anything|something) else\b|\bwhat else\b|\bdid (?:i|we) (?:forget|miss|leave out)\b|\bam i missing\b|"
    r"\banything (?:you need|you'd need|i can do|i can help|we can do)\b",
    re.IGNORECASE,
)
# A question that puts two things to her ("a call too, or is the written notice enough?"), and one that asks what
# she would rather (not "or not?", "a day or two?", "or something?").
EITHER_OR = re.compile(r"\bor\b(?!\s+(?:not|something|anything|so|two|three|whatever|else)\b)[^?]*\?\s*$", re.IGNORECASE)
PREFERENCE = re.compile(
    r"\b(?:would|do|did|will) you (?:want|prefer|rather|like|need|lean)|\b(?:should|shall) (?:i|we)\b|"
    r"\b(?:rather|better for you|work better|suit you|enough|matters? (?:most|more)|more important|helps? you (?:most|more)"
    r"|help you most|would help (?:most|more))\b", re.IGNORECASE)
# A courtesy question before the news: how she is, or whether she has a minute ("is now an ok time?").
COURTESY = re.compile(
    r"\b(?:how (?:are|r) (?:you|u|ya|things)|how(?:'s| is) (?:it going|things|your day|everything|life)|how (?:have|ve) "
    r"you been|how you doing|(?:do|have|did) you (?:got|have|get) (?:a|a few|two|a couple of|five|5) (?:minutes?|mins?|"
    r"secs?|seconds?|moments?)|(?:got|have) a (?:minute|min|sec|second|moment)|(?:is|would|'s) (?:now|this|it) (?:a |an )?"
    r"(?:good|ok|okay|bad|convenient|alright|all right|decent) (?:time|moment)|can you (?:talk|speak)(?: now)?\?|free to "
    r"(?:talk|chat)|is now (?:ok|okay|good|alright))",
    re.IGNORECASE,
)
# A question about her own organisation's time, numbers or people ("When do you next report to Linda?", "How many of
# your clerks run the first payment?"): she answers it is hers to handle, never "You tell me".
OWN_SIDE = re.compile(
    r"\b(?:when|how many|how much|how long|how often|who|what time|what day|which day|what date)\b[^?]*"
    r"\b(?:you|your|yours|they|them|their|he|him|his|she|her)\b",
    re.IGNORECASE,
)
# A question that asks what she makes of it, not a fact the rep should know: "u ok w this?", "are you happy with that?",
# "so you don't want the Thursday session at all?". She says where she stands; "How would I know? You tell me!" had
# answered a rep checking she was on board (a play-tester, 2026-12-04).
ASKS_HER_MIND = re.compile(
    r"\b(?:are|r) (?:you|u) (?:\w+ )?(?:ok|okay|alright|all right|good|happy|fine|comfortable|on board)\b"
    r"|\b(?:you|u) (?:ok|okay|good|happy|fine|alright)\s+(?:with|w|w/)\b"
    r"|\b(?:is|does) (?:that|this|it) (?:ok|okay|alright|all right|fine|work|suit) (?:with |for )?(?:you|u)\b"
    r"|\b(?:you|u) (?:don't|dont|do not|still|really|no longer) (?:want|need)\b"
    r"|\b(?:do|would) (?:you|u) (?:still |rather )?(?:want|prefer)\b",
    re.IGNORECASE,
)
# A question that asks for a day or a time ("Which day would suit you for the install?"): not a choice of option.
ASKS_A_TIME = re.compile(r"\b(?:which|what) (?:day|date|time|week|morning|afternoon)\b|\bwhen\b", re.IGNORECASE)
# A question about which option the buyer wants.
CHOICE_WORDS = ("which", "prefer", "rather", "would you like", "do you want", "go with", "works best", "suit",
                "fits best", "fit best", "best fit", "best for you", "pick", "preference", "makes most sense",
                "makes the most sense", "sounds best")
# How alike two replies must be (rapidfuzz ratio) for the second to repeat the first.
REPEAT_SIMILARITY = 90
REPEAT_MIN_WORDS = 3
# A goodbye is said in the reply's last sentence (or its last clause), and that is short.
GOODBYE_MAX_WORDS = 6
# Forgiveness is granted from this trust, below this temperature.
FORGIVES_TRUST, FORGIVES_BELOW = 50, 55
# After asking for the same thing this many turns running, she asks for something else still open first.
PRESSED_TURNS = 2
# What the buyer says when every way of asking for an open slot has been said already.
RE_ASKS = ("I'm asking again: {q}", "Once more: {q}", "{q} I still don't have an answer.")
# The same, when her last turn was about something else: she comes back to it, not "once more".
COMES_BACK = ("Back to my question: {q}", "Going back to what I asked: {q}", "{q} You still haven't answered that.")
# A few words with no behaviour in them ("ok", "right") are listening noises, not off-topic talk.
LISTENING_NOISE_WORDS = 3
# Heat added by each reply that still has not told the buyer what is wrong.
IMPATIENCE_HEAT = 6
# Extra lines of venting an interruption earns ("let me finish!"), at most this many in a call.
MAX_EXTRA_VENT = 2
# The facts that say what went wrong: a reply that restates one is the news (detect/facts.py).
NEWS_FACTS = frozenset({"cause"})
# Either tells the buyer what went wrong: a plain statement, or a new date that replaces the promised one.
NEWS = frozenset({"states_the_news", "resets_expectations"})
# What decided offers_options when a reply names two or more of the scenario's options: "the scenario's options: ...".
SCENARIO_OPTIONS = "the scenario's options"
ANSWERED = "in answer to her question"  # the phrase of a behaviour heard as the answer to what she asked
# A warning shot ("Dana, I'm afraid I have some bad news."): the news announced, not yet told.
ANNOUNCES_NEWS = re.compile(
    r"\b(?:(?:bad|tough|difficult|hard|unwelcome|unpleasant|disappointing|sad|not (?:so |very |really )?good) news"
    r"|some news|news (?:for you|to share|to give you)|something (?:i need|i have|i've got|i must|i should) to tell you"
    r"|(?:an?|one) (?:issue|problem|situation|snag|hiccup|complication)(?: with| about| on| regarding| to|\b))",
    re.IGNORECASE,
)
# Where the clause of the announcement ends.
CLAUSE_END = re.compile(r"[,;:.!?\u2014]|\s-+\s|\s(?:and|but|so|because)\s", re.IGNORECASE)
# Words that say what went wrong: a reply with one of them tells the news, however it opens.
WHAT_WENT_WRONG = re.compile(
    r"\b(?:late|later|delay\w*|slip\w*|behind|postpon\w*|push(?:ed|ing)? back|miss\w*|wrong|errors?|mistakes?"
    r"|fail\w*|short\w*|lost|los(?:e|ing)|cancel\w*|resign\w*|leav\w*|quit\w*|overbill\w*|overcharg\w*|double[- ]?book\w*"
    r"|back[- ]?order\w*|left out|forgot\w*|omitt?\w*|broke\w*|broken|damag\w*|defect\w*|recall\w*|no longer"
    r"|won'?t|will not|can'?t|cannot|couldn'?t|could not|didn'?t|did not|isn'?t|is not|aren'?t|are not|wasn'?t|was not"
    r"|weren'?t|haven'?t|hasn'?t|not (?:going|able|arriv\w*|ship\w*|mak\w*|be|happen\w*))\b",
    re.IGNORECASE,
)
# A buyer's statement this much restated by an earlier one of her turn is left out (at least this many words).
SAID_AGAIN_SHARE, SAID_AGAIN_WORDS = 0.75, 3
# Said in an earlier turn: a statement with no more than a fifth of its words new is left out, unless the next sentence
# points back to it ("My CFO reviews ... every month. What do I tell him?").
TOLD_BEFORE_SHARE = 0.8
# A question this short needs the sentence before it: "What about them?", "Then what?", "Is it safe?".
SHORT_QUESTION_WORDS = 4
# A question that is itself the plea ("Will you forgive us?"): asked again once she has forgiven, it gets her yes again.
FORGIVE_WORD = re.compile(r"\bforgiv", re.IGNORECASE)
# A plea for forgiveness is put to her when at most this many words follow it.
FORGIVENESS_LAST_WORDS = 6
# One-word sentences that only fill a pause or mark a turn: said once in a turn.
FILLERS = frozenset({"okay", "ok", "fine", "alright", "right", "next", "good", "well", "so", "hm", "hmm"})
POINTS_BACK = re.compile(r"\b(?:he|him|his|she|her|they|them|their)\b", re.IGNORECASE)
# The most one reply's good behaviours cool her and win her trust, summed: a paragraph that ticks every box does not
# take an angry buyer from 45/35 to calm and fully trusting at once (two play-testers, 2026-12-03).
MOST_CALMING_PER_REPLY, MOST_TRUST_PER_REPLY = 15, 15
# A reply that leaves her question unanswered does her this much of the good it does: she wanted her answer first.
ANSWER_FIRST = 0.5
DODGED = "her question not answered"  # the mood's cause for it, which the coaching note names too
# A rep who dodged her questions this many times, and left one unanswered, has not won her back however calm she is.
DODGES_NOT_WON_BACK = 2
# What a reply does that gives her nothing on a follow-up question of hers (one that asks no slot of the agenda: "And
# if October slips as well?"): feeling for her, saying sorry, thanking her, asking her forgiveness, stalling. Such a
# reply had cost nothing (two play-testers, 2026-12-03). Anything else is taken as an answer, even a poor one, and so is
# a reply the detector cannot classify (she may have been answered in words nobody wrote down), unless it only praises
# her custom or reassures.
NOT_ANSWERS = frozenset({"apologizes", "acknowledges_impact", "asks_forgiveness", "thanks_patience", "owns_it", "stalls",
                         "dismisses_feelings", "airs_dirty_laundry", "checks_understanding", "asks_about_impact",
                         "goes_over_their_head", "states_the_news"})
# How an answer to a question may open: yes, no, not, only, then ("And if it slips?" "Then you cancel, no penalty."),
# or end ("Credit doubles, then.").
ANSWER_OPENS = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|yea|no|nope|nah|sure|of course|absolutely|definitely|certainly|correct|exactly|not"
    r"|only|partly|mostly|probably|then|in that case|if (?:it|that|so|this|the|they|we|you)\b)\b"
    r"|[,;]\s*then\W*$",
    re.IGNORECASE,
)
# Another subject brought in: "btw the credit note goes out today", "Also, I want to mention ...".
CHANGES_SUBJECT = re.compile(
    r"\b(?:btw|by the way|on another note|on a separate note|on a different note|while i have you|one more thing"
    r"|(?:also|and) worth (?:saying|mentioning|knowing|noting)|(?:also|and) (?:a|one) (?:quick )?(?:thing|note) on\b"
    r"|(?:also|and),? (?:i|we) (?:also )?(?:want|wanted|need|have) to (?:mention|say|add|tell you|let you know))\b",
    re.IGNORECASE,
)
# Praise of her custom, or reassurance that says nothing: "you're one of our best customers", "trust me, it'll be fine".
ONLY_REASSURES = re.compile(
    r"\b(?:value|treasure|appreciate) (?:you|your (?:business|custom|partnership|loyalty)|the (?:partnership|relationship)"
    r"|working with you)\b|\bone of our (?:best|most valued|favourite|favorite|top|biggest|oldest|most important)\b"
    r"|\b(?:important|valued|loyal|key|great) (?:client|customer|partner|account)s?\b"
    r"|\b(?:trust me|leave it with me|rest assured|you can be sure|it'?ll (?:all )?be (?:fine|ok|okay|alright)"
    r"|(?:won'?t|will not|wont) let (?:you|u) down)\b",
    re.IGNORECASE,
)
# A follow-up question left unanswered is kept beside the agenda's slots under this mark and its words (no slot id
# holds a "?").
FOLLOW_UP = "?"
# The word that links a question to what she said before it ("And INV-20931?"): dropped when she asks it again.
LEADING_LINK = re.compile(r"^(?:and|so|but|also|then|plus|ok(?:ay)?|right|now|fine)\b[,.:]?\s+", re.IGNORECASE)
# A good thing said again does her this much of what it did the time before: a third "I'm sorry" is worth a quarter of the
# first. Four or five replies had taken an angry buyer to calm and fully trusting (a play-tester, 2026-12-03).
HEARD_BEFORE = 0.5
# Within this much of calm (temperature 0) or of full trust (100), a good reply's effect shrinks with the way left: she
# comes round, but a buyer let down does not end the call as if nothing had happened.
LAST_STRETCH = 50
# Outcome when the call ends by mood.
WON_BACK_TRUST, WON_BACK_BELOW = 60, 55
LOST_TRUST_BELOW, LOST_AT = 30, 80


@dataclass(frozen=True)
class Turn:
    """One line of the transcript."""

    index: int
    speaker: Speaker
    text: str
    stage: str
    mood: Mood
    detection: Detection | None = None
    move: MoodMove | None = None
    interrupted: bool = False  # talked over a venting buyer, for any reason (`talked_over` says which)
    during_vent: bool = False
    cut_off: bool = False  # the app saw this reply sent while the buyer's line was still being delivered
    talked_over: TalkedOver = ""
    asks: tuple[str, ...] = ()  # a buyer turn: the agenda slots it asks for
    answers: str | None = None  # a buyer turn: the slot or question it answers
    known: tuple[str, ...] = ()  # the agenda slots filled so far

    @property
    def behaviours(self) -> tuple[str, ...]:
        """The reply behaviours this seller turn showed (none for the buyer)."""
        return self.detection.behaviours if self.detection else ()

    @property
    def silent(self) -> bool:
        """Whether this seller turn was silence."""
        return self.detection is not None and self.detection.has("stays_silent")


class CallOver(RuntimeError):
    """A reply was sent after the call had ended."""


@dataclass
class Call:
    """A call between the trainee (seller) and a persona (buyer) in a scenario."""

    scenario: Scenario
    persona: Persona
    seed: int = 0
    choices: dict[str, str] = field(default_factory=dict)
    detector: Detector | None = None
    transcript: list[Turn] = field(default_factory=list, init=False)
    outcome: Outcome | None = field(default=None, init=False)
    ended_by: str | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        arc = self._arc = default_arc()
        stages = self.scenario.stages if self.scenario.stages is not None else arc.stages
        first = self.scenario.start_stage if self.scenario.stages is not None else arc.start_stage
        self._machine = StageMachine(stages, first)
        self._detector = self.detector or default_detector()
        self._lines = LinePicker(self.seed)
        self._values = placeholder_values(self.scenario)
        self._context = reply_context(self.scenario)
        self.mood = Mood(self.persona.start.temperature, self.persona.start.trust)
        self.agenda: Agenda = build_agenda(arc, self.scenario, self.persona)
        self._asked_by = {slot.id: slot.asked_by for slot in self.agenda.slots}
        self.offered: list[str] = []  # option and offer ids named so far, in order
        self.chosen: str | None = None  # the option the buyer took
        self._option_ids = frozenset(o.id for o in self.scenario.options)
        self._so_far: set[str] = set()
        self._shown: Counter[str] = Counter()  # how many replies so far showed each behaviour
        self._turns_in_stage = 0
        self._vent_lines = 0
        self._extra_vent = 0
        self._replies_without_news = 0
        self._warned = False  # the buyer has already said "one more like that and I hang up"
        self._forgiven = False  # she has said she forgives the rep: asked for support after, she does not say it again
        # Her questions a reply left unanswered, by slot, with the words she asked them in: she asks again, and does not
        # forgive while one stands.
        self._unanswered: dict[str, str] = {}
        self._dodges = 0  # replies that dodged a question of hers
        self._follow_up = ""  # her last line's follow-up question, asking no slot of the agenda ("In writing?")
        self._on_topic = False  # something about the problem has been said (news or not)
        self._announced = False  # the news was announced ("I have some bad news") and not yet told
        self._scenario_words = _scenario_words(self.scenario)
        # Who is on the call: "rachel its sam from the lakeshore grand. bad news im afraid" names no part of the news.
        people = (self.scenario.seller, self.scenario.buyer)
        self._names = frozenset(word for p in people for word in distinctive(f"{p.name} {p.company}"))
        # The scenario's own words: after "it's", a capitalised one is the subject ("It's Osaka"), not the rep's name.
        told = " ".join([fill(self.scenario.brief, self._values), *self.scenario.facts.values(),
                         *(o.text for o in (*self.scenario.options, *self.scenario.compensation))])
        self._own_words = frozenset(re.findall(r"[a-z]+", told.lower())) - set(self.scenario.seller.name.lower().split())

    # --- reading the call --------------------------------------------------------------
    @property
    def stage(self) -> str:
        """The stage the call is in."""
        return self._machine.state

    @property
    def stage_info(self) -> Stage:
        """The definition of the current stage."""
        return self._machine.stage

    @property
    def over(self) -> bool:
        """Whether the call has ended (an ending stage, a hang-up, or the trainee stopped)."""
        return self.outcome is not None

    @property
    def buyer_is_venting(self) -> bool:
        """Whether the buyer is venting: the next reply is judged for let_them_vent. Not once she has taken one of the
        options: she had picked one and asked for it confirmed, then answered the next reply "I'm not finished!" (a
        play-tester, 2026-12-03)."""
        return self.stage_info.venting and self.chosen is None

    @property
    def _dodged_lines(self) -> set[str]:
        """Her lines that say a reply did not answer her (`reactions.dodged`)."""
        return {c.text for c in items(self.persona.reactions.dodged, PERSONA)}

    @property
    def open_question(self) -> str:
        """Her question that asks no slot of the agenda and that the next reply should answer, in her words ('' when
        her last line asked none): a follow-up ("In writing?"), or a question after her choice or an answer."""
        return self._follow_up

    @property
    def _standing(self) -> list[str]:
        """Her unanswered questions that she still waits on: the agenda's, and the follow-up she has just asked (one she
        has moved on from stays unanswered, but no longer stands between the rep and her forgiveness)."""
        return [key for key in self._unanswered if not key.startswith(FOLLOW_UP) or key == FOLLOW_UP + self._follow_up]

    @property
    def unanswered(self) -> tuple[str, ...]:
        """Her questions that a reply left unanswered and that are still open, in her words, first asked first."""
        return tuple(self._unanswered.values())

    @property
    def news_given(self) -> bool:
        """Whether the buyer has been told what went wrong."""
        return bool(NEWS & self._so_far)

    @property
    def seller_turns(self) -> list[Turn]:
        """The trainee's replies, in order."""
        return [t for t in self.transcript if t.speaker == "seller"]

    # --- playing the call --------------------------------------------------------------
    def open(self) -> Turn:
        """The buyer picks up: their first line."""
        if self.transcript:
            raise RuntimeError("the call is already open")
        return self._buyer_says([self._stage_line(self._moment(frozenset(), ""))])

    def reply(self, text: str, *, interrupted: bool = False) -> Turn:
        """The seller says `text` ("" is silence); returns the buyer's answer.

        `interrupted` marks a reply sent while the buyer's line was still being delivered (the app
        knows, a script cannot).
        """
        if self.over:
            raise CallOver("the call has ended")
        if not self.transcript:
            self.open()
        detection = self._answered(text, self._options_named(text, self._detector.detect(text, self._context)))
        behaviours = frozenset(detection.behaviours)
        announced = self._only_announced(text, detection)
        if announced:  # "I have some bad news, Dana.": she asks what it is, and does not react to news not told
            behaviours -= {"states_the_news"}
            self._on_topic = self._announced = True
        silent = detection.has("stays_silent")
        during_vent = self.buyer_is_venting
        talked_over = _talked_over(behaviours, during_vent, interrupted, silent)
        offers = [] if silent else self._offers_in(text)
        last = next((t for t in reversed(self.transcript) if t.speaker == "buyer"), None)
        # A reason given is heard as one, even where the model overruled the phrase that found it for the score.
        reasons = {e.behaviour for e in detection.overruled} & GIVES_A_REASON
        newly = () if silent else self.agenda.fill(
            text, behaviours | reasons, frozenset(o.id for o in offers),
            asked=last.asks if last else (), question=last.text if last else "",
        )
        if WHEN_SLOT in newly and last is not None and WHEN_SLOT in last.asks and "resets_expectations" not in behaviours:
            detection = self._commitment_answered(text, detection, last)
            behaviours = frozenset(detection.behaviours)
        question = question_in(text)  # what the reply leaves her with: her answer, her mood and the stage all ask
        left = self._left_unanswered(text, behaviours, last, question, newly)
        # Feeling for her or saying sorry first puts her question off, once: the doctrine's order. Anything else, or a
        # second reply without her answer, dodges it.
        kindly = behaviours & FEELS_FOR_HER and behaviours <= LISTENING  # not thanks alone, nor facts alone
        dodged = bool(left) and not (kindly and not self._standing)
        move = self._move_for(behaviours, bool(talked_over), dodged=dodged)
        if dodged:
            self._dodges += 1
        self.mood = self.mood.moved(move.temperature, move.trust)
        repeated = not silent and self._repeats(text)
        self._so_far |= behaviours
        self._shown.update(behaviours)
        self._turns_in_stage += 1
        # Asked again, a question keeps the words she first asked it in.
        fresh = {slot: asked for slot, asked in left.items() if slot not in self._unanswered}
        answered = FOLLOW_UP + self._follow_up if self._follow_up and not silent and not left else ""
        # One she had moved on from is answered by a reply that takes it up ("yes, I'll hold the Riverside today").
        later = {key for key, asked in self._unanswered.items()
                 if key.startswith(FOLLOW_UP) and key not in left and not silent and answer_to(text, asked)}
        self._unanswered = {slot: asked for slot, asked in {**self._unanswered, **fresh}.items()
                            if slot not in self.agenda.known and slot != answered and slot not in later}
        name = None if silent else introduced_name(
            text, self.scenario.seller.company, self._values["buyer.first_name"], self._own_words)
        if name:
            self._values["seller.first_name"] = name  # she calls the rep what they called themselves
        self.offered += [offer.id for offer in offers if offer.id not in self.offered]
        unclear = False
        if not self.news_given:
            if announced:
                unclear = True
            elif self._off_topic(text, behaviours):
                self._replies_without_news += 1
            else:
                unclear = not (NEWS & behaviours)  # about the problem, but the buyer still has not heard it
        off_topic = self.news_given and not silent and not newly and self._drifting(text, behaviours, offers, question)
        self.transcript.append(Turn(
            len(self.transcript), "seller", text, self.stage, self.mood, detection, move, bool(talked_over),
            during_vent, cut_off=interrupted, talked_over=talked_over, known=tuple(self.agenda.known),
        ))
        if talked_over and self._extra_vent < MAX_EXTRA_VENT:
            self._extra_vent += 1
        heard = _Heard(text, behaviours, detection, talked_over, unclear, newly, offers, repeated, off_topic, question,
                       tuple(left), dodged)
        return self._answer(heard)

    def stop(self, reason: str = "trainee") -> None:
        """End the call now (the trainee hung up, or the script ran out); it is scored on what happened, and a buyer
        left before the call reached her questions, or left with one of them unanswered, is not won back."""
        if not self.over:
            outcome = self._outcome_by_mood()
            # However calm, she has not been won back: at best strained.
            left = self._before_the_questions() or self._left_asking()
            self.outcome = "strained" if outcome == "won_back" and left else outcome
            self.ended_by = reason

    def _left_asking(self) -> bool:
        """Whether the buyer spoke last and asked for something the call has not told her ("So what can you do?")."""
        last = self.transcript[-1] if self.transcript else None
        return last is not None and last.speaker == "buyer" and bool(set(last.asks).difference(self.agenda.known))

    def _before_the_questions(self) -> bool:
        """Whether the call is still in a stage the arc lists before its first asking stage (opening, venting)."""
        order = list(self._arc.stages)
        asking = [order.index(stage) for stage in self._arc.asking_stages if stage in order]
        return bool(asking) and self.stage in order and order.index(self.stage) < min(asking)

    # --- the buyer's side --------------------------------------------------------------
    def _answer(self, heard: _Heard) -> Turn:
        boiling = self.mood.temperature >= self.persona.hang_up_at
        if self._replies_without_news > self.persona.patience or (boiling and self._warned):
            self._machine.hang_up_now()
            self.outcome, self.ended_by = "lost", "buyer hung up"
            return self._buyer_says([self._say(items(self.persona.reactions.hang_up, PERSONA), heard)])
        # The first time they boil over they warn; a trainee who hears it can still save the call.
        warning = boiling and not self._warned
        self._warned = self._warned or boiling
        facts = ReplyFacts(
            behaviours=heard.behaviours,
            so_far=frozenset(self._so_far),
            silent="stays_silent" in heard.behaviours,
            vent_over=self._vent_over(),
            mood=self.mood,
            turns_in_stage=self._turns_in_stage,
            goodbye=self._goodbye(heard.text),
            question=bool(heard.question),
        )
        changed = self._machine.advance(facts)
        if changed:
            self._turns_in_stage = 0
        ending = self.stage_info.ending
        if ending:
            self.outcome = self._outcome_by_mood() if ending == "by_mood" else ending
            # Her wrap-up, not the rep's: a reply that covered the close (a promise of updates, thanks) can end the
            # call before a goodbye was meant ("I did not close it", a play-tester, 2026-12-03).
            self.ended_by = "you said goodbye" if facts.goodbye else (
                f"{self._values['buyer.first_name']} wrapped up the call" if self.stage == "ended"
                else f"the call reached its end ({self.stage})")
        moment = self._moment(heard.behaviours, heard.text)
        reactions = self.persona.reactions
        if warning:
            reaction = self._say(items(reactions.last_warning, PERSONA), heard)
        else:
            reaction = self._reaction(heard, changed)
        # Off the subject, a question gets no answer: she steers back to what she needs.
        # Talked over while she vents, she answers nothing yet ("Hold on, I haven't finished." and no "I'm not sure").
        answer = None if heard.off_topic or heard.talked_over else self._reply_to(heard)
        answer = answer or (None if heard.talked_over else self._heard_line(heard, moment))
        if answer and reaction and not warning and not heard.talked_over and _is_good_reaction(heard):
            reaction = None  # the answer is the acknowledgement
        parts = [reaction, answer]
        asking = self.stage in self._arc.asking_stages
        insisting = None if ending else self._insist(heard, reaction)
        if ending:
            parts.append(self._stage_line(moment))
        elif insisting:
            parts.append(insisting)  # her question again, whatever the stage: she still wants her answer
        elif answer and not asking and not heard.unclear:
            pass  # venting or closing: the answer is the whole turn
        elif answer and answer.text.rstrip().endswith("?"):
            pass  # the answer asks its own question
        elif reaction and reaction.text.rstrip().endswith("?") and not self.news_given:
            pass  # "What is it?" already asks for the news
        else:
            # What she has just said in this turn counts as said: "A note I can forward would help." is not followed
            # by "Okay. Put that in writing for me." (`not_said:`).
            saying = replace(moment, replies=(*moment.replies, *(part.text for part in parts if part)))
            parts.append(self._clarify(heard) if heard.unclear else self._stage_line(saying))
        if heard.dodged and not insisting and not ending and reaction is not None and reaction.text in self._dodged_lines \
                and self._moves_on(parts[-1], heard.left):
            # She lets it drop for now (she has asked it twice running): "That's not an answer." said before a new
            # question or a remark of hers would point at that one ("You haven't answered my question, though. What are
            # my options?", a play-tester). The dodge still costs, and the coaching note says so.
            parts[0] = None
        if ending and self.stage != HUNG_UP:
            # Saying goodbye, she does not first say "Answer the question." ("Answer the question. Fine. Thank you.",
            # seen in the app, 2026-12-04), nor ask a follow-up she will get no answer to ("Is that a real date, or does
            # it depend on the next batch? Thanks, Owen. Talk soon."): the dodge still costs, and the debrief names it.
            if reaction is not None and reaction.text in self._dodged_lines:
                parts[0] = None
            if answer is not None and answer.follows_up and answer.text.rstrip().endswith("?"):
                parts[1] = None
        if not any(part and part.text for part in parts) and not ending and "stays_silent" not in heard.behaviours:
            # Nothing left to ask, and the reply needed no answer: she acknowledges it rather than fall silent.
            parts.append(self._say(items(reactions.good, PERSONA), heard, again=True))
        return self._buyer_says(parts, processing=self._processing(heard.detection))

    def _buyer_says(self, parts: list[_Part | None], *, processing: bool = False) -> Turn:
        if self.stage_info.venting:
            self._vent_lines += 1
        kept = [part for part in parts if part and part.text]
        if band_at_least(self.mood.band, self.persona.speech.short_when) and len(kept) > 2:
            kept = kept[1:]  # short of temper: the reaction goes, the answer and the question stay
        said = list(dict.fromkeys(sentence for part in kept for sentence in sentences(fill(part.text, self._values))))
        # A line may say again what an earlier part of her turn said, in other words ("So far 96 have booked rooms
        # through your link. ... I have 96 people who've already booked rooms through your link."): she says it once.
        said = [sentence for i, sentence in enumerate(said) if not _said_again(sentence, said[:i])]
        # Nor does she say again what she told the rep in an earlier turn ("My CFO reviews purchase-price variance
        # line by line every month.", three times in one call), unless it is all she has to say.
        before = [distinctive(sentence) for turn in self.transcript if turn.speaker == "buyer"
                  for sentence in sentences(turn.text)]
        insisted = {sentence for part in kept if part.insists for sentence in sentences(fill(part.text, self._values))}
        said = [sentence for i, sentence in enumerate(said)
                if sentence in insisted or not _told_before(sentence, before)
                or (i + 1 < len(said) and POINTS_BACK.search(said[i + 1]))] or said
        said = _without_stray_fillers(said)
        text = self._speak(" ".join(said))
        if processing and text and not text.startswith(("...", "\u2026")):
            text = "... " + text
        asks = tuple(dict.fromkeys(slot for part in kept for slot in part.asks))
        self._follow_up = "" if asks else _follow_up_in(kept, said, self._values)
        answers = next((part.answers for part in parts if part and part.answers), None)
        turn = Turn(
            len(self.transcript), "buyer", text, self.stage, self.mood,
            asks=asks, answers=answers, known=tuple(self.agenda.known),
        )
        self.transcript.append(turn)
        return turn

    def _moment(self, behaviours: frozenset[str], text: str) -> Moment:
        return Moment(
            known=frozenset(self.agenda.known), agenda=frozenset(self.agenda.ids), offered=frozenset(self.offered),
            behaviours=behaviours, reply=text, mood=self.mood,
            options_named=sum(1 for o in self.scenario.options if o.id in self.offered), chosen=self.chosen,
            options=self._option_ids, replies=tuple(t.text for t in self.transcript if t.speaker == "seller"),
        )

    def _say(self, pool: list[Candidate], heard: _Heard | None = None, *, answers: str | None = None,
             again: bool = False) -> _Part | None:
        """The best line of a pool, said (None when every line of it has been said, unless it may be said `again`)."""
        moment = self._moment(heard.behaviours if heard else frozenset(), heard.text if heard else "")
        best = self._lines.best(pool, moment) or (self._lines.best(pool, moment, fresh_only=False) if again else None)
        return _Part(self._lines.take(best), (), answers) if best else None

    def _stage_line(self, moment: Moment) -> _Part | None:
        """The buyer's line for this stage: in an asking stage, the most pressing open slot of the agenda."""
        band = self.mood.band
        pool = [
            *candidates(self.scenario.lines.get(self.stage), band, SCENARIO),
            *candidates(self.persona.lines.get(self.stage), band, PERSONA),
            *candidates(self._arc.lines.get(self.stage), band, DEFAULT),
        ]
        usable = [c for c in pool if not set(self._asks(c)) & moment.known]
        if self.stage not in self._arc.asking_stages:
            best = self._lines.best(usable, moment)
            return _Part(self._lines.take(best), self._asks(best)) if best else None
        # A follow-up written for this moment (an option just offered, a word the rep used) may come first.
        follow_ups = [
            c for c in usable
            if not self._asks(c) and c.when.specificity > 0
            # she may have chosen in this very turn, after `moment` was read: `holds` cannot know it yet
            and (self.chosen is None or not c.when.offered or self.chosen in c.when.offered)
        ]
        wanted = [slot for slot in self.agenda.open if holds(slot.when, moment)]  # what she needs to know, yet
        # A question a reply dodged comes first: she does not let it drop (a play-tester's dodges went unasked again).
        wanted.sort(key=lambda slot: slot.id not in self._unanswered)
        # Asked in each of her last turns and still open: she asks for something else first, then comes back.
        pressed = [slot for slot in wanted if self._pressed(slot.id)]
        for slot in [*(s for s in wanted if s not in pressed), *pressed]:
            # A slot's own asking lines ask for that slot, whatever other words they use.
            own = [
                replace(c, asks=c.asks if c.asks is not None else (slot.id,))
                for rank, lines in slot.ask for c in candidates(lines, band, rank)
            ]
            asking = [c for c in usable + own if slot.id in self._asks(c) and not set(self._asks(c)) & moment.known]
            best = self._lines.best(asking + follow_ups, moment)
            if best is not None:
                return _Part(self._lines.take(best), self._asks(best), follows_up=best in follow_ups)
            if self._asked_before(slot.id):
                return self._re_ask(slot.id, asking, moment)
        best = self._lines.best([c for c in usable if not self._asks(c)], moment)
        return _Part(self._lines.take(best), (), follows_up=best in follow_ups) if best else None

    def _insist(self, heard: _Heard, reaction: _Part | None) -> _Part | None:
        """A reply left her question unanswered: she asks it again, in the words she asked it in. Put off by a reply that
        felt for her, or after her "That's not what I asked." (`reactions.dodged`), the question alone; otherwise "I'm
        asking again: ..." and the like."""
        # Dodged again after asking twice running, she asks for something else first (`_pressed`), and comes back to it.
        slot = next((slot for slot in heard.left if slot in self._unanswered and not self._pressed(slot)), None)
        if slot is None:
            return None
        asked = self._unanswered[slot]
        # Her own follow-up question is asked again as she asked it: no slot's lines ask it in other words.
        follow_up = slot.removeprefix(FOLLOW_UP) if slot.startswith(FOLLOW_UP) else ""
        asks = () if follow_up else (slot,)
        if not heard.dodged:  # put off: she asks again, in words not said yet if she has them
            fresh = None if follow_up else self._fresh_ask(slot)
            if fresh is not None or follow_up:
                return fresh or _Part(asked, insists=True, follows_up=True, question=follow_up)
        if reaction is not None and reaction.text in self._dodged_lines:
            return _Part(asked, asks, insists=True, follows_up=bool(follow_up), question=follow_up)
        again = next((t.format(q=asked) for t in RE_ASKS if t.format(q=asked) not in self._lines.said), asked)
        self._lines.said.add(again)
        return _Part(again, asks, insists=True, follows_up=bool(follow_up), question=follow_up)

    def _fresh_ask(self, slot_id: str) -> _Part | None:
        """One of the slot's own asking lines not said yet in this call, or None."""
        slot = self.agenda.slot(slot_id)
        if slot is None:
            return None
        own = [replace(c, asks=c.asks if c.asks is not None else (slot.id,))
               for rank, lines in slot.ask for c in candidates(lines, self.mood.band, rank)]
        best = self._lines.best(own, self._moment(frozenset(), ""))
        return _Part(self._lines.take(best), (slot.id,), insists=True) if best else None

    def _pressed(self, slot_id: str) -> bool:
        """Whether she asked for this slot (or this follow-up question) in each of her last PRESSED_TURNS turns."""
        said = [turn for turn in self.transcript if turn.speaker == "buyer" and turn.text][-PRESSED_TURNS:]
        if slot_id.startswith(FOLLOW_UP):
            asked = self._unanswered.get(slot_id, slot_id.removeprefix(FOLLOW_UP)).lower()
            return len(said) == PRESSED_TURNS and all(asked in turn.text.lower() for turn in said)
        return len(said) == PRESSED_TURNS and all(slot_id in turn.asks for turn in said)

    def _moves_on(self, part: _Part | None, left: tuple[str, ...]) -> bool:
        """Whether the last part of her turn leaves the question just dodged: a question she has not asked before, or a
        remark, rather than that question or one she asked before, asked again."""
        if part is None or part.insists or set(part.asks) & set(left):
            return False
        return not any(self._asked_before(slot) for slot in part.asks)

    def _asked_before(self, slot_id: str) -> bool:
        return any(slot_id in turn.asks for turn in self.transcript if turn.speaker == "buyer")

    def _asks(self, candidate: Candidate) -> tuple[str, ...]:
        asked = tuple(slot for slot in asked_slots(candidate, self._asked_by) if slot in self.agenda.ids)
        if candidate.asks is None and not asked and not self.news_given and "?" in candidate.text:
            return ("news",) if "news" in self.agenda.ids else ()  # before the news, any question asks for it
        return asked

    def _re_ask(self, slot: str, pool: list[Candidate], moment: Moment) -> _Part | None:
        """Every way of asking has been said: the buyer insists, in words not used yet."""
        first = self._lines.best(pool, moment, fresh_only=False)
        if first is None:
            return None
        said = [turn for turn in self.transcript if turn.speaker == "buyer" and turn.text]
        question = _sentence_case(LEADING_LINK.sub("", first.text))  # "And this invoice?" asked again: "This invoice?"
        just_asked = bool(said) and (slot in said[-1].asks or question.lower() in said[-1].text.lower())
        for template in RE_ASKS if just_asked else COMES_BACK:
            text = template.format(q=question)
            if text not in self._lines.said:
                self._lines.said.add(text)
                return _Part(text, (slot,))
        return None

    def _clarify(self, heard: _Heard) -> _Part | None:
        """A reply about the problem that did not say what went wrong: the buyer asks, rather than moving on."""
        moment = self._moment(heard.behaviours, heard.text)
        news = self.agenda.slot("news")
        band = self.mood.band
        reactions = self.persona.reactions
        best = self._lines.best(items(reactions.announced, PERSONA), moment) if self._announced else None
        pool = items(reactions.clarify, PERSONA)
        best = best or self._lines.best(pool, moment)
        if best is None and news is not None:  # every clarifying line said: ask for the news another way
            pool = [c for rank, lines in news.ask for c in candidates(lines, band, rank)]
            best = self._lines.best(pool, moment)
            if best is None:
                return self._re_ask(news.id, pool, moment)
        if best is None:
            return None
        return _Part(self._lines.take(best), ("news",) if news is not None else ())

    def _heard_line(self, heard: _Heard, moment: Moment) -> _Part | None:
        """The buyer takes up what was just said: the option they choose, or a line about a slot just filled.
        Not while she vents: a question there would invite the rep to talk over her."""
        if self.buyer_is_venting:
            return None
        named = [o for o in self.scenario.options if o.id in self.offered]
        if self.chosen is None and len(named) >= 2:  # two or more on the table (now, or while she vented)
            return self._choose(heard)
        best = self._slot_heard(heard, moment)
        return _Part(self._lines.take(best), (), follows_up=True) if best is not None else None

    def _slot_heard(self, heard: _Heard, moment: Moment) -> Candidate | None:
        """Her line about the first slot this reply filled that has one left to say (not yet taken)."""
        for slot_id in heard.newly:
            best = self._lines.best(self._heard_lines(slot_id), moment)
            if best is not None:
                return best
        return None

    def _heard_of(self, slot_id: str, heard: _Heard) -> _Part | None:
        """Her line about a slot's answer (its `heard:` lines, not said yet), as the answer to the rep's question."""
        best = self._lines.best(self._heard_lines(slot_id), self._moment(heard.behaviours, heard.text))
        return _Part(self._lines.take(best), (), QUESTION) if best is not None else None

    def _heard_lines(self, slot_id: str) -> list[Candidate]:
        """A slot's `heard:` lines at her mood now: what she says once it is answered."""
        slot = self.agenda.slot(slot_id)
        return [c for rank, lines in (slot.heard if slot else ()) for c in candidates(lines, self.mood.band, rank)]

    def _choose(self, heard: _Heard | None) -> _Part | None:
        """The buyer takes one of the options offered: the persona's kind first, else the first offered."""
        offered = [o for o in self.scenario.options if o.id in self.offered]
        if not offered:
            return None
        if self.chosen is not None:
            taken = next(o for o in self.scenario.options if o.id == self.chosen)
            said = self._say(_naming(self.persona.reactions.chosen_already, taken), heard, answers=CHOICE)
        else:
            prefers = self.persona.prefers
            pick = next((o for o in offered if prefers and prefers in o.traits), offered[0])
            self.chosen = pick.id
            generic = _naming(self.persona.reactions.choose, pick)
            said = self._say(items(pick.picked, SCENARIO) + generic, heard, answers=CHOICE)
        return replace(said, follows_up=True) if said else None  # "The refund, then. Will you send me the remittance?"

    def _forgive(self, heard: _Heard, answers: str) -> _Part | None:
        """Her answer to "will you forgive me?" or "can I count on your support?": yes once she trusts the rep enough
        and has cooled down enough, not yet before. A yes said is remembered."""
        reactions = self.persona.reactions
        if self._forgiven:  # asked again once forgiven: a plain yes, not "Apology accepted" a second time
            return self._say(items(reactions.good, PERSONA), heard, answers=answers, again=True)
        # Not while a question of hers stands unanswered: she asks it again instead.
        forgives = (self.mood.trust >= FORGIVES_TRUST and self.mood.temperature < FORGIVES_BELOW
                    and not self._standing)
        part = self._say(items(reactions.forgives if forgives else reactions.not_yet, PERSONA), heard, answers=answers)
        self._forgiven = self._forgiven or (forgives and part is not None)
        return part

    def _reply_to(self, heard: _Heard) -> _Part | None:
        """The buyer's answer to what the rep asked: forgiveness, the scenario's own answers, a choice between the
        options, the impact, understanding, and anything else. A reply that goes on after its question has
        answered it itself; small talk gets no answer."""
        reactions = self.persona.reactions
        behaviours = heard.behaviours
        # Once forgiven, a question after the plea is what she answers; asked again ("Will you forgive us?"), she says
        # yes again, not "That's your job to find out, not mine." (a play-tester, 2026-12-04).
        again = self._forgiven and heard.question and not FORGIVE_WORD.search(heard.question)
        if "asks_forgiveness" in behaviours and not again and _asks_to_be_forgiven(heard):
            return self._forgive(heard, FORGIVENESS)
        question = heard.question
        if question and SUPPORT_REQUEST.search(question):
            # "Can I count on your support for Monday?": the close the doctrine asks for, answered as she feels; once
            # she has forgiven the rep, a plain yes ("Okay.") rather than "Apology accepted" a second time.
            return self._forgive(heard, QUESTION)
        if "stalls" in behaviours:
            return None
        if question and not self.news_given and COURTESY.search(question):  # "How are you doing today?"
            return self._say(items(reactions.greeting, PERSONA), heard, answers=QUESTION, again=True)
        if question and MEANS.match(question):  # checking what she meant: a yes, before any answer by its words
            return self._say(items(reactions.confirms, PERSONA), heard, answers=QUESTION)
        if question and EITHER_OR.search(question) and self.news_given:
            # Two things put to her: an option on the table among them is her choice; else she says what she'd rather.
            if any(o.id in self.offered for o in self._offers_in(question)):
                chosen = self._choose(heard)
                if chosen:
                    return chosen
            elif PREFERENCE.search(question):
                part = self._say(items(reactions.either, PERSONA), heard, answers=QUESTION, again=True)
                if part:
                    return part
        offer = bool(question and (PROPOSAL_TAG.search(question) or SHORT_TAG.match(question)))
        if offer and not self.buyer_is_venting:
            # An offer that gives her what she needed ("a note for Linda tonight, want that?"): her line about it.
            best = self._slot_heard(heard, self._moment(behaviours, heard.text))
            if best is not None:
                return _Part(self._lines.take(best), (), QUESTION)
        if offer or _proposes(question):  # a yes may be said twice in a call: better than no answer to an offer
            return self._say(items(reactions.agree, PERSONA), heard, answers=QUESTION, again=True)
        # "Is the phase-in still what you want?": the option she took, asked about, is her choice said again.
        if question and self.chosen is not None and any(o.id == self.chosen for o in self._offers_in(question)):
            return self._choose(heard)
        asked = " ".join(_asking_part(said) for said in sentences(heard.text) if said.endswith("?")) if question else ""
        for answer in self.scenario.answers:  # any question of the reply: "Maybe your accounts payable? Who is it?"
            if question and any(_asks_about(asked or question, words) for words in answer.about):
                part = self._say(items([answer.text], SCENARIO), heard, answers=QUESTION)
                if part:
                    return part
        # "Which do you want?", or any question after two or more options in the same breath ("... or a flat
        # bundle. What fits?"): she takes one.
        listed = sum(1 for offer in heard.offers if offer in self.scenario.options)
        if question and self.offered and (listed >= 2 or (any(w in plain(question) for w in CHOICE_WORDS)
                                                          and not ASKS_A_TIME.search(question))):
            chosen = self._choose(heard)
            if chosen:
                return chosen
        if question and BOSS_HELP.search(question):
            # "Is there anything your boss will need from me to explain this?": help with the people above her, offered.
            # She had answered "How would I know? You tell me!" (a play-tester, 2026-12-03).
            return self._heard_of(POSITION_SLOT, heard) or self._say(items(reactions.agree, PERSONA), heard,
                                                                      answers=QUESTION, again=True)
        if "asks_about_impact" in behaviours or (question and IMPACT_ASKED.search(question)):
            pool = items(self.scenario.impact, SCENARIO) + items(reactions.impact, PERSONA)
            return self._say(pool, heard, answers=IMPACT)
        if question and ANYTHING_ELSE.search(question):
            # What is still open is her answer (the stage line asks for it); with nothing open, it is covered.
            if self.agenda.open and self.stage in self._arc.asking_stages:
                return _Part("", (), UNDERSTANDING)
            return self._say(items(reactions.covered, PERSONA), heard, answers=UNDERSTANDING)
        if question and ASKS_HER_MIND.search(question) and self.chosen is not None:
            return self._choose(heard)  # what she wants is the option she took: she says it again
        if "checks_understanding" in behaviours or (question and (UNDERSTANDING_ASKED.search(question)
                                                                  or ASKS_HER_MIND.search(question))):
            # They confirm; the open item, if any, is what they ask next.
            return self._say(items(reactions.understood, PERSONA), heard, answers=UNDERSTANDING) or _Part(
                "", (), UNDERSTANDING)
        if not question:
            return None
        # "Would it help if I wrote Linda a note? When do you next see her?": the offer is what she answers.
        if any(_proposes(asking) for asking in sentences(heard.text)[:-1] if asking.endswith("?")):
            return self._say(items(reactions.agree, PERSONA), heard, answers=QUESTION, again=True)
        # "When do you next report to her?", "How many of your clerks run the first payment?": her own side, which
        # she does not throw back at the rep ("You tell me!") and does not need to spell out.
        if OWN_SIDE.search(question):
            return self._say(items(reactions.own_side, PERSONA), heard, answers=QUESTION)
        return self._say(items(reactions.unsure, PERSONA), heard, answers=QUESTION)

    def _reaction(self, heard: _Heard, stage_changed: bool) -> _Part | None:
        reactions = self.persona.reactions
        # The worst thing said gets the answer: bad behaviours before good ones, heaviest penalty first.
        bad = [b for b in sorted(heard.behaviours, key=lambda b: (-BY_ID[b].default_weight, b)) if not BY_ID[b].good]
        if heard.talked_over == "cut_off":
            part = self._say(items(reactions.interrupted, PERSONA), heard)
            if part:
                return part
        if heard.off_topic:
            part = self._say(items(reactions.off_topic, PERSONA), heard)
            if part:
                return part
        for behaviour in bad:  # "calm down" over the vent is answered as "calm down"
            part = self._say(items(reactions.by_behaviour.get(behaviour, []), PERSONA), heard)
            if part:
                return part
        if heard.talked_over:
            part = self._say(items(reactions.defended or reactions.interrupted, PERSONA), heard)
            if part:
                return part
        if heard.repeated:
            return self._say(items(reactions.repeated, PERSONA), heard)
        if heard.dodged:
            part = self._say(items(reactions.dodged, PERSONA), heard)
            if part:
                return part
        if bad:
            part = self._say(items(reactions.bad, PERSONA), heard)
            if part:
                return part
        good = [b for b in heard.behaviours if b != "stays_silent" and BY_ID[b].good]
        if good and not stage_changed and not heard.newly and self.stage != HUNG_UP:
            return self._say(items(reactions.good, PERSONA), heard)
        return None

    def _speak(self, text: str) -> str:
        """The persona's voice at this mood: fewer sentences when angry, capitals when furious."""
        speech = self.persona.speech
        band = self.mood.band
        if band_at_least(band, speech.shout_when):
            sentences = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)
            sentences[0] = sentences[0].upper()
            text = " ".join(sentences)
        return text

    def _processing(self, detection: Detection) -> bool:
        """The seller apologised and then hushed: the buyer takes a moment before answering."""
        if not self.persona.speech.pause_when_processing or not detection.has("stays_silent"):
            return False
        replies = self.seller_turns
        return len(replies) >= 2 and bool({"apologizes", "asks_forgiveness"} & set(replies[-2].behaviours))

    # --- the rules ---------------------------------------------------------------------
    def _move_for(self, behaviours: frozenset[str], interrupting: bool, *, dodged: bool = False) -> MoodMove:
        causes: list[tuple[str, int, int]] = []
        heard = [0, 0]  # what good things said before take back of their effect
        early = [0, 0]  # what she is not ready to hear while she vents
        waiting = [0, 0]  # what she takes back of a reply that left her question unanswered
        venting = self.buyer_is_venting and "stays_silent" not in behaviours
        for behaviour in sorted(behaviours):
            if behaviour == "stays_silent" or (behaviour in NEWS and behaviour in self._so_far):
                continue  # the news lands once: saying it again is not news
            effect = effect_of(self.persona, behaviour)
            if effect.temperature or effect.trust:
                causes.append((behaviour, effect.temperature, effect.trust))
            if not BY_ID[behaviour].good:
                continue
            if venting and behaviour not in LISTENING:
                early[0] -= effect.temperature
                early[1] -= effect.trust
            else:
                kept = HEARD_BEFORE ** self._shown[behaviour]
                heard[0] -= effect.temperature - round(effect.temperature * kept)
                heard[1] -= effect.trust - round(effect.trust * kept)
                if dodged:
                    waiting[0] -= round(effect.temperature * kept) - round(effect.temperature * kept * ANSWER_FIRST)
                    waiting[1] -= round(effect.trust * kept) - round(effect.trust * kept * ANSWER_FIRST)
        for cause, (temperature, trust) in (("not ready to hear it yet", early), ("heard it before", heard)):
            if temperature or trust:
                causes.append((cause, temperature, trust))
        if dodged:
            effect = self.persona.dodged
            causes.append((DODGED, effect.temperature + waiting[0], effect.trust + waiting[1]))
        if "stays_silent" in behaviours and not self.buyer_is_venting:
            silence = self.persona.silence
            if silence.temperature or silence.trust:
                causes.append(("silence", silence.temperature, silence.trust))
        if interrupting:
            effect = self.persona.interrupting
            causes.append(("interrupting the vent", effect.temperature, effect.trust))
        if not (NEWS & (self._so_far | behaviours)) and self._off_topic_so_far(behaviours):
            causes.append(("still no news", IMPATIENCE_HEAT, 0))
        # One reply, however many good things it packs in, wins her over only so far: she needs to hear it land.
        taken_back = (early[0] + heard[0] + waiting[0], -(early[1] + heard[1] + waiting[1]))
        calming = max(0, -sum(c[1] for c in causes if c[1] < 0) - taken_back[0] - MOST_CALMING_PER_REPLY)
        winning = max(0, sum(c[2] for c in causes if c[2] > 0) - taken_back[1] - MOST_TRUST_PER_REPLY)
        if calming or winning:
            causes.append(("one reply can only do so much", calming, -winning))
        # The last stretch is the hardest: near calm and full trust, a good reply moves her in proportion to the way left.
        heat, won = sum(c[1] for c in causes), sum(c[2] for c in causes)
        still = (heat - round(heat * min(1.0, self.mood.temperature / LAST_STRETCH)) if heat < 0 else 0,
                 won - round(won * min(1.0, (100 - self.mood.trust) / LAST_STRETCH)) if won > 0 else 0)
        if any(still):
            causes.append(("she stays a little wary", -still[0], -still[1]))
        if self.persona.cooling:
            causes.append(("time to cool down", -self.persona.cooling, 0))
        return MoodMove(sum(c[1] for c in causes), sum(c[2] for c in causes), tuple(causes))

    def _off_topic(self, text: str, behaviours: frozenset[str]) -> bool:
        """Whether a reply before the news tries the buyer's patience: stalling, or nothing about the problem.

        A reply the detector could not classify but that is about the problem (it shows a good behaviour or
        uses the scenario's own words) does not; nor does silence once something about the problem was said.
        """
        if "stays_silent" in behaviours:
            return not self._on_topic
        if "stalls" in behaviours:
            return True
        if any(BY_ID[b].good for b in behaviours) or self._uses_scenario_words(text):
            self._on_topic = True
            return False
        return True

    def _options_named(self, text: str, detection: Detection) -> Detection:
        """Two or more of the scenario's own options on the table put choices in front of her, however they are
        worded: offers_options, with the options as its evidence, in the reply that named them all or that named a
        new one beside one offered before. A labelled list ("1) air freight 2) the MCU-221") had been counted as
        three options offered and, in the same debrief, as options never offered; so had two options offered one
        reply apart ("2 options offered", and "Offer options: you never did this" as the first thing to fix)."""
        if detection.has("offers_options"):
            return detection
        named = [o for o in self.scenario.options if mentions(text, o)]
        before = [o for o in self.scenario.options if o.id in self.offered and o not in named]
        if len(named) < 2 and not (before and any(o.id not in self.offered for o in named)):
            return detection
        names = ", ".join([*(fill(o.spoken_name, self._values) for o in named),
                           *(f"{fill(o.spoken_name, self._values)} (offered before)" for o in before)])
        found = Evidence("offers_options", text, f"{SCENARIO_OPTIONS}: {names}", 1.0, 1.0, 0, len(text),
                         layer="scenario")
        return replace(detection, evidence=(*detection.evidence, found))

    def _answered(self, text: str, detection: Detection) -> Detection:
        """Her question answered in a few words, heard as what it answers, with her question as its evidence. A time
        given when she asked when the new date is ("Today. Within the hour." to "When do I see the corrected
        figures?") is a new commitment (resets_expectations); the words for her boss, or a note to hand on, when she
        asked what to tell him ("Tell him: ...", "For Paul, I prepare a one page note"), help her position the
        news. Said so briefly, the reply alone had not been heard as either, and the debrief said "You never did
        this"."""
        last = next((t for t in reversed(self.transcript) if t.speaker == "buyer"), None)
        if last is None:
            return detection
        asked = next((q for q in reversed(sentences(last.text)) if q.endswith("?")), "")
        found = list(detection.evidence)
        for behaviour, slot, given in (("resets_expectations", "when", time_answered),
                                       ("helps_position_news", "position", words_given)):
            said = given(asked, text) if slot in last.asks and not detection.has(behaviour) else ""
            if said:
                start = text.find(said)
                found.append(Evidence(behaviour, said, f"{ANSWERED}: {asked}", 1.0, 1.0, start, start + len(said),
                                      layer="rule"))
        return replace(detection, evidence=tuple(found)) if len(found) > len(detection.evidence) else detection

    def _commitment_answered(self, text: str, detection: Detection, last: Turn) -> Detection:
        """Her question about the date, answered as the agenda heard it ("yes the dates stand, 14 to 16 may" to "Do 14
        to 16 May still stand or not?"): a new, realistic commitment (resets_expectations), with her question as its
        evidence. A promise to call back with a date is not one. A rep who had answered that question was told "Reset
        expectations: You never did this" (2026-12-03)."""
        slot = self.agenda.slot(WHEN_SLOT)
        asked = _her_question(last)
        answer = slot.answer_in(text, asked) if slot is not None else ""
        if not answer or comes_back(answer):
            return detection
        start = text.find(answer)
        found = Evidence("resets_expectations", answer, f"{ANSWERED}: {asked}", 1.0, 1.0, start, start + len(answer),
                         layer="rule")
        return replace(detection, evidence=(*detection.evidence, found))

    def _only_announced(self, text: str, detection: Detection) -> bool:
        """Whether a reply heard as the news only announces it ("I'm afraid I have bad news about your order."): no
        word of what went wrong, none of the scenario's own words, no cause, no new date and no fix."""
        announcing = ANNOUNCES_NEWS.search(text)
        if self.news_given or announcing is None or not detection.has("states_the_news"):
            return False
        told = {"explains_cause", "resets_expectations", "corrective_action", "offers_options"}
        # What it is about may be named ("some difficult news about lot 24-0871"): the rest must say nothing more.
        clause_end = CLAUSE_END.search(text, announcing.end())
        rest = text[: announcing.start()] + (text[clause_end.start():] if clause_end else "")
        if told & set(detection.behaviours) or WHAT_WENT_WRONG.search(text) or (
                distinctive(rest) - self._names) & self._scenario_words:
            return False
        return not any(e.phrase.startswith(SCENARIO_FACT) for e in detection.evidence if e.behaviour == "states_the_news")

    def _drifting(self, text: str, behaviours: frozenset[str], offers: list[Offer], question: str) -> bool:
        """After the news: small talk, or a statement with nothing in it about the problem (not a listening noise)."""
        if not behaviours <= {"stalls"} or offers or self._uses_scenario_words(text):
            return False
        if "stalls" not in behaviours and self._takes_her_up(text):
            return False
        if question and "stalls" not in behaviours:
            return False  # a question gets an answer, if only "I don't know, you tell me"
        return (len(text.split()) > LISTENING_NOISE_WORDS and not self._goodbye(text) and not THANKS.search(text)
                and not GO_ON.search(text))

    def _off_topic_so_far(self, behaviours: frozenset[str]) -> bool:
        """Whether the buyer is still waiting with nothing about the problem said (impatience heats them up)."""
        return "stalls" in behaviours or not (self._on_topic or any(BY_ID[b].good for b in behaviours))

    def _takes_her_up(self, text: str) -> bool:
        """Whether the reply answers what she just said: her own words back ("both of them on your floor monday" to
        "Can you have Marcus and Ana both on my floor on Monday?"), or a yes or no to her question."""
        last = next((t for t in reversed(self.transcript) if t.speaker == "buyer"), None)
        if last is None:
            return False
        if last.text.rstrip().endswith("?") and YES_OR_NO.match(text):
            return True
        if self._follow_up:  # "then we fly the rest" to her own question: `leaves_follow_up` judges it
            return True
        return bool(distinctive(text) & distinctive(last.text))

    def _uses_scenario_words(self, text: str) -> bool:
        return bool(distinctive(text) & self._scenario_words)

    def _offers_in(self, text: str) -> list[Offer]:
        return [o for o in (*self.scenario.options, *self.scenario.compensation) if mentions(text, o)]

    def _repeats(self, text: str) -> bool:
        """Whether this reply says again what an earlier reply said."""
        said = plain(text)
        if len(said.split()) < REPEAT_MIN_WORDS:
            return False
        return any(
            fuzz.ratio(said, plain(turn.text)) >= REPEAT_SIMILARITY for turn in self.seller_turns if not turn.silent
        )

    def _goodbye(self, text: str) -> bool:
        """Whether the reply ends by saying goodbye: in its last sentence, or the last clause of a long one typed with
        commas only ("thanks helen, invite goes out today, talk thursday", a rep's goodbye that did not end the call)."""
        said = sentences(text)
        if not said:
            return False
        last = said[-1]
        if len(last.split()) > GOODBYE_MAX_WORDS:
            last = re.split(r"[,;:\u2014]\s*|\s-\s", last)[-1]
            if len(last.split()) > GOODBYE_MAX_WORDS:
                return False
        return any(says(last, phrase) for phrase in self._arc.goodbye)

    def _vent_over(self) -> bool:
        return self.chosen is not None or self._vent_lines >= max(1, self.persona.vent_turns + self._extra_vent)

    def _outcome_by_mood(self) -> Outcome:
        """Lost, won back or strained, by her mood; a buyer whose questions were dodged again and again, and who is left
        with one unanswered, is not won back however calm (a play-tester's rep dodged five questions and won her back)."""
        mood = self.mood
        if not self.news_given or mood.trust < LOST_TRUST_BELOW or mood.temperature >= LOST_AT:
            return "lost"
        dodging = self._unanswered and self._dodges >= DODGES_NOT_WON_BACK
        if mood.trust >= WON_BACK_TRUST and mood.temperature < WON_BACK_BELOW and not dodging:
            return "won_back"
        return "strained"

    def _left_unanswered(self, text: str, behaviours: frozenset[str], last: Turn | None,
                         question: str, newly: tuple[str, ...] = ()) -> dict[str, str]:
        """The slots her last line asked for that this reply left open, each with the question she asked it in; none
        when the reply was silence, a question back (what she meant, or one she can answer), or an honest "let me
        check and call you back". Asking her forgiveness or support instead of answering is not a question back.
        Her follow-up question, which asks no slot ("Will it be recorded, for the ones who can't make it?"), is left
        unanswered as `leaves_follow_up` says: by a reply that only feels for her, thanks her or asks her forgiveness,
        or that turns to another subject.

        A dodge had cost nothing: "Next checkpoint?" answered "My responsibility. Sorry, Karen. Forgive me?" won
        trust and forgiveness, and she never asked again (a play-tester, five calls, 2026-12-03)."""
        if last is None or not (last.asks or self._follow_up) or "stays_silent" in behaviours or self.buyer_is_venting:
            return {}
        if question and "asks_forgiveness" not in behaviours and not SUPPORT_REQUEST.search(question):
            return {}
        if puts_off(text):
            return {}
        if not last.asks:
            if not leaves_follow_up(text, behaviours, self._follow_up, newly):
                return {}
            return {FOLLOW_UP + self._follow_up: _sentence_case(LEADING_LINK.sub("", self._follow_up))}
        asked = _sentence_case(LEADING_LINK.sub("", _her_question(last)))  # "And INV-20931?" asked again: "INV-20931?"
        return {slot: asked for slot in last.asks if slot != NEWS_SLOT and slot not in self.agenda.known}


@dataclass(frozen=True)
class _Heard:
    """What the buyer heard in one reply, as the answer is built."""

    text: str
    behaviours: frozenset[str]
    detection: Detection
    talked_over: TalkedOver
    unclear: bool
    newly: tuple[str, ...]
    offers: list[Offer]
    repeated: bool
    off_topic: bool
    question: str  # the question the reply ends with ('' when it asks nothing): `question_in`
    left: tuple[str, ...] = ()  # the slots she asked for that the reply left unanswered: `_left_unanswered`
    dodged: bool = False  # and not only put off by feeling for her first: it costs, and she says so


@dataclass(frozen=True)
class _Part:
    """A piece of a buyer turn: its words, the slots it asks for, what it answers."""

    text: str
    asks: tuple[str, ...] = ()
    answers: str | None = None
    insists: bool = False  # her question asked again, word for word if need be: kept though she said it before
    follows_up: bool = False  # a follow-up question of hers that asks no slot ("In writing?"): `_left_unanswered`
    question: str = ""  # the follow-up question this part asks again, as she first asked it


def _asks_to_be_forgiven(heard: _Heard) -> bool:
    """Whether the reply puts forgiveness to her: as a question, or as its last words. "You are right, forgive me. We have
    three possibilities..." says sorry on the way to the options (a second-language rep), and she answers the options,
    not "Apology accepted." (a play-tester, 2026-12-04); the rubric still reads the words as it reads them."""
    evidence = heard.detection.evidence_for("asks_forgiveness")
    if evidence is None or evidence.layer == "model":
        return True  # the model reads the whole reply: nothing to place
    if "?" in heard.text[evidence.start:]:
        return True  # "... forgive me? I know it's a lot to ask." asks, whatever follows
    return len(heard.text[evidence.end:].split()) <= FORGIVENESS_LAST_WORDS  # "... forgive me, Ingrid. I know it hurts."


def _filler(sentence: str) -> str:
    """The word of a sentence that is only a filler ("Okay.", "...Alright.", "Next."), lower case; else ''."""
    words = re.findall(r"[a-z]+", sentence.lower())
    return words[0] if len(words) == 1 and words[0] in FILLERS else ""


def _without_stray_fillers(said: list[str]) -> list[str]:
    """Her turn without the fillers its parts brought twice: "Okay. Next. ...Okay. Thank you for calling me yourself."
    says "Okay." once; "Okay. Next. Next checkpoint?" and "Fine. ...Alright." lose the filler that the next sentence
    says again or that a pause after another filler adds. A turn that is only a filler keeps it."""
    kept: list[str] = []
    for i, sentence in enumerate(said):
        word = _filler(sentence)
        following = said[i + 1].lower() if i + 1 < len(said) else ""
        if word and kept and (
            word in map(_filler, kept)
            or (_filler(kept[-1]) and sentence.lstrip().startswith(("...", "\u2026")))
        ):
            continue
        if word and following.startswith(word) and not _filler(said[i + 1]):
            continue
        kept.append(sentence)
    return kept or said


def _told_before(sentence: str, earlier: list[set[str]]) -> bool:
    """Whether a statement tells nothing the earlier ones (their distinctive words) did not: nearly all its words were
    said before (one that adds "the old system's licence ends on the 13th" to "We go live on Monday 9 June" tells
    something new)."""
    words = distinctive(sentence)
    if sentence.rstrip().endswith("?") or len(words) < SAID_AGAIN_WORDS:
        return False
    return any(len(words & other) >= TOLD_BEFORE_SHARE * len(words) for other in earlier)


def _said_again(sentence: str, earlier: list[str]) -> bool:
    """Whether a statement's words were said in an earlier statement of the same turn (a question is always kept)."""
    words = distinctive(sentence)
    if sentence.rstrip().endswith("?"):
        return False
    for other in (distinctive(line) for line in earlier if not line.rstrip().endswith("?")):
        fewer = min(len(words), len(other))  # "So far 96 have booked rooms through your link." in six words more
        if fewer >= SAID_AGAIN_WORDS and len(words & other) >= SAID_AGAIN_SHARE * fewer:
            return True
    return False


def _talked_over(behaviours: frozenset[str], during_vent: bool, cut_off: bool, silent: bool) -> TalkedOver:
    """Why a reply talked over a venting buyer: cut them off mid-line, or explained or defended; '' if it did not."""
    if not during_vent or silent:
        return ""
    if cut_off:
        return "cut_off"
    if DEFENDING & behaviours:
        return "defended"
    if EXPLAINING & behaviours:
        return "explained"
    return ""


def _is_good_reaction(heard: _Heard) -> bool:
    """Whether the reaction to this reply would only be a nod ("Okay."): nothing bad was said."""
    return all(BY_ID[b].good for b in heard.behaviours) and not heard.repeated and not heard.off_topic


def _naming(lines: list[LineItem], offer: Offer) -> list[Candidate]:
    """A persona's lines about an option, with {option} filled in by its name."""
    return [
        replace(c, text=_sentence_case(c.text.replace("{" + OPTION_PLACEHOLDER + "}", offer.spoken_name)))
        for c in items(lines, PERSONA)
    ]


def _follow_up_in(parts: list[_Part], said: list[str], values: dict[str, str]) -> str:
    """Her question that asks no slot of the agenda, if her turn ends on one (a follow-up, or a question after her
    choice or after an answer she heard): the next reply is judged on whether it answers it, and she asks it again
    in these words. A short question keeps the sentence before it ("My two approvers are in audit meetings Thursday
    and Friday. What about them?", "And if the port stays closed past the 24th? Then what?")."""
    if not said or not said[-1].endswith("?"):
        return ""
    for part in parts:
        own = [sentence for sentence in sentences(fill(part.text, values)) if sentence in said]
        if part.follows_up and own and own[-1] == said[-1] and part.question:
            return part.question  # asked again: "I'm asking again: In writing?" still asks "In writing?"
        if part.follows_up and own and own[-1] == said[-1]:
            before = own[-2] if len(own) >= 2 and len(own[-1].split()) <= SHORT_QUESTION_WORDS else ""  # "Then what?"
            return f"{before} {own[-1]}".strip()
    return ""


def _her_question(turn: Turn) -> str:
    """What a buyer's line asks, in her words: its last question, or its last sentence when she asks without one."""
    said = sentences(turn.text)
    return next((q for q in reversed(said) if q.endswith("?")), said[-1] if said else "")


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentences(text: str) -> list[str]:
    """The sentences of a reply; "Dr. Brenner" and "e.g. this" stay in one."""
    found: list[str] = []
    for piece in re.split(r"(?<=[.!?])\s+|\n+", text):
        piece = piece.strip()
        if not piece:
            continue
        if found and ABBREVIATION.search(found[-1]):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return found


def _asks_about(question: str, about: str) -> bool:
    """Whether a question is about what a scenario's answer is `about`: the phrase said, or a one-word subject in
    another form of the word ('operators' asked as 'the operator training', 'flights' as 'the flight')."""
    if says(question, about):
        return True
    word = about.strip().lower()
    return word.isalpha() and len(word) >= MIN_SUBJECT_LETTERS and word_key(word) in key_words(question)


def _asking_part(question: str) -> str:
    """The clauses of a long question from the first that asks on: "the 96 people who already booked, we move them
    ourselves, now what's your boss going to ask you first?" asks about her boss, not about who booked."""
    starts = [0, *(match.end() for match in CLAUSE_SPLIT.finditer(question))]
    for start in starts:
        clause = question[start:].strip()
        if QUESTION_OPENER.match(LEADING_AND.sub("", FILLER.sub("", clause))):
            # After a short lead-in the whole question asks: "And the installation, where do things stand there?"
            return clause if len(question[:start].split()) >= ASKING_AFTER_WORDS else question
    return question


def _proposes(question: str) -> bool:
    """Whether the question offers something the rep would do ("Shall I send it tonight?"), at its start or at the
    start of any of its clauses ("I have three options, can I walk you through them?", "And for Linda, would it help
    if I wrote her a note, with the dates?"); "Can I ask when ...?" asks instead."""
    if SUPPORT_REQUEST.search(question):
        return False
    parts = [LEADING_AND.sub("", part.strip()) for part in (question, *CLAUSE_SPLIT.split(question))]
    return any(PROPOSAL.match(part) and not ASKING_TO_ASK.match(part) for part in parts if part)


def question_in(text: str) -> str:
    """The question a reply leaves the buyer with: its last sentence, when that asks something ('' otherwise:
    "Who pays? We do." answers its own question)."""
    said = sentences(text)
    last = said[-1] if said else ""
    return last if last.endswith("?") or opens_like_a_question(last) else ""


def _scenario_words(scenario: Scenario) -> frozenset[str]:
    """The distinctive words of a scenario's facts, options and title, to tell a reply about the problem."""
    texts = [scenario.title, *scenario.facts.values(), *(o.text for o in (*scenario.options, *scenario.compensation))]
    return frozenset(word for text in texts for word in distinctive(str(text)))


def reply_context(scenario: Scenario) -> ReplyContext:
    """What the detector knows of this scenario when it reads a reply: its phrases, facts, news and example lines.

    The scenario's own tips for the good behaviours (what the debrief says to say instead, `tip_for`) are read too: a
    trainee who says the debrief's "try:" word for word is credited with it. Three of 140 had not been
    ("I know levels 5 to 9 are on your critical path, ..." was read as the news alone, a play-tester, 2026-12-04)."""
    tips = {behaviour: (tip,) for behaviour in REPLY_IDS if BY_ID[behaviour].good and behaviour != "stays_silent"
            if (tip := tip_for(behaviour, scenario)) and tip != BY_ID[behaviour].better}
    return ReplyContext(
        extra_phrases={k: tuple(v) for k, v in scenario_phrases(scenario).items()},
        facts=tuple(scenario.facts.values()),
        news=tuple(v for k, v in scenario.facts.items() if k in NEWS_FACTS),
        examples={k: tuple(v) for k, v in scenario.counts_as.items()},
        tips=tips,
    )


def leaves_follow_up(text: str, behaviours: frozenset[str], question: str, newly: tuple[str, ...] = ()) -> bool:
    """Whether a reply that is neither silence, a question back nor an honest "let me check" leaves her follow-up
    question unanswered. It is answered by a reply that takes it up (`answer_to`: a yes or no, her words; ANSWER_OPENS)
    and by one that does something besides NOT_ANSWERS; it is left by a reply that brings in another subject, that
    only feels for her, says sorry or thanks her, or that only praises or reassures her."""
    if ANSWER_OPENS.search(text.strip()) or answer_to(text, question):
        return False
    if CHANGES_SUBJECT.search(text):
        return True
    if newly or behaviours - NOT_ANSWERS:
        return False
    return bool(behaviours) or ONLY_REASSURES.search(text) is not None


def scenario_phrases(scenario: Scenario) -> dict[str, list[str]]:
    """Detector phrases this scenario adds: its own, plus the words of its compensation offers."""
    phrases = {k: list(v) for k, v in scenario.phrases.items()}
    for offer in scenario.compensation:
        phrases.setdefault("compensates", []).extend(offer.phrases)
    return phrases
