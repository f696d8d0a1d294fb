"""Assembly: selection + blueprint + section library + knowledge base -> Document.

See docs/templates.md for the section template API and the blueprint format.
"""

from briefing_app.assembly.build import (
    BuildSession,
    build_document,
    build_section_preview,
    render_template,
)
from briefing_app.assembly.outline import NumberedItem, number_outline, plan_outline
from briefing_app.assembly.selection import Cover, OutlineItem, Selection, validate_selection

__all__ = [
    "BuildSession",
    "Cover",
    "NumberedItem",
    "OutlineItem",
    "Selection",
    "build_document",
    "build_section_preview",
    "number_outline",
    "plan_outline",
    "render_template",
    "validate_selection",
]
