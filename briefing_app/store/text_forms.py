"""Other spellings of a text that a search should find it by.

- :func:`fold` writes Latin letters without their diacritics ("São Paulo"
  -> "sao paulo", "Łódź" -> "lodz", "Malmö" -> "malmo", "Nguyễn" ->
  "nguyen"), lower case. Unicode decomposition (NFKD) takes the marks off
  most letters; the few letters that are not a base letter plus a mark
  (ł, ø, ß, æ, đ, ı ...) come from a small table. Other scripts keep their
  letters (Hangul is composed again), marks off.
- :func:`chinese_forms` gives the simplified and traditional forms of a text
  holding Chinese characters (OpenCC's phrase-aware conversion), so 富阳
  and 富陽 find each other.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Letters NFKD does not split into a base letter and a mark.
_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "ẞ": "SS",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
        "ŧ": "t",
        "Ŧ": "T",
        "ŋ": "ng",
        "Ŋ": "Ng",
        "ĸ": "k",
        "ſ": "s",
        "ƒ": "f",
        "ɨ": "i",
        "ʉ": "u",
        "ƶ": "z",
    }
)

# CJK unified ideographs (with extension A) and compatibility ideographs.
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def fold(text: str) -> str:
    """``text`` in lower case, Latin letters without diacritics."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).casefold()


def fold_char_map(text: str) -> tuple[str, list[int]]:
    """(fold of ``text``, for each folded character the index of the original
    character it came from): to find a folded word and show the stored one."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char)
        folded.append(piece)
        origin.extend([index] * len(piece))
    return "".join(folded), origin


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


@functools.cache
def _converter(config: str):
    """An OpenCC converter ("t2s", "s2t"), or None when OpenCC is not installed."""
    try:
        import opencc
    except ImportError:  # search still works, by the script typed only
        return None
    return opencc.OpenCC(config)


def to_script(text: str, config: str) -> str:
    """``text`` converted with OpenCC ``config``; unchanged without Chinese or OpenCC."""
    converter = _converter(config) if has_han(text) else None
    return converter.convert(text) if converter is not None else text


def chinese_forms(text: str) -> list[str]:
    """The simplified and traditional forms of ``text`` that differ from it."""
    if not has_han(text):
        return []
    forms = [to_script(text, "t2s"), to_script(text, "s2t")]
    return [f for f in dict.fromkeys(forms) if f != text]


_HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def variants(text: str) -> list[str]:
    """Every other spelling of ``text`` worth indexing or asking for (may be empty).

    Only the words that change are given: a query word never holds a space,
    so the folded form of each word with a diacritic, and each run of
    Chinese characters in the other scripts, are all a search needs. Long
    texts (descriptions, section bodies) stay cheap to index.
    """
    forms: list[str] = []
    if not text.isascii():
        for word in text.split():
            if not word.isascii():
                folded = fold(word)
                if folded != word.lower():
                    forms.append(folded)
        for run in _HAN_RUN.findall(text):
            forms += chinese_forms(run)
    return list(dict.fromkeys(forms))
