"""What an empty cover field will print, read off a built document.

The blueprint's cover text is rendered by the assembly with the selection's
context; the preview builds the whole document anyway, so its metadata is
the truest source of the defaults. The user's own entries win in the
document, but a field the user filled shows no placeholder, so reading every
field back from the metadata is correct for the empty ones.
"""

from __future__ import annotations

from briefing_app.document import Metadata

# Words that identify a cover-table row, per Cover field (first match wins).
ROW_WORDS = (
    ("work_package", ("work package",)),
    ("contractual_date", ("contractual",)),
    ("actual_date", ("actual",)),
    ("reviewed_by", ("review",)),
    ("deliverable", ("deliverable",)),
    ("acronym", ("acronym",)),
    ("project_name", ("project",)),
    ("lead", ("lead", "author")),
    ("version", ("version",)),
)


def defaults_from_metadata(metadata: Metadata) -> dict[str, str]:
    """Cover field name -> the text the document carries for it."""
    found: dict[str, str] = {}
    for row in metadata.cover_rows:
        label = row.label.lower()
        for name, words in ROW_WORDS:
            if name not in found and any(word in label for word in words):
                found[name] = row.value
                break
    found.setdefault("lead", metadata.author)
    found.setdefault("version", metadata.version)
    found["title"] = metadata.title
    found["subtitle"] = metadata.subtitle
    found["abstract"] = metadata.abstract
    return {name: value for name, value in found.items() if value}
