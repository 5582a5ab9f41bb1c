"""The framework registry: the one place that defines every framework vciso knows.

Nothing else defines framework names, labels, versions, licences, download locations or gap-analysis
sets; drafting, gap analysis, retrieval, abstention, the Library page, the evals and the CLI all read
them from here (``FRAMEWORKS``, ``UNSHIPPED`` and the helper functions at the bottom). The long list of
pinned files lives beside it in :mod:`ingest.frameworks.pins` and is read only through the entries.

Adding a framework is one ``Framework(...)`` entry in ``FRAMEWORKS`` (and its files in ``pins.FILES``)
plus a parser module with
``parse(folder: Path) -> list[Chunk]`` whose chunks carry ``source=<name>`` and
``extra["framework"]=<id>``. Entry fields (all strings unless noted):

- ``id``            stable key, stored in ``chunk.extra["framework"]`` ("nist-800-53", "gdpr")
- ``name``          display name, the chunks' ``source`` ("NIST SP 800-53 Rev. 5")
- ``label``         short label for tables, menus and memos ("NIST SP 800-53", "HIPAA")
- ``jurisdiction``  "US", "EU" or "International"
- ``version``       the edition whose text the pins below hold
- ``publisher``, ``licence``, ``url`` (official page), ``attribution`` (the line every export that
  quotes a clause keeps)
- ``folder``        the framework's folder in the corpus dir (``VCISO_CORPUS_DIR``), laid out like
  ``../shared/corpus``
- ``files``         ``pins.FILES[id]``, a tuple of ``SourceFile(name, sha256, url)``: every file the
  parser reads, pinned by sha256, with its download location at a pinned commit (the parsers read only
  the publishers' files, never a file derived from them)
- ``parser``        "module:function" imported lazily; "" while the framework has no parser yet (its
  text is then not in the library, and it counts as "not in the library" for abstention)
- ``names``         regex that recognises the framework named in a question
- ``applies``       regex over a client's own documents that makes the framework relevant to them
  ("" = relevant to every client)
- ``gaps``          tuple of ``GapSet(id, title, group_by, select)``: the gap analyses offered;
  ``select`` says how the units are chosen (see ``advisor/assessment/frameworks.py``):
  "subcategories", "baseline:LOW", "units:<file in advisor/assessment/data>", or
  "clauses:<id>;<id>;..." (each listed clause id is one unit)

``UNSHIPPED`` lists well-known frameworks whose texts the library does not carry (their licences forbid
redistribution, or they are simply not shipped), with the pattern that recognises them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ingest.frameworks.pins import FILES, SourceFile

__all__ = [
    "FRAMEWORKS",
    "UNSHIPPED",
    "Framework",
    "GapSet",
    "SourceFile",
    "Unshipped",
    "attribution_lines",
    "by_id",
    "gap_set",
    "gap_sets",
    "get",
    "shipped",
    "unshipped",
]


# canonical download URL at a pinned commit


@dataclass(frozen=True)
class GapSet:
    id: str  # the name `vciso gaps --framework` takes
    title: str
    group_by: str  # what the report groups units by: function | family | section | chapter | article
    select: str


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    label: str
    jurisdiction: str
    version: str
    publisher: str
    licence: str
    url: str
    attribution: str
    folder: str
    parser: str = ""
    names: str = ""
    applies: str = ""
    gaps: tuple[GapSet, ...] = ()

    @property
    def files(self) -> tuple[SourceFile, ...]:
        """Every file the parser reads, pinned (``pins.FILES``)."""
        return FILES.get(self.id, ())

    @property
    def ships(self) -> bool:
        """Whether the library carries this framework's text (it has a parser)."""
        return bool(self.parser)

    @property
    def names_rx(self) -> re.Pattern[str] | None:
        return _rx(self.names)

    @property
    def applies_rx(self) -> re.Pattern[str] | None:
        return _rx(self.applies)


@dataclass(frozen=True)
class Unshipped:
    name: str
    pattern: str
    reason: str
    rx: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rx", re.compile(self.pattern, re.I))


@cache
def _rx(pattern: str) -> re.Pattern[str] | None:
    return re.compile(pattern, re.I) if pattern else None


_NIST_NOTE = "Source: NIST ({url}). Work of the US Government, not subject to copyright in the US."
_EURLEX = (
    "Source: EUR-Lex (https://eur-lex.europa.eu), © European Union. "
    "Only the Official Journal of the European Union is authentic."
)
_EU_LICENCE = "© European Union; reuse authorised by Decision 2011/833/EU, with attribution"
_NIST = "National Institute of Standards and Technology (NIST)"
_EU = "European Union (Publications Office, EUR-Lex)"


def _eur_lex(**fields: Any) -> Framework:
    """An act published on EUR-Lex: the EU's jurisdiction, publisher, reuse licence and attribution."""
    return Framework(jurisdiction="EU", publisher=_EU, licence=_EU_LICENCE, attribution=_EURLEX, **fields)


def _nist(**fields: Any) -> Framework:
    """A NIST publication: US, NIST as publisher, the public-domain note naming its official page."""
    note = _NIST_NOTE.format(url=fields["url"])
    return Framework(jurisdiction="US", publisher=_NIST, attribution=note, **fields)


FRAMEWORKS: dict[str, Framework] = {
    f.id: f
    for f in (
        _nist(
            id="nist-800-53",
            name="NIST SP 800-53 Rev. 5",
            label="NIST SP 800-53",
            version="Rev. 5 (OSCAL catalog 5.0.1, 2021-06-08)",
            licence="Public domain (US Gov), CC0",
            url="https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
            folder="nist-sp800-53r5",
            parser="ingest.frameworks.nist_80053:parse",
            names=r"\b800-53|\bSP ?800-53",
            gaps=(
                GapSet("800-53-low", "NIST SP 800-53 Rev. 5, LOW baseline", "family", "baseline:LOW"),
                GapSet(
                    "800-53-moderate",
                    "NIST SP 800-53 Rev. 5, MODERATE baseline",
                    "family",
                    "baseline:MODERATE",
                ),
            ),
        ),
        _nist(
            id="csf-2.0",
            name="NIST CSF 2.0",
            label="NIST CSF 2.0",
            version="2.0 (CSWP 29, Feb 2024; OSCAL 2025-05-29)",
            licence="Public domain (US Gov), CC0",
            url="https://www.nist.gov/cyberframework",
            folder="nist-csf-2.0",
            parser="ingest.frameworks.csf:parse",
            names=r"\bCSF\b|cybersecurity framework",
            gaps=(GapSet("csf-2.0", "NIST Cybersecurity Framework 2.0", "function", "subcategories"),),
        ),
        Framework(
            id="hipaa",
            name="HIPAA 45 CFR Part 164",
            label="HIPAA",
            jurisdiction="US",
            version="45 CFR 160.103 and Part 164 Subparts A, C, D, as amended through the 2013 Omnibus Rule",
            publisher="US Department of Health and Human Services (Code of Federal Regulations)",
            licence="Public domain (17 U.S.C. §105)",
            url="https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164",
            attribution=(
                "Source: 45 CFR Part 164 (https://www.ecfr.gov), transcription by Aptible; "
                "the eCFR is authoritative."
            ),
            folder="hipaa-45cfr164",
            parser="ingest.frameworks.hipaa:parse",
            names=r"\bHIPAA\b|\bCFR\b|security rule|breach notification rule",
            applies=r"\bHIPAA\b|45 CFR|\bePHI\b|protected health information",
            gaps=(
                GapSet(
                    "hipaa", "HIPAA Security Rule (45 CFR 164 Subpart C)", "section", "units:hipaa_units.json"
                ),
            ),
        ),
        _eur_lex(
            id="gdpr",
            name="GDPR",
            label="GDPR",
            version="Regulation (EU) 2016/679, consolidated 2018-05-23 with the 2018 corrigendum",
            url="https://eur-lex.europa.eu/eli/reg/2016/679/oj",
            folder="gdpr",
            parser="ingest.frameworks.gdpr:parse",
            names=r"\bGDPR\b|data protection regulation|2016/679",
            applies=r"\bGDPR\b|General Data Protection|supervisory authority|personal data",
            gaps=(
                GapSet(
                    "gdpr",
                    "GDPR controller and processor obligations",
                    "chapter",
                    "units:gdpr_obligations.json",
                ),
            ),
        ),
        Framework(
            id="asvs-5.0",
            name="OWASP ASVS 5.0",
            label="OWASP ASVS",
            jurisdiction="International",
            version="5.0.0 (May 2025)",
            publisher="OWASP Foundation",
            licence="CC BY-SA 4.0",
            url="https://owasp.org/www-project-application-security-verification-standard/",
            attribution=(
                "OWASP Application Security Verification Standard 5.0.0, © OWASP Foundation, "
                "CC BY-SA 4.0, "
                "https://github.com/OWASP/ASVS"
            ),
            folder="owasp-asvs-5.0",
            parser="ingest.frameworks.asvs:parse",
            names=r"\bASVS\b",
            applies=r"\bASVS\b",
        ),
        _nist(
            id="nist-800-171",
            name="NIST SP 800-171 Rev. 3",
            label="NIST SP 800-171",
            version="Rev. 3 (May 2024; OSCAL catalog 1.0.0, 2025-05-29)",
            licence="Public domain (US Gov), CC0",
            url="https://csrc.nist.gov/pubs/sp/800/171/r3/final",
            folder="nist-sp800-171r3",
            parser="ingest.frameworks.nist_800171:parse",
            names=r"\b800-171\b|\bCUI\b",
            applies=r"\b800-171\b|\bCUI\b|controlled unclassified",
            gaps=(
                GapSet(
                    "800-171",
                    "NIST SP 800-171 Rev. 3 security requirements (evidence reused from mapped SP 800-53 "
                    "controls)",
                    "family",
                    "requirements",
                ),
            ),
        ),
        # The EU cyber laws (ingest/frameworks/eu_law.py) and the NIST Privacy Framework.
        _eur_lex(
            id="nis2",
            name="NIS2 Directive",
            label="NIS2",
            version="Directive (EU) 2022/2555, OJ L 333, 27.12.2022 (not consolidated)",
            url="https://eur-lex.europa.eu/eli/dir/2022/2555/oj",
            folder="eu-nis2-2022-2555",
            parser="ingest.frameworks.eu_law:parse_nis2",
            names=r"\bNIS ?2\b|2022/2555",
            applies=r"\bNIS ?2\b|essential entit|important entit",
            gaps=(
                GapSet(
                    "nis2",
                    "NIS2 governance, risk-management measures and reporting (Art. 20, 21(2)(a)-(j), 23)",
                    "article",
                    "clauses:"
                    + ";".join(
                        [
                            "Art. 20(1)",
                            "Art. 20(2)",
                            *(f"Art. 21(2)({p})" for p in "abcdefghij"),
                            "Art. 23(1)",
                            "Art. 23(2)",
                            "Art. 23(4)",
                        ]
                    ),
                ),
            ),
        ),
        _eur_lex(
            id="dora",
            name="DORA",
            label="DORA",
            version="Regulation (EU) 2022/2554, OJ L 333, 27.12.2022 (not consolidated)",
            url="https://eur-lex.europa.eu/eli/reg/2022/2554/oj",
            folder="eu-dora-2022-2554",
            parser="ingest.frameworks.eu_law:parse_dora",
            names=r"(?-i:\bDORA\b)|digital operational resilience|2022/2554",
            applies=r"\bDORA\b|digital operational resilience",
            gaps=(
                GapSet(
                    "dora",
                    "DORA ICT risk, incidents, resilience testing and third-party risk (Art. 5-30)",
                    "pillar",
                    "clauses:" + ";".join(f"Art. {n}" for n in range(5, 31)),
                ),
            ),
        ),
        _eur_lex(
            id="cra",
            name="Cyber Resilience Act",
            label="CRA",
            version="Regulation (EU) 2024/2847, OJ L, 20.11.2024 (not consolidated)",
            url="https://eur-lex.europa.eu/eli/reg/2024/2847/oj",
            folder="eu-cra-2024-2847",
            parser="ingest.frameworks.eu_law:parse_cra",
            names=r"\bCRA\b|cyber resilience act|2024/2847",
            applies=r"\bCRA\b|cyber resilience act|products with digital elements",
            gaps=(
                GapSet(
                    "cra",
                    "CRA essential cybersecurity requirements (Annex I Parts I and II)",
                    "part",
                    "clauses:"
                    + ";".join(
                        [
                            "Annex I, Part I, point 1",
                            *(f"Annex I, Part I, point 2({p})" for p in "abcdefghijklm"),
                            *(f"Annex I, Part II, point {n}" for n in range(1, 9)),
                        ]
                    ),
                ),
            ),
        ),
        _eur_lex(
            id="ai-act",
            name="AI Act",
            label="AI Act",
            version="Regulation (EU) 2024/1689, OJ L, 12.7.2024 (not consolidated)",
            url="https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
            folder="eu-ai-act-2024-1689",
            parser="ingest.frameworks.eu_law:parse_ai_act",
            names=r"\bAI Act\b|artificial intelligence act|2024/1689",
            applies=r"\bAI Act\b|artificial intelligence act",
        ),
        _nist(
            id="privacy-framework",
            name="NIST Privacy Framework 1.0",
            label="NIST Privacy Framework",
            version="1.0 Core (16 January 2020)",
            licence="Public domain (US Gov)",
            url="https://www.nist.gov/privacy-framework",
            folder="nist-privacy-framework-1.0",
            parser="ingest.frameworks.privacy_framework:parse",
            names=r"\bprivacy framework\b",
            applies=r"\bprivacy framework\b",
            gaps=(
                GapSet(
                    "privacy-framework",
                    "NIST Privacy Framework 1.0 Core subcategories",
                    "function",
                    "subcategories",
                ),
            ),
        ),
    )
}

UNSHIPPED: tuple[Unshipped, ...] = (
    Unshipped("PCI DSS", r"\bPCI(?:[- ]?DSS)?\b", "PCI SSC licence: no redistribution or modification"),
    Unshipped("ISO/IEC 27001", r"\bISO(?:/IEC)?\s*2700[12]\b", "copyrighted ISO/IEC standard"),
    Unshipped("SOC 2", r"\bSOC ?2\b", "AICPA copyright, no open licence"),
    Unshipped("CIS Controls", r"\bCIS (?:Critical Security )?Controls?\b", "CC BY-NC-ND 4.0"),
    Unshipped("CCPA", r"\b(?:CCPA|CPRA)\b", "not shipped"),
)


def get(framework_id: str) -> Framework:
    """The entry for ``framework_id``; ``KeyError`` naming the valid ids when it is unknown."""
    try:
        return FRAMEWORKS[framework_id]
    except KeyError:
        raise KeyError(f"unknown framework {framework_id!r}; valid: {', '.join(FRAMEWORKS)}") from None


def by_id() -> dict[str, Framework]:
    return dict(FRAMEWORKS)


def shipped() -> list[Framework]:
    """The frameworks whose text is in the library (they have a parser), in registry order."""
    return [f for f in FRAMEWORKS.values() if f.ships]


def unshipped() -> list[Unshipped]:
    """Frameworks a question may name whose text is not in the library: ``UNSHIPPED`` plus registry
    entries that have no parser yet."""
    pending = [
        Unshipped(f.label, f.names, "not yet in the library")
        for f in FRAMEWORKS.values()
        if not f.ships and f.names
    ]
    return [*pending, *UNSHIPPED]


def attribution_lines(sources: Iterable[str | None]) -> list[str]:
    """ "<name>: <attribution>" for each framework among ``sources`` (citations' or chunks' ``source``),
    once each, in registry order: the lines every export that quotes a clause keeps."""
    wanted = set(sources)
    return [f"{f.name}: {f.attribution}" for f in FRAMEWORKS.values() if f.name in wanted]


def gap_sets() -> dict[str, tuple[Framework, GapSet]]:
    """Gap analysis id -> (framework, gap set), for the shipped frameworks, in registry order."""
    return {g.id: (f, g) for f in shipped() for g in f.gaps}


def gap_set(gap_id: str) -> tuple[Framework, GapSet]:
    sets = gap_sets()
    if gap_id not in sets:
        raise KeyError(f"unknown framework {gap_id!r}; valid: {', '.join(sets)}")
    return sets[gap_id]
