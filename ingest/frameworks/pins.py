"""Where each framework's text comes from: every file a parser reads, with its canonical download URL at a
pinned commit and its sha256 (read by :mod:`ingest.frameworks.registry`; used by ``vciso kb fetch``).

The URLs are the publishers' own repositories where they publish one (usnistgov/oscal-content, OWASP/ASVS);
otherwise a byte-identical public copy of the publisher's file, named in the corpus folder's SOURCE.md:
EUR-Lex refuses clients that are not browsers, so the EU acts come from the Cloud Security Alliance's copy of
the EUR-Lex pages and the GDPR from a copy of the Publications Office's Formex XML; the CFR sections from
Aptible's transcription (the eCFR is authoritative); the Privacy Framework Core workbook from a public copy
of NIST's download. A pin changes only when a new edition is reviewed (``vciso kb fetch --update`` shows
what changed upstream).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceFile:
    name: str  # path inside the framework's corpus folder
    sha256: str
    url: str


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


FILES: dict[str, tuple[SourceFile, ...]] = {
    "nist-800-53": (
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
    "csf-2.0": (
        SourceFile(
            "NIST_CSF_v2.0_catalog.xml",
            "53ee579c09a7b9d9c635964a92dc6c63bd39921a55e8142d69c7dd95cb3b3076",
            f"{_OSCAL_DEV}/src/nist.gov/CSF/v2.0/xml/NIST_CSF_v2.0_catalog.xml",
        ),
        _OSCAL_LICENSE,
    ),
    "hipaa": tuple(SourceFile(f"sections/{n}", s, f"{_APTIBLE}/{n}") for n, s in _HIPAA_SECTIONS),
    "gdpr": (
        SourceFile(
            "gdpr-consolidated-with-corrected-preamble-en.xml",
            "5b3c01d36eaebb343146b1c1c59325005755481ca32fd04ddf0f60b5490fcd41",
            _GDPR_XML,
        ),
    ),
    "asvs-5.0": (
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
    "nist-800-171": (
        SourceFile(
            "NIST_SP800-171_rev3_catalog.xml",
            "4c4767e75c25990fc516820cd54358346c9851514ada093a2bf89d20374c8bab",
            f"{_OSCAL_DEV}/src/nist.gov/SP800-171/rev3/xml/NIST_SP800-171_rev3_catalog.xml",
        ),
        _OSCAL_LICENSE,
    ),
    "nis2": _eu_files(
        "nis2",
        "eu-nis2-act.html",
        "073be65ad18aca4ab009495642ab5093f08e1185edcadb4a5b92394c9f9b1c96",
    ),
    "dora": _eu_files(
        "dora",
        "eu-dora-act.html",
        "b0cbc681162614f1732ea84592fa2aa06143b06feeb2cf31021ef44573d020d3",
    ),
    "cra": _eu_files(
        "cra",
        "eu-cra-act.html",
        "9d0163623a6575d5bf81609370e48006afe528e149ead77e188dfa8680e7a892",
    ),
    "ai-act": _eu_files(
        "ai-act",
        "eu-ai-act.html",
        "15a3eb4de3bc69022fc3d85a74663c5d5ca8af67e3e5e24a019737d090ca9870",
    ),
    "privacy-framework": (
        SourceFile(
            "NIST-Privacy-Framework-V1.0-Core.xlsx",
            "78ef6a8b9706ea22827ebf1eee2bcf248432885b7438234e633c2fd911256ef0",
            "https://raw.githubusercontent.com/divya-deepdivelabs/NODES24/"
            "a3afb9904d5d6922fb8b55d8e6b057d91b9d7d51/NIST-Privacy-Framework-V1.0-Core.xlsx",
        ),
    ),
}
