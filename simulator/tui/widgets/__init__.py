"""Reusable widgets of the app: chat transcript, mood meters, chart, clock, typing indicator."""
