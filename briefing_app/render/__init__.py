"""Renderers of a built document: Word, PDF, HTML (CONTRIBUTING.md "Renderers")."""
