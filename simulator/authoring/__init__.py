"""Trainer tooling: authoring checks, scenario tests, schema, graphs, templates and rescoring."""
