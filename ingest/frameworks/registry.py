"""The framework registry: the one place that defines every framework vciso knows.

Nothing else defines framework names, labels, versions, licences, download locations or gap-analysis
sets; drafting, gap analysis, retrieval, abstention, the Library page, the evals and the CLI all read
them from here (``FRAMEWORKS``, ``UNSHIPPED`` and the helper functions at the bottom).

Adding a framework is one ``Framework(...)`` entry in ``FRAMEWORKS`` plus a parser module with
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
- ``files``         tuple of ``SourceFile(name, sha256, url)``: every file of the folder, pinned by
  sha256; ``url`` is the canonical download location at a pinned commit, or "" for a file the corpus
  maintainers *derived* from an upstream file (``derived_from``), which only a mirror can serve
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


@dataclass(frozen=True)
class SourceFile:
    name: str  # path inside the framework's corpus folder
    sha256: str
    url: str = ""  # canonical download URL at a pinned commit; "" for a derived file
    derived_from: str = ""  # for a derived file: the upstream file it was generated from


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
    files: tuple[SourceFile, ...]
    parser: str = ""
    names: str = ""
    applies: str = ""
    gaps: tuple[GapSet, ...] = ()

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


_GH = "https://raw.githubusercontent.com"
_OSCAL_53 = f"{_GH}/usnistgov/oscal-content/a849dbca4649e0cc626fefdd46cf5232c8308f4c"
_OSCAL_DEV = f"{_GH}/usnistgov/oscal-content/3b3cdee8f9f9f3e9f18dd70d89a58d6287ae433f"
_OSCAL_LICENSE = SourceFile(
    "UPSTREAM-LICENSE.md",
    "9f0ddd1ed71f691bb483965a7c46e1315ab6cc28dac0426d4c3d27108aafde13",
    f"{_GH}/usnistgov/oscal-content/88bb8deeaa815f8914d68ea7e31a622ebbc1719d/LICENSE.md",
)
_APTIBLE = (
    "https://raw.githubusercontent.com/aptible/www.aptible.com/"
    "7115acc547332fa98a8f58ec0ab2a659878af2ce/source/hipaa/regulations"
)
_GDPR_XML = (
    "https://raw.githubusercontent.com/andersju/gdpr-xml/416aecf94a6a519aa5825a47911e7d5ab88c86e9/"
    "consolidated-with-corrected-preamble/gdpr-consolidated-with-corrected-preamble-en.xml"
)
_ASVS = "https://raw.githubusercontent.com/OWASP/ASVS/fe04986146b0db0a54d3eb2b9c755c78874ce910"
_CSA_EU = (
    f"{_GH}/CloudSecurityAlliance-DataSets/dataset-public-laws-regulations-standards/"
    "7d418867b0650a0982683b90af1bd0a42357a227/regulation/europa.eu"
)
_NIST_NOTE = "Source: NIST ({url}). Work of the US Government, not subject to copyright in the US."
_EURLEX = (
    "Source: EUR-Lex (https://eur-lex.europa.eu), © European Union. "
    "Only the Official Journal of the European Union is authentic."
)
_EU_LICENCE = "© European Union; reuse authorised by Decision 2011/833/EU, with attribution"
_NIST = "National Institute of Standards and Technology (NIST)"
_EU = "European Union (Publications Office, EUR-Lex)"

_HIPAA_SECTIONS = tuple(
    tuple(line.split())
    for line in """
160-103-definitions.md 17c5b26d031f39e79d6425f355a8223306639ce711aa5ba1ff58c413ddb2eb2b
164-102-statutory-basis.md 089a0f731fa0f053d66f333311296241cc88c85011a3f6b7502175c5a2f21ccf
164-103-definitions.md 8f2b0f4237179384ef87f1606cc0411c9d7f88ef7eab46b909146c92c5609e86
164-104-applicability.md f0f2f9c87de21ef46f424e87728384e241d9a2cfc68990b76c66b7a4abf95c37
164-105-organizational-requirements.md 8fb5dc0382d4a988d981ea751a847363bf50bfadf465c87d3aac990a45193283
164-106-relationship-other-parts.md ad0d70146a93cf7f4f5107696652ebe0cd8c605ec13927e2e03487ba1c792af2
164-302-applicability.md c5b17986f0c4a730bca17d1ae25beebdcb0a7926e226c16fa64a4ea8cd288913
164-304-definitions.md e16dc5a0fb92a5d325467bb2347f4aaab5b717408c00097ed415cdad1b349615
164-306-security-general.md bca09fd2a836545ca41f16f48f588c901e81d2959da10b347a2746b79a2e1414
164-308-administrative-safeguards.md 9bcf2231cb98246562c3c7be99f371cccc1c7f21b62478e89a4644e0938e7f18
164-310-physical-safeguards.md 10a93d6d501343768fe2e707f9c2bddec26c6d41ae7e0dbbf447b67e7c068e1f
164-312-technical-safeguards.md 88d75a99bba9c0a45e5779024afb88893f2026291bb391599a0cbda9f05ab9b0
164-314-organizational-requirements.md 5a45c3fd8262cf15334bab38aa6be0b1ce320b3014e74b0ba49f669a0f85046a
164-316-policies-procedures-documentation.md 1a5d8d98de955acdd3e5591847cf456a1c7b85656d65ce21161aea1376ab6d40
164-318-compliance-dates.md a52872bb6abdcbd64fa30c88128b6701e40c5544bf9062eab4976af6bf6b4e4b
164-400-applicability.md ca017a672952a5e4bb243c95dada7a53f98a811be972a829234f63d6b6c10917
164-402-definitions.md 83cbebfcaae34a601f115a6c3831a56a51f3461d0a12e8510d816d110b511fee
164-404-notification-individuals.md c91bf3ad4160c0a77a2dde55241419b75d6d86f1afbed293e0ebb55d11914592
164-406-notification-media.md 52e3b1f058e57449ed7f8b76b2ec9d853d0ba360172cbea04d22714daac3db03
164-408-notification-secretary.md cee5fe5b54a32426df44f2e8e1ce64effd7f64bf1ecc34c2e978aa55fefddbc8
164-410-notification-business-associate.md 24c73e640a61320685abfdd64048ae409ea7c17bbf8f4d2f749485f8e89d4bc8
164-412-law-enforcement-delay.md 5e1b2d4aa0fdad293bc9897962f783f765ffc7eff26536d3f448f7cad9c89eaf
164-414-administrative-requirements.md 4e7814346c726e801afcd50c53216de80faa4a35eec0dddfaea879f551238806
""".strip().splitlines()
)


def _eu_files(slug: str, html: str, html_sha: str) -> tuple[SourceFile, ...]:
    return (SourceFile(html, html_sha, f"{_CSA_EU}/{slug}/{html}"),)


FRAMEWORKS: dict[str, Framework] = {
    f.id: f
    for f in (
        Framework(
            id="nist-800-53",
            name="NIST SP 800-53 Rev. 5",
            label="NIST SP 800-53",
            jurisdiction="US",
            version="Rev. 5 (OSCAL catalog 5.0.1, 2021-06-08)",
            publisher=_NIST,
            licence="Public domain (US Gov), CC0",
            url="https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
            attribution=_NIST_NOTE.format(url="https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final"),
            folder="nist-sp800-53r5",
            files=(
                *(
                    SourceFile(
                        f"NIST_SP-800-53_rev5_{n}-min.json",
                        s,
                        f"{_OSCAL_53}/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_{n}-min.json",
                    )
                    for n, s in (
                        ("catalog", "acf65f034c6226137a89e949545ca3fbd1bab923253e9ea028fd49acee5a6da1"),
                        (
                            "LOW-baseline_profile",
                            "aa0d768be1fc59621579113b25f7a4ba892aac135c5ecda33a968071ecc54dfd",
                        ),
                        (
                            "MODERATE-baseline_profile",
                            "bf3242d40a7f2bdc184dd46e1090016a4dd6b9394f01cd1a580eca0ec9a44dca",
                        ),
                        (
                            "HIGH-baseline_profile",
                            "0a37e62c06b20d45d554b7df5800ebda727c3a5e094c590e0bae4d46cf35fc0a",
                        ),
                        (
                            "PRIVACY-baseline_profile",
                            "0cd64814399f665802e7e513872fa5d103c4dbb9a8d20317d903fb23f4bf7c4a",
                        ),
                    )
                ),
                _OSCAL_LICENSE,
            ),
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
        Framework(
            id="csf-2.0",
            name="NIST CSF 2.0",
            label="NIST CSF 2.0",
            jurisdiction="US",
            version="2.0 (CSWP 29, Feb 2024; OSCAL 2025-05-29)",
            publisher=_NIST,
            licence="Public domain (US Gov), CC0",
            url="https://www.nist.gov/cyberframework",
            attribution=_NIST_NOTE.format(url="https://www.nist.gov/cyberframework"),
            folder="nist-csf-2.0",
            files=(
                SourceFile(
                    "NIST_CSF_v2.0_catalog.xml",
                    "53ee579c09a7b9d9c635964a92dc6c63bd39921a55e8142d69c7dd95cb3b3076",
                    f"{_OSCAL_DEV}/src/nist.gov/CSF/v2.0/xml/NIST_CSF_v2.0_catalog.xml",
                ),
                _OSCAL_LICENSE,
            ),
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
            files=tuple(SourceFile(f"sections/{n}", s, f"{_APTIBLE}/{n}") for n, s in _HIPAA_SECTIONS),
            parser="ingest.frameworks.hipaa:parse",
            names=r"\bHIPAA\b|\bCFR\b|security rule|breach notification rule",
            applies=r"\bHIPAA\b|45 CFR|\bePHI\b|protected health information",
            gaps=(
                GapSet(
                    "hipaa", "HIPAA Security Rule (45 CFR 164 Subpart C)", "section", "units:hipaa_units.json"
                ),
            ),
        ),
        Framework(
            id="gdpr",
            name="GDPR",
            label="GDPR",
            jurisdiction="EU",
            version="Regulation (EU) 2016/679, consolidated 2018-05-23 with the 2018 corrigendum",
            publisher=_EU,
            licence=_EU_LICENCE,
            url="https://eur-lex.europa.eu/eli/reg/2016/679/oj",
            attribution=_EURLEX,
            folder="gdpr",
            files=(
                SourceFile(
                    "gdpr-consolidated-with-corrected-preamble-en.xml",
                    "5b3c01d36eaebb343146b1c1c59325005755481ca32fd04ddf0f60b5490fcd41",
                    _GDPR_XML,
                ),
            ),
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
            files=(
                SourceFile(
                    "OWASP_Application_Security_Verification_Standard_5.0.0_en.json",
                    "bcdbec214d70abcfad9284a31d4f9e5134305831d628aad3aa85d7e26626cb35",
                    f"{_ASVS}/5.0/docs_en/OWASP_Application_Security_Verification_Standard_5.0.0_en.json",
                ),
                SourceFile(
                    "UPSTREAM-LICENSE.md",
                    "28a9529c7d0bb4dc51f4bf5c116a3d16ef247a052f7591466768ddf563fd1cf5",
                    f"{_ASVS}/LICENSE.md",
                ),
            ),
            parser="ingest.frameworks.asvs:parse",
            names=r"\bASVS\b",
            applies=r"\bASVS\b",
        ),
        Framework(
            id="nist-800-171",
            name="NIST SP 800-171 Rev. 3",
            label="NIST SP 800-171",
            jurisdiction="US",
            version="Rev. 3 (May 2024; OSCAL catalog 1.0.0, 2025-05-29)",
            publisher=_NIST,
            licence="Public domain (US Gov), CC0",
            url="https://csrc.nist.gov/pubs/sp/800/171/r3/final",
            attribution=_NIST_NOTE.format(url="https://csrc.nist.gov/pubs/sp/800/171/r3/final"),
            folder="nist-sp800-171r3",
            files=(
                SourceFile(
                    "NIST_SP800-171_rev3_catalog.xml",
                    "4c4767e75c25990fc516820cd54358346c9851514ada093a2bf89d20374c8bab",
                    f"{_OSCAL_DEV}/src/nist.gov/SP800-171/rev3/xml/NIST_SP800-171_rev3_catalog.xml",
                ),
                _OSCAL_LICENSE,
            ),
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
        Framework(
            id="nis2",
            name="NIS2 Directive",
            label="NIS2",
            jurisdiction="EU",
            version="Directive (EU) 2022/2555, OJ L 333, 27.12.2022 (not consolidated)",
            publisher=_EU,
            licence=_EU_LICENCE,
            url="https://eur-lex.europa.eu/eli/dir/2022/2555/oj",
            attribution=_EURLEX,
            folder="eu-nis2-2022-2555",
            files=_eu_files(
                "nis2",
                "eu-nis2-act.html",
                "073be65ad18aca4ab009495642ab5093f08e1185edcadb4a5b92394c9f9b1c96",
            ),
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
        Framework(
            id="dora",
            name="DORA",
            label="DORA",
            jurisdiction="EU",
            version="Regulation (EU) 2022/2554, OJ L 333, 27.12.2022 (not consolidated)",
            publisher=_EU,
            licence=_EU_LICENCE,
            url="https://eur-lex.europa.eu/eli/reg/2022/2554/oj",
            attribution=_EURLEX,
            folder="eu-dora-2022-2554",
            files=_eu_files(
                "dora",
                "eu-dora-act.html",
                "b0cbc681162614f1732ea84592fa2aa06143b06feeb2cf31021ef44573d020d3",
            ),
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
        Framework(
            id="cra",
            name="Cyber Resilience Act",
            label="CRA",
            jurisdiction="EU",
            version="Regulation (EU) 2024/2847, OJ L, 20.11.2024 (not consolidated)",
            publisher=_EU,
            licence=_EU_LICENCE,
            url="https://eur-lex.europa.eu/eli/reg/2024/2847/oj",
            attribution=_EURLEX,
            folder="eu-cra-2024-2847",
            files=_eu_files(
                "cra",
                "eu-cra-act.html",
                "9d0163623a6575d5bf81609370e48006afe528e149ead77e188dfa8680e7a892",
            ),
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
        Framework(
            id="ai-act",
            name="AI Act",
            label="AI Act",
            jurisdiction="EU",
            version="Regulation (EU) 2024/1689, OJ L, 12.7.2024 (not consolidated)",
            publisher=_EU,
            licence=_EU_LICENCE,
            url="https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
            attribution=_EURLEX,
            folder="eu-ai-act-2024-1689",
            files=_eu_files(
                "ai-act",
                "eu-ai-act.html",
                "15a3eb4de3bc69022fc3d85a74663c5d5ca8af67e3e5e24a019737d090ca9870",
            ),
            parser="ingest.frameworks.eu_law:parse_ai_act",
            names=r"\bAI Act\b|artificial intelligence act|2024/1689",
            applies=r"\bAI Act\b|artificial intelligence act",
        ),
        Framework(
            id="privacy-framework",
            name="NIST Privacy Framework 1.0",
            label="NIST Privacy Framework",
            jurisdiction="US",
            version="1.0 Core (16 January 2020)",
            publisher=_NIST,
            licence="Public domain (US Gov)",
            url="https://www.nist.gov/privacy-framework",
            attribution=_NIST_NOTE.format(url="https://www.nist.gov/privacy-framework"),
            folder="nist-privacy-framework-1.0",
            files=(
                SourceFile(
                    "NIST-Privacy-Framework-V1.0-Core.xlsx",
                    "78ef6a8b9706ea22827ebf1eee2bcf248432885b7438234e633c2fd911256ef0",
                    "https://raw.githubusercontent.com/divya-deepdivelabs/NODES24/"
                    "a3afb9904d5d6922fb8b55d8e6b057d91b9d7d51/NIST-Privacy-Framework-V1.0-Core.xlsx",
                ),
            ),
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
