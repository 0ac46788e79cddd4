"""Records of calls: the SQLite store, history, reports and exports. Imports nothing from textual."""
