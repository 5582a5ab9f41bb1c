"""Ledgerly Payments: PCI internal audit (PDF), sub-processor list (DOCX), incident response runbook
(Markdown), data retention schedule (HTML) and risk register (CSV). Fictional.
"""

from __future__ import annotations

# ---------------------------------------------------------------------- PCI_Internal_Audit_2026.pdf

AUDIT_FINDINGS: list[dict] = [
    {
        "id": "L-01", "short": "ASV scan missed for Q1 2026",
        "title": "Quarterly ASV scan missed for Q1 2026",
        "severity": "High", "req": "PCI DSS Req. 11.3.2 (external vulnerability scans)",
        "req_short": "11.3.2",
        "observation": "No external scan by the Approved Scanning Vendor was run in the first "
                       "quarter of 2026. The scan scheduled for 2026-02-16 was cancelled during the "
                       "migration of the public load balancers and was not rescheduled. The last "
                       "passing ASV scan is dated 2025-11-24.",
        "recommendation": "Run an ASV scan immediately, remediate until a passing result is "
                          "obtained, and alert the Compliance Manager when a quarterly scan is not "
                          "scheduled 30 days before quarter end.",
        "owner": "Tomasz Nowak, Head of Platform Engineering", "due": "2026-06-15",
        "status": "In progress",
    },
    {
        "id": "L-02", "short": "Tokenization key rotation overdue",
        "title": "Key rotation for tokenization keys overdue",
        "severity": "High", "req": "PCI DSS Req. 3.7.4 (key changes at the end of the cryptoperiod)",
        "req_short": "3.7.4",
        "observation": "The data encryption key vault-dek-2024 used by Ledgerly Vault was last "
                       "rotated on 2024-11-18. With a cryptoperiod of 12 months, rotation was due by "
                       "2025-11-18 and is overdue by more than 4 months. The rotation runbook "
                       "depends on a single engineer.",
        "recommendation": "Rotate vault-dek-2024, re-wrap existing tokens, and automate a reminder 60 "
                          "days before each cryptoperiod ends; train a second key custodian.",
        "owner": "Ana Costa, Staff Security Engineer (Cryptography)", "due": "2026-05-31",
        "status": "In progress",
    },
    {
        "id": "L-03", "short": "January 2026 access review incomplete",
        "title": "Semi-annual access review not completed on time",
        "severity": "Medium", "req": "PCI DSS Req. 7.2.4 (review of user accounts and access)",
        "req_short": "7.2.4",
        "observation": "The January 2026 semi-annual access review started on 2026-01-12. After 45 "
                       "days, 22% of accounts in scope were still unconfirmed, and 3 unconfirmed "
                       "accounts with Teleport production roles had not been disabled as the policy "
                       "requires.",
        "recommendation": "Disable the 3 accounts, finish the review, and escalate unconfirmed "
                          "accounts to the VP of Security Engineering after 30 days.",
        "owner": "Raj Patel, VP of Security Engineering", "due": "2026-06-30", "status": "Open",
    },
    {
        "id": "L-04", "short": "CloudTrail logs in eu-west-1 kept 90 days",
        "title": "Audit log retention shorter than 1 year in the DR region",
        "severity": "Medium", "req": "PCI DSS Req. 10.5.1 (retention of audit log history)",
        "req_short": "10.5.1",
        "observation": "AWS CloudTrail logs for the disaster-recovery region eu-west-1 were stored in "
                       "a bucket with a 90-day lifecycle rule instead of the 1 year required by "
                       "policy section 7.2.",
        "recommendation": "Apply the standard 1-year Object Lock retention to the eu-west-1 log bucket.",
        "owner": "Tomasz Nowak, Head of Platform Engineering", "due": "2026-05-15",
        "status": "Remediated 2026-04-20, pending validation",
    },
    {
        "id": "L-05", "short": "Checkout page script inventory incomplete",
        "title": "Payment page script inventory incomplete",
        "severity": "Medium", "req": "PCI DSS Req. 6.4.3 (management of payment page scripts)",
        "req_short": "6.4.3",
        "observation": "The hosted checkout page loads 11 scripts. 3 of them (a font loader, an A/B "
                       "testing snippet and an analytics tag) are not in the script inventory and "
                       "have no documented authorization or integrity check.",
        "recommendation": "Remove the A/B testing snippet, authorize and inventory the others, and "
                          "enforce a Content Security Policy with subresource integrity.",
        "owner": "Lukas Meyer, Engineering Manager, Checkout", "due": "2026-07-31", "status": "Open",
    },
    {
        "id": "L-06", "short": "TPSP compliance evidence missing for 2 of 7",
        "title": "Third-party service provider compliance evidence not collected",
        "severity": "Low", "req": "PCI DSS Req. 12.8.4 (monitoring TPSP compliance status)",
        "req_short": "12.8.4",
        "observation": "For 2 of the 7 third-party service providers that affect card data "
                       "security, no current attestation of compliance was on file for 2025.",
        "recommendation": "Obtain current attestations and add an annual evidence request to the "
                          "vendor calendar.",
        "owner": "Pieter Bakker, Compliance Manager", "due": "2026-08-31", "status": "Open",
    },
]


def _audit_blocks(f: dict) -> list[tuple]:
    return [
        ("h2", f"{f['id']} {f['title']}"),
        ("p", f"Severity: {f['severity']}. Reference: {f['req']}. Owner: {f['owner']}. "
              f"Due date: {f['due']}. Status: {f['status']}."),
        ("p", f"Observation: {f['observation']}"),
        ("p", f"Recommendation: {f['recommendation']}"),
    ]


_BY_ID = {f["id"]: f for f in AUDIT_FINDINGS}

AUDIT_PAGES: list[list[tuple]] = [
    [
        ("title", "PCI DSS Internal Audit 2026"),
        ("subtitle", "Ledgerly Payments B.V. - Internal Audit Report IA-2026-02"),
        ("meta", [
            ("Prepared by", "Hannah Berg, Head of Internal Audit"),
            ("Reports to", "Audit Committee of the Supervisory Board"),
            ("Fieldwork", "2026-03-02 to 2026-04-10"),
            ("Report date", "2026-04-24"),
            ("Standard", "PCI DSS v4.0.1 (requirements referenced by number only)"),
        ]),
        ("h1", "1 Executive Summary"),
        ("p", "Internal Audit tested a sample of PCI DSS requirements ahead of the annual assessment "
              "by Ledgerly's Qualified Security Assessor, planned for September 2026. We report 6 "
              "findings: 2 High, 3 Medium and 1 Low. No finding indicates that cardholder data has "
              "been compromised."),
        ("p", "The two High findings need action before the assessment: the external ASV scan for "
              "the first quarter of 2026 was missed (L-01), and the rotation of the tokenization "
              "data encryption key is overdue (L-02). Both would prevent a compliant Report on "
              "Compliance if not fixed and evidenced."),
        ("h1", "2 Scope"),
        ("p", "In scope were the cardholder data environment (Ledgerly Vault and the tokenization "
              "service), the hosted checkout page, connected systems in AWS eu-central-1 and "
              "eu-west-1, and the supporting processes for access, logging, vulnerability "
              "management and third-party service providers. 42 requirements were tested."),
    ],
    [
        ("h1", "3 Findings Summary"),
        ("table", ["ID", "Finding", "Severity", "PCI DSS req.", "Owner", "Due date", "Status"],
         [[f["id"], f["short"], f["severity"], f["req_short"], f["owner"].split(",")[0], f["due"],
           f["status"]] for f in AUDIT_FINDINGS],
         (10, 40, 15, 17, 25, 19, 34)),
        ("h2", "3.1 Rating Scale"),
        ("bullets", [
            "High: requirement not met; would lead to a non-compliant assessment result.",
            "Medium: requirement partially met; compensating evidence may be accepted.",
            "Low: evidence or documentation gap.",
        ]),
    ],
    [("h1", "4 Detailed Findings")] + _audit_blocks(_BY_ID["L-01"]) + _audit_blocks(_BY_ID["L-02"])
    + _audit_blocks(_BY_ID["L-03"]),
    _audit_blocks(_BY_ID["L-04"]) + _audit_blocks(_BY_ID["L-05"]) + _audit_blocks(_BY_ID["L-06"]) + [
        ("h1", "5 Management Response and Sign-off"),
        ("p", "Management, represented by Raj Patel, VP of Security Engineering, agrees with all 6 "
              "findings and the due dates above. Internal Audit will verify remediation of L-01 and "
              "L-02 in July 2026. Signed: Hannah Berg, Head of Internal Audit, 2026-04-24."),
    ],
]

# ------------------------------------------------------------------------ Subprocessor_List.docx

SUBPROCESSOR_HEADERS = ["Sub-processor", "Purpose", "Data categories", "Location",
                        "Transfer mechanism", "Since"]
SUBPROCESSORS = [
    ["Amazon Web Services EMEA SARL", "Cloud hosting of Ledgerly Pay and Ledgerly Vault",
     "All customer data", "Germany (Frankfurt), Ireland", "No transfer - EEA only", "2019-06"],
    ["Google Cloud EMEA Ltd (Google Workspace)", "Email and documents for customer communication",
     "Merchant contact data", "EU, United States", "EU-US Data Privacy Framework and SCCs", "2019-06"],
    ["Deskly Support Inc.", "Customer support ticketing", "Merchant contact data, ticket content",
     "United States", "SCCs (Module 3) with transfer impact assessment", "2021-03"],
    ["Mailbridge Ltd", "Transactional email (receipts, payout notices)",
     "Email addresses, transaction summaries", "United Kingdom", "UK adequacy decision", "2020-09"],
    ["Sentrix Fraud Analytics B.V.", "Fraud scoring of transactions",
     "Transaction data, device data, IP addresses", "Netherlands", "No transfer - EEA only",
     "2022-01"],
    ["Nordic KYC AB", "Identity verification of merchant representatives",
     "Identity documents, names, dates of birth", "Sweden", "No transfer - EEA only", "2022-05"],
    ["CloudSignal Inc.", "Application monitoring and error tracking",
     "Pseudonymized identifiers, IP addresses", "EU region with US support access",
     "EU-US Data Privacy Framework", "2023-04"],
    ["Tessera Dev Services Pvt Ltd", "24x7 first-line support for merchants",
     "Merchant contact data, ticket content", "India", "SCCs (Module 3) with supplementary measures",
     "2025-10"],
]

SUBPROCESSOR_BLOCKS: list[tuple] = [
    ("title", "GDPR Sub-processor List"),
    ("subtitle", "Ledgerly Payments B.V."),
    ("meta", [("Maintained by", "Sofie Jansen, Data Protection Officer"),
              ("Last updated", "2026-03-15"), ("Contact", "dpo@ledgerly.example")]),
    ("h1", "1 Introduction"),
    ("p", "When Ledgerly processes personal data on behalf of its merchants, it acts as processor "
          "and engages the sub-processors below under written agreements that impose the same data "
          "protection obligations as our Data Processing Agreement. Merchants are notified at "
          "least 30 days before a new sub-processor is engaged and may object within that period."),
    ("h1", "2 Current Sub-processors"),
    ("table", SUBPROCESSOR_HEADERS, SUBPROCESSORS, None),
    ("h1", "3 Recent Changes"),
    ("bullets", [
        "2025-10: Tessera Dev Services Pvt Ltd added for 24x7 first-line support (notice sent "
        "2025-09-01).",
        "2026-01: PayWatch Ltd removed after fraud scoring moved fully to Sentrix Fraud Analytics.",
    ]),
]

# ------------------------------------------------------------------ Incident_Response_Runbook.md

RUNBOOK_BLOCKS: list[tuple] = [
    ("title", "Incident Response Runbook"),
    ("meta", [("Document", "IR-RB-01, version 2.3"), ("Owner", "Raj Patel, VP of Security Engineering"),
              ("Last reviewed", "2026-02-10"), ("Pager", "sec-oncall (24x7)")]),
    ("h1", "1 Roles"),
    ("bullets", [
        "Incident lead: Raj Patel, VP of Security Engineering. Leads every P1 and P2 incident and "
        "decides on containment that affects payment processing.",
        "Deputy incident lead: Yusuf Demir, Security Operations Lead.",
        "DPO: Sofie Jansen. Decides with the incident lead whether a personal data breach must be "
        "notified, and keeps the breach register.",
        "Communications: Emma Lindqvist, Head of Customer Support, for merchant notices.",
        "Legal: Julia Schmidt, General Counsel.",
    ]),
    ("h1", "2 Severity Levels"),
    ("table", ["Priority", "Definition", "Response", "Updates"], [
        ["P1", "Confirmed breach of personal or card data, or payment processing down", "15 minutes",
         "Every hour"],
        ["P2", "Suspected breach or major degradation of a production service", "30 minutes",
         "Every 4 hours"],
        ["P3", "Contained security event with no customer impact", "4 hours", "Daily"],
        ["P4", "Minor event or policy violation", "Next business day", "On closure"],
    ]),
    ("h1", "3 First Hour Checklist"),
    ("bullets", [
        "Open an incident channel named #inc-YYYYMMDD-shortname and a timeline document.",
        "Page the incident lead; if Raj Patel does not acknowledge within 15 minutes, page Yusuf Demir.",
        "Preserve evidence: snapshot affected instances, export CloudTrail and Teleport sessions.",
        "Inform the DPO as soon as personal data may be involved; record the time Ledgerly became "
        "aware, because the GDPR deadlines run from that moment.",
    ]),
    ("h1", "4 GDPR Personal Data Breach Notification"),
    ("h2", "4.1 Ledgerly as Controller"),
    ("p", "Notify the supervisory authority, the Autoriteit Persoonsgegevens (Dutch DPA), without "
          "undue delay and where feasible not later than 72 hours after becoming aware of the "
          "breach (GDPR Article 33), unless the breach is unlikely to result in a risk to "
          "individuals. If the notice is late, record the reasons for the delay."),
    ("h2", "4.2 Ledgerly as Processor"),
    ("p", "Notify affected merchants (the controllers) without undue delay and in any case within "
          "24 hours of becoming aware, as committed in the Data Processing Agreement, so that they "
          "can meet their own 72-hour deadline."),
    ("h2", "4.3 Data Subjects"),
    ("p", "When a breach is likely to result in a high risk to individuals, inform the affected "
          "data subjects without undue delay (GDPR Article 34). The DPO approves the wording."),
    ("h1", "5 Card Data Compromise"),
    ("p", "If cardholder data may be compromised, notify the acquirer, Atlas Merchant Bank, within "
          "24 hours, follow the card brands' incident procedures, and engage a PCI Forensic "
          "Investigator (PFI) if the acquirer requires it. Do not wipe or rebuild CDE systems before "
          "forensic images are taken."),
    ("h1", "6 Closure"),
    ("p", "Every P1 and P2 incident has a blameless post-incident review within 5 business days. "
          "Actions are tracked in the risk register."),
]

# ---------------------------------------------------------------- Data_Retention_Schedule.html

RETENTION_HEADERS = ["Record type", "System", "Retention period", "Then", "Owner"]
RETENTION = [
    ["Financial records: transactions, settlements, refunds, payouts", "Ledgerly Pay ledger",
     "7 years after the end of the financial year", "Deleted within 30 days", "Finance"],
    ["Card numbers (PAN)", "Ledgerly Vault",
     "While a merchant needs the token, at most 13 months after the last transaction",
     "Cryptographically erased", "VP of Security Engineering"],
    ["Sensitive authentication data (CVC, PIN)", "None", "Never stored after authorization", "-",
     "VP of Security Engineering"],
    ["Merchant KYC records", "Nordic KYC AB, CRM", "5 years after the merchant relationship ends",
     "Deleted within 30 days", "Compliance Manager"],
    ["Security and audit logs", "SIEM and S3 Object Lock",
     "1 year (at least 3 months immediately available)", "Deleted automatically", "Head of Platform Engineering"],
    ["Production backups", "AWS Backup", "30 days", "Expire automatically", "Head of Platform Engineering"],
    ["Support tickets", "Deskly", "2 years after the ticket is closed", "Deleted", "Head of Customer Support"],
    ["Employee records", "HR system", "7 years after employment ends", "Deleted", "Head of People"],
    ["Job applicant data", "Recruiting system",
     "4 weeks after the vacancy closes, or 1 year with consent", "Deleted", "Head of People"],
    ["Office CCTV footage", "Building system", "4 weeks", "Overwritten", "Office Manager"],
]

RETENTION_BLOCKS: list[tuple] = [
    ("title", "Data Retention Schedule"),
    ("subtitle", "Ledgerly Payments B.V. - DRS-03"),
    ("meta", [("Version", "1.6"), ("Effective date", "2026-02-01"),
              ("Owner", "Sofie Jansen, Data Protection Officer")]),
    ("h1", "1 Principles"),
    ("p", "Ledgerly keeps personal data only as long as needed for the purpose it was collected for "
          "or as required by law (GDPR Article 5(1)(e)). When a retention period ends, data is "
          "deleted or anonymized within 30 days unless a legal hold approved by the General "
          "Counsel applies."),
    ("h1", "2 Retention Periods"),
    ("table", RETENTION_HEADERS, RETENTION, None),
    ("h1", "3 Deletion Evidence"),
    ("p", "Automated deletion jobs write a deletion record (record type, count, date) that is kept "
          "for 3 years. The DPO checks a sample of deletion records every quarter."),
]

# ------------------------------------------------------------------------------- Risk_Register.csv

RISK_HEADERS = ["Risk ID", "Risk", "Likelihood", "Impact", "Score", "Owner", "Treatment",
                "Target date", "Status"]


def _risk(rid, text, likelihood, impact, owner, treatment, target, status):
    return [rid, text, likelihood, impact, likelihood * impact, owner, treatment, target, status]


RISKS = [
    _risk("R-01", "Account takeover of merchant dashboard users by credential stuffing", 4, 4,
          "Lukas Meyer", "Mitigate: bot protection on log-in; MFA for all merchant Admin users",
          "2026-09-30", "Open"),
    _risk("R-02", "Malicious script injected into the hosted checkout page (L-05)", 3, 5,
          "Lukas Meyer", "Mitigate: script inventory, CSP and subresource integrity", "2026-07-31",
          "Open"),
    _risk("R-03", "Undetected external vulnerability after missed ASV scan (L-01)", 3, 4,
          "Tomasz Nowak", "Mitigate: run ASV scan; schedule alerts", "2026-06-15", "In progress"),
    _risk("R-04", "Compromise of tokenization keys in Ledgerly Vault (L-02)", 2, 5, "Ana Costa",
          "Mitigate: rotate vault-dek-2024; second key custodian", "2026-05-31", "In progress"),
    _risk("R-05", "AWS eu-central-1 regional outage stops payment processing", 2, 5, "Tomasz Nowak",
          "Mitigate: warm standby in eu-west-1; annual failover exercise", "2026-12-31", "Open"),
    _risk("R-06", "Insider misuse of production access", 2, 5, "Raj Patel",
          "Mitigate: just-in-time Teleport access, session recording, semi-annual reviews (L-03)",
          "2026-06-30", "Open"),
    _risk("R-07", "Unlawful transfer of personal data to US and Indian sub-processors", 2, 4,
          "Sofie Jansen", "Mitigate: SCCs, transfer impact assessments, annual review", "2026-06-30",
          "Open"),
    _risk("R-08", "Third-party service provider not PCI DSS compliant (L-06)", 3, 3, "Pieter Bakker",
          "Mitigate: collect attestations annually", "2026-08-31", "Open"),
    _risk("R-09", "Ransomware on corporate laptops", 3, 3, "Yusuf Demir",
          "Mitigate: EDR, no local admin rights, Google Drive versioning", "2026-10-31", "Open"),
    _risk("R-10", "Key person dependency in the security engineering team", 3, 3, "Raj Patel",
          "Mitigate: hire 2 security engineers; document runbooks", "2026-09-30", "Open"),
    _risk("R-11", "Insufficient log retention in the DR region (L-04)", 2, 3, "Tomasz Nowak",
          "Mitigate: 1-year Object Lock retention applied", "2026-05-15", "Closed"),
]

FACTS: list[tuple[str, str, str, list[str]]] = [
    ("How many findings did the PCI internal audit report, and how severe are they?",
     "PCI_Internal_Audit_2026.pdf", "1 Executive Summary", ["6 findings", "2 High", "3 Medium", "1 Low"]),
    ("Who owns the missed ASV scan finding and when is it due?", "PCI_Internal_Audit_2026.pdf",
     "L-01 Quarterly ASV scan missed for Q1 2026", ["Tomasz Nowak", "2026-06-15"]),
    ("When were the tokenization keys last rotated?", "PCI_Internal_Audit_2026.pdf",
     "L-02 Key rotation for tokenization keys overdue", ["2024-11-18"]),
    ("Which PCI DSS requirement does the overdue key rotation finding reference?",
     "PCI_Internal_Audit_2026.pdf", "L-02 Key rotation for tokenization keys overdue", ["3.7.4"]),
    ("How many scripts on the checkout page are not inventoried?", "PCI_Internal_Audit_2026.pdf",
     "L-05 Payment page script inventory incomplete", ["3 of them"]),
    ("Who leads incident response?", "Incident_Response_Runbook.md", "1 Roles", ["Raj Patel"]),
    ("Within how many hours must a personal data breach be reported to the supervisory authority?",
     "Incident_Response_Runbook.md", "4.1 Ledgerly as Controller", ["72 hours", "Autoriteit Persoonsgegevens"]),
    ("How quickly must merchants be notified of a breach when Ledgerly is processor?",
     "Incident_Response_Runbook.md", "4.2 Ledgerly as Processor", ["within 24 hours"]),
    ("Which sub-processors are located outside the EEA and what transfer mechanism is used?",
     "Subprocessor_List.docx", "2 Current Sub-processors",
     ["Deskly Support Inc.", "Tessera Dev Services Pvt Ltd", "SCCs (Module 3)"]),
    ("How much notice do merchants get before a new sub-processor is added?",
     "Subprocessor_List.docx", "1 Introduction", ["30 days"]),
    ("Which sub-processor performs identity verification?", "Subprocessor_List.docx",
     "2 Current Sub-processors", ["Nordic KYC AB"]),
    ("How long are merchant KYC records retained?", "Data_Retention_Schedule.html",
     "2 Retention Periods", ["5 years after the merchant relationship ends"]),
    ("How long is job applicant data kept?", "Data_Retention_Schedule.html", "2 Retention Periods",
     ["4 weeks after the vacancy closes"]),
    ("What is the highest-scored risk in the risk register?", "Risk_Register.csv", "R-01",
     ["credential stuffing"]),
    ("Who owns the risk of unlawful transfers to sub-processors?", "Risk_Register.csv", "R-07",
     ["Sofie Jansen"]),
]
