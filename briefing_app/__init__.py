"""Briefing Builder: tailored preparatory briefings from a local knowledge base."""

__version__ = "0.3.1"
