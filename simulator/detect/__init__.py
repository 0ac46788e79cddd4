"""Reply behaviours: normalise a reply, split it into clauses, match phrase banks, explain the evidence."""

from simulator.detect.detector import MAX_REPLY_CHARS, Detector, default_detector
from simulator.detect.results import Detection, Evidence, ReplyContext

__all__ = ["MAX_REPLY_CHARS", "Detection", "Detector", "Evidence", "ReplyContext", "default_detector"]
