"""The references a runner or a physiotherapist can check, and which of them each row's `source` cites.

Every table in rehab keeps a `source` string written for us, the reviewers ("seed 000: '...'",
"Heiderscheit 2010 phase criteria", "design.md §3 ..."): it names our own files and sections, which
mean nothing to a reader and cannot be looked up. What users see instead is a short marker ([1],
[2]) into a list of these references: author, year, title where we have it, and journal.

Details are as the project's clinical basis gives them. Where it gives no article title, a
reference shows author, year and journal only; no title, volume or page is filled in from memory.
What we decided ourselves (the project's design notes, "clinical judgement", a synthesis awaiting
a clinician's sign-off, practice in clinic handouts) cites OWN_JUDGEMENT, and says so plainly.

`references_for` maps a source string to reference keys by the names in it (patterns below), so a
new row that cites a known name is covered without touching this file, and a row that cites
nothing we know fails the test that reads every table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    key: str
    authors: str  # "" when the article names none we have
    year: str  # "" when the source has no date
    title: str  # "" when the clinical basis gives none
    published_in: str  # journal (with volume:first page when known), publisher or site
    note: str = ""  # e.g. a DOI, or where a picture set lives

    def text(self) -> str:
        """The reference as a reader sees it in a list."""
        parts = []
        if self.authors:
            parts.append(f"{self.authors} ({self.year})." if self.year else f"{self.authors}.")
        if self.title:
            parts.append(f"{self.title}.")
        if self.published_in:
            parts.append(f"{self.published_in}.")
        if self.note:
            parts.append(f"{self.note}.")
        return " ".join(parts)


OWN_JUDGEMENT = "own-judgement"

_JOSPT = "Journal of Orthopaedic & Sports Physical Therapy"
_BJSM = "British Journal of Sports Medicine"
_AJSM = "American Journal of Sports Medicine"

REFERENCES: tuple[Reference, ...] = (
    Reference("seed-000", "", "", "Running Hamstring Pain: Resolving Tightness and "
              "Hamstring Injuries", "Article for runners"),
    Reference("seed-004", "", "", "Identify a Hamstring Injury",
              "Article for runners on hamstring tendinitis"),
    Reference("heiderscheit-2010", "Heiderscheit et al.", "2010", "", f"{_JOSPT} 40:67"),
    Reference("askling-2013", "Askling et al.", "2013", "", f"{_BJSM} 47:953"),
    Reference("sherry-best-2004", "Sherry & Best", "2004", "", f"{_JOSPT} 34:116"),
    Reference("van-dyk-2019", "van Dyk et al.", "2019", "", f"{_BJSM} 53:1362"),
    Reference("goom-2016", "Goom, Malliaras, Reiman & Purdam", "2016", "", _JOSPT),
    Reference("van-der-horst-2017", "van der Horst et al.", "2017", "", f"{_BJSM} 51:1583"),
    Reference("silbernagel-2007", "Silbernagel et al.", "2007", "", f"{_AJSM} 35:897"),
    Reference("hickey-2020", "Hickey et al.", "2020", "", f"{_JOSPT} 50:91"),
    Reference("warren-2010", "Warren et al.", "2010", "", f"{_BJSM} 44:415"),
    Reference("subbu-2015", "Subbu et al.", "2015", "", f"{_AJSM} 43:385"),
    Reference("pollock-2014", "Pollock et al.", "2014", "", f"{_BJSM} 48:1347"),
    Reference("jacobsen-2016", "Jacobsen et al.", "2016", "", "Sports Medicine"),
    Reference("trials-2023", "Return-to-run table of a trial protocol", "2023", "", "Trials",
              "doi:10.1186/s13063-023-07502-x"),
    Reference("nhs-dvt", "NHS (National Health Service, UK)", "", "Deep vein thrombosis (DVT)",
              "Patient information, nhs.uk"),
    Reference("yale-icpcp", "Yale ICPCP", "", "",
              "Case table: nerve root pain (sciatica) and hamstring pain"),
    Reference("everkinetic", "Everkinetic", "", "Exercise line drawings",
              "github.com/everkinetic/data", "CC BY-SA 4.0"),
    Reference(OWN_JUDGEMENT, "Hamstring Coach", "", "Our own clinical judgement",
              "Decisions the product's authors made where the references above are silent, "
              "awaiting a clinician's review"),
)

_BY_KEY: dict[str, Reference] = {ref.key: ref for ref in REFERENCES}

# What in a source string cites which reference. Checked in order; a source may cite several.
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"seed 000", "seed-000"),
    (r"seed 004", "seed-004"),
    (r"Heiderscheit", "heiderscheit-2010"),
    (r"Askling", "askling-2013"),
    (r"Sherry", "sherry-best-2004"),
    (r"van Dyk", "van-dyk-2019"),
    (r"Goom|pain monitoring", "goom-2016"),
    (r"van der Horst", "van-der-horst-2017"),
    (r"Silbernagel", "silbernagel-2007"),
    (r"Hickey", "hickey-2020"),
    (r"Warren", "warren-2010"),
    (r"Subbu|[Aa]vulsion", "subbu-2015"),
    (r"Pollock", "pollock-2014"),
    (r"Jacobsen", "jacobsen-2016"),
    (r"Trials 2023", "trials-2023"),
    (r"NHS", "nhs-dvt"),
    (r"Yale", "yale-icpcp"),
    (r"Everkinetic", "everkinetic"),
    # Our own: the design notes, "clinical judgement", a synthesis awaiting sign-off, and practice
    # we know only from clinic handouts and apps (no reference a reader can check).
    (r"design\.md|clinical judgement|synthes|clinic handouts|missed sessions", OWN_JUDGEMENT),
)


def reference(key: str) -> Reference:
    return _BY_KEY[key]


def references_for(source: str) -> tuple[str, ...]:
    """The keys of the references a `source` string cites, in the order of REFERENCES. Empty when
    it names nothing we know (the table test fails on that)."""
    found = {key for pattern, key in _PATTERNS if re.search(pattern, source)}
    return tuple(ref.key for ref in REFERENCES if ref.key in found)


class Citations:
    """Numbers references in the order a document first cites them, for one page or one PDF.

    `marker(source)` gives "[1]" or "[1, 4]" for a row's source string; `listed()` the references
    cited so far with their numbers, for the list at the end."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def numbers(self, source: str) -> list[int]:
        numbers = []
        for key in references_for(source):
            if key not in self._numbers:
                self._numbers[key] = len(self._numbers) + 1
            numbers.append(self._numbers[key])
        return sorted(numbers)

    def marker(self, source: str) -> str:
        numbers = self.numbers(source)
        return f"[{', '.join(str(n) for n in numbers)}]" if numbers else ""

    def markers(self, sources) -> str:
        """One marker for several sources together (a phase's move-on criteria)."""
        numbers = sorted({n for source in sources for n in self.numbers(source)})
        return f"[{', '.join(str(n) for n in numbers)}]" if numbers else ""

    def listed(self) -> list[tuple[int, Reference]]:
        return [(number, _BY_KEY[key]) for key, number in sorted(self._numbers.items(), key=lambda kv: kv[1])]
