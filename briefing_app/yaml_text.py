"""YAML from users (section front matter, blueprints, the theme), read safely.

``yaml.safe_load`` constructs only plain types, but it still expands aliases:
nine anchors of nine aliases each ("billion laughs") make a title of a
billion strings from a few hundred bytes, which took 18 s and a gigabyte, and
grew the knowledge base by 1.2 GB when the file sat in the section library.

:func:`load_yaml` refuses every anchor and alias while the text is composed,
before anything is expanded (none of our files needs them), and bounds the
text and each value, so the data is never much bigger than the text. Errors
are ``yaml.YAMLError``, with the line where there is one, like any other
YAML mistake.

Reading YAML in Python is slow (the front matter of the shipped sections
and a blueprint were a sixth of a build's assembly), and a ``briefing``
command is a new process each time: the data of a text read once is kept
on disk (``disk_cache``, under a digest of the text and the limit) when
the caller says it is such a text (``keep=True``) and it holds only what
``marshal`` keeps exactly (no dates), and read back as a fresh copy. A text
that fails is read, and fails, every time.
"""

from __future__ import annotations

import marshal
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from briefing_app.disk_cache import DiskCache, key_of

MAX_TEXT_CHARS = 1_000_000  # a whole YAML text
MAX_VALUE_CHARS = 20_000  # one string in it
MAX_NODES = 50_000  # scalars, lists and mappings together
_DISK = DiskCache("yaml")


class YamlLimitError(yaml.YAMLError):
    """A YAML text or one of its values is too big."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.problem = message
        self.problem_mark = None


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and counts nodes."""

    def __init__(self, stream: str, value_chars: int) -> None:
        super().__init__(stream)
        self._value_chars = value_chars
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise ComposerError(
                None, None, "aliases (*name) are not allowed here", event.start_mark
            )
        if isinstance(event, (ScalarEvent, CollectionStartEvent)):
            if event.anchor is not None:
                raise ComposerError(
                    None, None, "anchors (&name) are not allowed here", event.start_mark
                )
            self._nodes += 1
            if self._nodes > MAX_NODES:
                raise ComposerError(None, None, f"more than {MAX_NODES:,} values", event.start_mark)
            if isinstance(event, ScalarEvent) and len(event.value) > self._value_chars:
                raise ComposerError(
                    None,
                    None,
                    f"a value of {len(event.value):,} characters (at most {self._value_chars:,})",
                    event.start_mark,
                )
        return super().compose_node(parent, index)


def load_yaml(text: str, value_chars: int = MAX_VALUE_CHARS, keep: bool = False) -> Any:
    """The data of ``text``: plain types only, no aliases, bounded sizes.

    ``keep``: the text is one every build reads again (a shipped section's
    front matter, a blueprint), so its data is kept on disk; not for texts
    being edited, each of which would leave a file behind.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise YamlLimitError(
            f"the YAML text has {len(text):,} characters (at most {MAX_TEXT_CHARS:,})"
        )
    key = key_of("yaml", "1", str(value_chars), text) if keep else ""
    kept = _DISK.get(key) if keep else None
    if kept is not None:
        try:
            return marshal.loads(kept)  # noqa: S302 - the user's own cache folder
        except (ValueError, EOFError, TypeError):
            pass  # damaged: read the text again
    loader = _NoAliasLoader(text, value_chars)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    if keep:
        try:
            _DISK.put(key, marshal.dumps(data))
        except ValueError:
            pass  # dates and the like: read from the text each time
    return data
