"""Reply behaviours: a reply in, every behaviour it shows out, each with its evidence and the layer that decided."""

from simulator.detect.detector import Detector, default_detector, phrase_detector
from simulator.detect.results import Detection, Evidence, ReplyContext
from simulator.text import MAX_REPLY_CHARS

__all__ = ["MAX_REPLY_CHARS", "Detection", "Detector", "Evidence", "ReplyContext", "default_detector", "phrase_detector"]
