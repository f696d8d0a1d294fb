"""Renderers of a built document: Word, PDF, HTML (CONTRIBUTING.md "Renderers")."""

from briefing_app.render import rl_patterns

rl_patterns.install()
