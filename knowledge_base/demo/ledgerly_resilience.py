"""Ledgerly's operational-resilience documents, the ones a NIS2 or DORA assessment asks for first: the
register of ICT third-party arrangements and the ICT incident classification procedure.

Planted gaps (recorded in FACTS.md): the register was last reviewed 2025-06-30 although it must be reviewed
every year; Okta supports a critical function but has no exit plan; the PagerDuty contract grants no audit
rights; the classification procedure is a draft the management board has not approved and has no criterion
for reputational impact.
"""

from __future__ import annotations

# ------------------------------------------------------------------------ ICT_Third_Party_Register.docx
REGISTER_HEADERS = ["Ref", "Provider", "ICT service", "Critical or important function", "Data location",
                    "Audit rights", "Exit plan", "Last risk assessment"]
PROVIDERS = [
    ["ICT-01", "Amazon Web Services EMEA SARL", "Cloud hosting of Ledgerly Pay API, vault and databases",
     "Yes - payment processing", "EU (Frankfurt, Ireland)", "Yes", "EXIT-01 (tested 2025-11)", "2026-01-12"],
    ["ICT-02", "Okta, Inc.", "Workforce identity and single sign-on", "Yes - access to all production systems",
     "EU cell", "Yes", "None", "2025-09-03"],
    ["ICT-03", "Google Cloud EMEA Ltd (Workspace)", "Email, documents, calendars", "No", "EU", "Yes",
     "EXIT-03", "2025-10-20"],
    ["ICT-04", "Gravitational, Inc. (Teleport)", "Privileged access to production", "Yes - production access",
     "EU (self-hosted)", "Yes", "EXIT-04", "2026-02-02"],
    ["ICT-05", "PagerDuty, Inc.", "On-call alerting for incidents", "Yes - incident response", "US", "No",
     "EXIT-05", "2025-05-14"],
    ["ICT-06", "Zendesk, Inc.", "Merchant support tickets", "No", "EU", "Yes", "EXIT-06", "2025-12-01"],
]
REGISTER_BLOCKS: list[tuple] = [
    ("title", "Register of ICT Third-Party Service Providers"),
    ("subtitle", "Ledgerly Payments B.V."),
    ("meta", [("Document", "TPR-01, version 1.4"), ("Owner", "Pieter Bakker, Compliance Manager"),
              ("Last reviewed", "2025-06-30"), ("Next review due", "2026-06-30")]),
    ("h1", "1 Purpose and Scope"),
    ("p", "This register lists every contractual arrangement under which an ICT third-party service provider "
          "supplies ICT services to Ledgerly Payments B.V., as required for our digital operational "
          "resilience programme. It records for each arrangement whether the service supports a critical or "
          "important function, where data is processed, whether we hold audit and access rights, and the exit "
          "plan. The register must be reviewed at least once a year and whenever a new provider is engaged."),
    ("h1", "2 ICT Service Providers"),
    ("table", REGISTER_HEADERS, PROVIDERS, None),
    ("h1", "3 Open Points"),
    ("bullets", [
        "Okta supports access to all production systems, a critical function, but no exit plan has been "
        "written for it yet (owner: Tomasz Nowak).",
        "The PagerDuty contract does not grant Ledgerly or its supervisor audit and access rights; "
        "renegotiation is planned for the renewal in 2026-09.",
        "Concentration: AWS hosts every production workload; the DR region is with the same provider.",
    ]),
]

# --------------------------------------------------------------- Incident_Classification_Procedure.docx
CLASSIFICATION_BLOCKS: list[tuple] = [
    ("title", "ICT Incident Classification Procedure"),
    ("subtitle", "Ledgerly Payments B.V."),
    ("meta", [("Document", "IR-CL-01, version 0.9 (draft)"), ("Owner", "Raj Patel, VP of Security Engineering"),
              ("Status", "Draft, not yet approved by the management board"), ("Last updated", "2026-03-30")]),
    ("h1", "1 Purpose"),
    ("p", "This procedure tells the incident lead how to classify every ICT-related incident and when a "
          "major incident must be reported to De Nederlandsche Bank. It complements the Incident Response "
          "Runbook (IR-RB-01)."),
    ("h1", "2 Classification Criteria"),
    ("p", "The incident lead classifies each ICT-related incident within 2 hours of detection using these "
          "criteria:"),
    ("bullets", [
        "Merchants and payment transactions affected: more than 10% of merchants or more than 50,000 "
        "transactions.",
        "Duration and service downtime: payment processing unavailable for more than 2 hours.",
        "Geographical spread: merchants affected in two or more EU member states.",
        "Data losses: any loss of availability, integrity or confidentiality of card or personal data.",
        "Criticality of the services affected: the Ledgerly Pay API, hosted checkout or vault.",
        "Economic impact: direct costs and losses above EUR 100,000.",
    ]),
    ("h1", "3 Severity Levels"),
    ("bullets", [
        "Major: two or more criteria met, or any data loss affecting card data.",
        "Significant: one criterion met.",
        "Minor: no criterion met; handled under the runbook without regulatory reporting.",
    ]),
    ("h1", "4 Reporting Timelines"),
    ("p", "For a major incident the Compliance Manager, Pieter Bakker, submits the initial notification to "
          "De Nederlandsche Bank within 4 hours of classification and no later than 24 hours after detection, "
          "an intermediate report within 72 hours of the initial notification, and a final report within "
          "1 month. Merchants are informed within 24 hours when their payments are affected."),
    ("h1", "5 Review"),
    ("p", "The procedure is reviewed after every major incident and at least once a year. It has not yet "
          "been tested in an exercise."),
]

FACTS: list[tuple[str, str, str, list[str]]] = [
    ("When was the ICT third-party register last reviewed?", "ICT_Third_Party_Register.docx",
     "Register of ICT Third-Party Service Providers", ["2025-06-30"]),
    ("Which ICT provider supporting a critical function has no exit plan?", "ICT_Third_Party_Register.docx",
     "3 Open Points", ["Okta", "no exit plan"]),
    ("Which ICT provider's contract grants no audit rights?", "ICT_Third_Party_Register.docx", "3 Open Points",
     ["PagerDuty", "does not grant"]),
    ("Within how many hours must a major ICT incident be notified to the supervisor?",
     "Incident_Classification_Procedure.docx", "4 Reporting Timelines", ["within 4 hours", "24 hours"]),
    ("Has the management board approved the incident classification procedure?",
     "Incident_Classification_Procedure.docx", "ICT Incident Classification Procedure",
     ["not yet approved by the management board"]),
]
