"""Pure text from a `CallResult`: the plain transcript and debrief, the Markdown report, the rubric-line view.

Nothing here imports textual or argparse or prints: each function returns text (or a plain view the
app styles), so the command line, the app and the saved files say the same thing in the same words.
"""
