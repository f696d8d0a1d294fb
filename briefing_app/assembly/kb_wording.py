"""``kb`` helpers that word things for the reader (see knowledge.py).

Names as they read inside a sentence ("human health", "the Pearl River
Delta"), rows for tables that keep a unit with its amount or a local name
beside its city, and a cluster profile without a note that repeats its place.
They format records the knowledge base already holds; none asks the store.
"""

from __future__ import annotations

import re
from typing import Any

from briefing_app.assembly.amounts import amount, bracketed
from briefing_app.assembly.fields import data_field

# A place named after one of these nouns takes "the" inside a sentence.
_ARTICLE_NOUNS = ("delta", "area", "bay", "region", "basin", "corridor", "belt", "islands")
# "(location: X)" in a description repeats the place printed beside the name.
_LOCATION_NOTE = re.compile(r" ?\(location: [^()]*\)")


class WordingMixin:
    """Part of :class:`~briefing_app.assembly.knowledge.KnowledgeBase`."""

    @staticmethod
    def lower(name: Any) -> str:
        """A field's name as it reads inside a sentence: "Human health" ->
        "human health", "Machinery and equipment" -> "machinery and
        equipment"; an acronym ("ICT", "5G networks") keeps its capitals."""
        text = str(name or "")
        first = text.split(" ", 1)[0]
        if (
            not first
            or first.isupper()
            or any(c.isdigit() for c in first)
            or first[1:] != first[1:].lower()
        ):
            return text
        return first[0].lower() + text[len(first[0]) :]

    def fields(self, records: Any, attr: str = "name") -> str:
        """Sectors (records or names) named inside a sentence: "automotive,
        human health, renewable energy and ICT"."""
        names = [
            self.lower(r if isinstance(r, str) else getattr(r, attr, None) or r[attr])
            for r in records
        ]
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"

    @staticmethod
    def the(name: Any, start: bool = False) -> str:
        """A place named inside a sentence: deltas, bays, areas and regions
        take the article ("the Pearl River Delta", "the Greater Bay Area"),
        provinces and cities do not ("Jilin", "Beijing-Tianjin-Hebei").
        ``start`` capitalises the article for the head of a sentence."""
        text = str(name or "")
        last = text.rsplit(" ", 1)[-1].lower()
        if text and not text.lower().startswith("the ") and last in _ARTICLE_NOUNS:
            return ("The " if start else "the ") + text
        return text

    @staticmethod
    def amount_rows(indicators: Any) -> list[dict[str, Any]]:
        """Indicators as table rows whose ``amount`` holds value and unit
        together ("EUR 170.1 billion", "9.7%"): a table never shows a bare
        number in one column and its currency or scale in another."""
        return [
            {"name": i.name, "year": i.year, "amount": amount(i.value, i.unit), "source": i.source}
            for i in indicators or ()
        ]

    def place_rows(self, clusters: Any) -> list[dict[str, Any]]:
        """Clusters as table rows whose ``place`` gives the city with its
        local name beside it ("Huadu, Guangzhou (廣州花都)") and whose ``name``
        gives the cluster's own local-script name when it has one (the name a
        visitor looks for on signs and letters): a column of local names that
        only a few clusters have would stand mostly empty. The rows of a list
        kept between builds are kept with it (kb_index.py)."""
        if self._is_kept(clusters):
            key = ("place rows", id(clusters))
            return self._kept(key, lambda: _place_rows(clusters), True)
        return _place_rows(clusters)

    @staticmethod
    def local_name(record: Any) -> str:
        """A record's own name in the local script, "" when none is recorded
        or it only repeats the name."""
        own = str(data_field(record, "local_name") or "")
        return own if own != str(data_field(record, "name") or "") else ""

    def _aside_parts(self, record: Any, extras: tuple) -> list[str]:
        """The details :meth:`aside` and :meth:`named` add to a record's name:
        its local-script name, then ``extras`` (a period, a website) that are
        not empty and that the name does not already hold."""
        name = str(data_field(record, "name") or "")
        parts = [self.local_name(record)]
        parts += [
            str(e).strip() for e in extras if isinstance(e, (str, int)) and not isinstance(e, bool)
        ]
        plain = " ".join(name.split())
        return [p for p in parts if p and bracketed(name, p) != plain]

    def aside(self, record: Any, *extras: Any) -> str:
        """What follows a name in a profile or list, in brackets:
        " (Торговая палата Златомора, https://...)"; "" for none."""
        parts = self._aside_parts(record, extras)
        return f" ({', '.join(parts)})" if parts else ""

    @staticmethod
    def period(record: Any, open_end: str = "") -> str:
        """A record's years as a reader sees them: "2016-2030", "2016" (or
        "2016" + ``open_end``, such as " onwards", when no end is known); ""
        without a start. :meth:`aside` leaves it out where the name holds it."""
        start, end = data_field(record, "start_year"), data_field(record, "end_year")
        if not start:
            return ""
        return f"{start}-{end}" if end else f"{start}{open_end}"

    def named(self, record: Any, *extras: Any) -> str:
        """A name with its details said once: "Ministry of Economy
        (Министерство экономики)"; a name that ends in brackets takes them
        inside: "National Energy Administration (NEA, 国家能源局)"."""
        text = str(data_field(record, "name") or "")
        for part in self._aside_parts(record, extras):
            text = bracketed(text, part)
        return text

    def partnerships_per_sector(self, sectors: Any, kind: str | None = None) -> list:
        """(sector, its partnerships of ``kind``) for those of ``sectors`` that
        have any, so that a sentence can name them all with the right commas."""
        found = []
        for sector in sectors or ():
            records = self.partnerships(sector=getattr(sector, "slug", sector), kind=kind)
            if records:
                found.append((sector, records))
        return found

    @staticmethod
    def profile(cluster: Any) -> str:
        """A cluster's description as printed after its name and city: a
        "(location: Anhui)" that only repeats where it is goes."""
        text = str(getattr(cluster, "description", "") or "")
        return _LOCATION_NOTE.sub("", text)


def _place_rows(clusters: Any) -> list[dict[str, Any]]:
    rows = []
    for cluster in clusters or ():
        city, local = cluster.city or "", cluster.city_local or ""
        place = bracketed(city, local) if city and local else (city or local)
        own = getattr(cluster, "local_name", "") or ""
        name = (
            bracketed(cluster.name, own)
            if own and own not in (local, cluster.name)
            else cluster.name
        )
        rows.append({"name": name, "place": place, "industry": cluster.industry})
    return rows
