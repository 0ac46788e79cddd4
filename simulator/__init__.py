"""Bad News Drill: practise delivering bad news to a buyer, offline, deterministic and explainable."""

__version__ = "0.1.0"
