"""The Textual app: one client of the headless core (home, briefing, call, debrief, help)."""
