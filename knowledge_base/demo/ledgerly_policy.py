"""Ledgerly Payments: Security Policy (PDF).

Fictional company. Its facts deliberately differ from Meridian Family Health's (password length,
lockout, access reviews, log retention, MFA scope, incident lead) so that cross-client questions
have different correct answers. PCI DSS is referenced by requirement number and title only.
"""

from __future__ import annotations

POLICY_PAGES: list[list[tuple]] = [
    # ------------------------------------------------------------------------------------ page 1
    [
        ("title", "Security Policy"),
        ("subtitle", "Ledgerly Payments B.V. - Policy SEC-POL-01"),
        ("meta", [
            ("Version", "4.0"),
            ("Effective date", "2026-02-01"),
            ("Policy owner", "Raj Patel, VP of Security Engineering"),
            ("Approved by", "Elena Varga, Chief Technology Officer, on 2026-01-20"),
            ("Next scheduled review", "2027-02-01"),
            ("Classification", "Internal - shareable with customers under NDA"),
        ]),
        ("h1", "1 Purpose"),
        ("p", "This policy defines the security requirements that protect Ledgerly Payments, its "
              "merchants and their customers. It supports Ledgerly's obligations as a PCI DSS "
              "Level 1 service provider, as a processor and a controller of personal data under the "
              "EU General Data Protection Regulation (GDPR), and under its merchant contracts."),
        ("h1", "2 Scope"),
        ("p", "The policy applies to all approximately 150 employees and contractors of Ledgerly "
              "Payments B.V. (headquarters Amsterdam, the Netherlands, with an engineering office in "
              "Lisbon), and to all systems that store, process or transmit Ledgerly or customer "
              "data: the Ledgerly Pay API, the merchant dashboard, the hosted checkout page, the "
              "Ledgerly Vault tokenization service, the AWS production environment in eu-central-1 "
              "(Frankfurt) with disaster recovery in eu-west-1 (Ireland), and corporate systems "
              "such as Google Workspace and laptops."),
        ("p", "The cardholder data environment (CDE) is limited to Ledgerly Vault and the "
              "tokenization service; all other systems receive tokens, never full card numbers."),
        ("h1", "3 Roles and Responsibilities"),
        ("bullets", [
            "VP of Security Engineering, Raj Patel: owns this policy and the security program, and "
            "is the incident lead for all security incidents.",
            "Data Protection Officer (DPO), Sofie Jansen: advises on GDPR, keeps the record of "
            "processing and the sub-processor list, and decides on personal data breach "
            "notifications together with the incident lead.",
            "Head of Platform Engineering, Tomasz Nowak: operates AWS, logging, backups and "
            "vulnerability scanning.",
            "Compliance Manager, Pieter Bakker: PCI DSS compliance program and third-party "
            "service provider oversight.",
            "Head of People, Claire Dubois: joiner, mover and leaver processes and training records.",
            "All workforce members: follow this policy and report incidents immediately.",
        ]),
    ],
    # ------------------------------------------------------------------------------------ page 2
    [
        ("h1", "4 Access Control"),
        ("h2", "4.1 Least Privilege"),
        ("p", "Access is role-based and granted through Okta groups mapped to job profiles. No "
              "engineer has standing access to production: production and CDE access is requested "
              "just-in-time through Teleport, approved by a second engineer, limited to 8 hours and "
              "recorded."),
        ("h2", "4.2 Joiners, Movers and Leavers"),
        ("p", "Access for a new joiner is created from the HR system on the start date. When a "
              "workforce member leaves, all access is revoked within 4 hours of the end of "
              "employment, and immediately for involuntary departures. Movers lose access that their "
              "new role does not need within 2 business days."),
        ("h2", "4.3 Access Reviews"),
        ("p", "Managers and system owners perform user access reviews semi-annually, in January and "
              "July, for Google Workspace, Okta, AWS, GitHub, Teleport and the merchant support "
              "console. Access to the CDE and all administrator roles is included in every "
              "semi-annual review. Reviews are completed within 30 days of starting, and accounts "
              "that are not confirmed are disabled."),
        ("h2", "4.4 Privileged Access"),
        ("p", "Administrator roles in AWS, Okta and Google Workspace are held by named individuals "
              "approved by the VP of Security Engineering, with a maximum of 5 people per platform. "
              "AWS root credentials are kept in a sealed safe and any use raises a P1 alert."),
        ("h2", "4.5 Merchant Dashboard Users"),
        ("p", "Merchant users manage their own accounts. The dashboard supports TOTP and passkeys; "
              "MFA is mandatory for merchant users with the Admin or Payouts role."),
    ],
    # ------------------------------------------------------------------------------------ page 3
    [
        ("h1", "5 Authentication"),
        ("h2", "5.1 Passwords"),
        ("p", "Passwords for workforce accounts must be at least 14 characters long. Passwords are "
              "generated and stored in 1Password, screened against known-breached passwords and "
              "never reused across systems. Passwords do not expire on a schedule; they are changed "
              "immediately when compromise is known or suspected."),
        ("h2", "5.2 Multi-Factor Authentication"),
        ("p", "MFA is required for all workforce access to every Ledgerly system - corporate and "
              "production, on and off the office network - without exception. Access to AWS, "
              "Teleport, GitHub, Okta administration and the CDE requires a phishing-resistant "
              "FIDO2 security key. Push-only MFA is not permitted."),
        ("h2", "5.3 Account Lockout"),
        ("p", "Workforce accounts are locked after 10 consecutive failed log-in attempts for 30 "
              "minutes, or until the identity of the user is verified by the IT team over a video "
              "call."),
        ("h2", "5.4 Service Accounts and Secrets"),
        ("p", "Service credentials are stored in AWS Secrets Manager, never in source code, and are "
              "rotated at least every 90 days. GitHub secret scanning blocks pushes that contain keys."),
        ("h1", "6 Cryptography and Key Management"),
        ("h2", "6.1 Encryption Standards"),
        ("p", "Data at rest is encrypted with AES-256 (AES-256-GCM in Ledgerly Vault). Data in "
              "transit uses TLS 1.2 or higher, with TLS 1.3 preferred; public endpoints score A or "
              "better on TLS configuration tests."),
        ("h2", "6.2 Tokenization Keys"),
        ("p", "Primary account numbers are stored only in Ledgerly Vault, encrypted with data "
              "encryption keys that are protected by a key hierarchy rooted in AWS CloudHSM. "
              "Tokenization keys have a cryptoperiod of 12 months and must be rotated before it "
              "ends. Key custodians (at least 2) acknowledge their responsibilities in writing."),
        ("h2", "6.3 Key Management Responsibilities"),
        ("p", "The Staff Security Engineer for cryptography, Ana Costa, maintains the key inventory "
              "and rotation schedule and reports overdue rotations to the VP of Security "
              "Engineering."),
    ],
    # ------------------------------------------------------------------------------------ page 4
    [
        ("h1", "7 Logging and Monitoring"),
        ("h2", "7.1 Log Sources"),
        ("p", "AWS CloudTrail, VPC flow logs, Teleport session records, Okta, Google Workspace, "
              "GitHub and application audit logs from Ledgerly Pay and Ledgerly Vault are sent to "
              "the central SIEM. Logs record user identity, event type, time, origin and outcome."),
        ("h2", "7.2 Log Retention"),
        ("p", "Security and audit logs are retained for 1 year. At least the most recent 3 months "
              "are immediately available for analysis in the SIEM; older logs are kept in write-once "
              "S3 storage (Object Lock) and deleted when they reach 1 year unless a legal hold "
              "applies."),
        ("h2", "7.3 Monitoring and Review"),
        ("p", "The Security Operations team reviews SIEM alerts daily and investigates P1 and P2 "
              "alerts around the clock through the sec-oncall rotation."),
        ("h1", "8 Backup and Resilience"),
        ("h2", "8.1 Backup Frequency"),
        ("p", "Production databases are backed up every 4 hours with continuous point-in-time "
              "recovery in between. Backups are encrypted and copied to eu-west-1 (Ireland)."),
        ("h2", "8.2 Backup Retention and Testing"),
        ("p", "Backups are retained for 30 days. Restores are tested monthly for one production "
              "database and a full regional failover to eu-west-1 is exercised once a year."),
        ("h2", "8.3 Recovery Objectives"),
        ("p", "For Ledgerly Pay the recovery point objective (RPO) is 15 minutes and the recovery "
              "time objective (RTO) is 2 hours."),
        ("h1", "9 Data Retention and Deletion"),
        ("p", "Customer data that forms financial records (transactions, settlements, refunds and "
              "payouts) is retained for 7 years and then deleted within 30 days. Sensitive "
              "authentication data is never stored after authorization. Other retention periods "
              "are set in the Data Retention Schedule (DRS-03), maintained by the DPO."),
    ],
    # ------------------------------------------------------------------------------------ page 5
    [
        ("h1", "10 Vulnerability Management"),
        ("p", "External vulnerability scans by a PCI SSC Approved Scanning Vendor (ASV) are run "
              "quarterly and after significant changes, and internal scans are run quarterly "
              "(PCI DSS Requirement 11.3). An external penetration test is performed annually. "
              "Critical vulnerabilities are fixed within 7 days and high vulnerabilities within 30 "
              "days."),
        ("h1", "11 Incident Response"),
        ("p", "The incident lead for all security incidents is the VP of Security Engineering, Raj "
              "Patel; the Security Operations Lead, Yusuf Demir, is deputy. Personal data breaches "
              "are notified to the Dutch supervisory authority (Autoriteit Persoonsgegevens) "
              "within 72 hours of becoming aware when Ledgerly is controller, and to affected "
              "merchants within 24 hours when Ledgerly acts as processor. Details are in the "
              "Incident Response Runbook (IR-RB-01)."),
        ("h1", "12 Third Parties and Sub-processors"),
        ("p", "New suppliers that handle customer data or affect the CDE complete a security review "
              "before contract. Sub-processors are listed publicly, and merchants receive 30 days' "
              "notice before a new sub-processor is engaged. Third-party service providers that "
              "affect card data security must provide PCI DSS compliance evidence every year "
              "(PCI DSS Requirement 12.8)."),
        ("h1", "13 Security Awareness"),
        ("p", "All workforce members complete security awareness and GDPR training at hire and "
              "annually. Engineers complete secure-coding training annually. Phishing simulations "
              "are run monthly."),
        ("h1", "14 Exceptions and Review"),
        ("p", "Exceptions require written approval from the VP of Security Engineering, are limited "
              "to 6 months and are tracked in the risk register. This policy is reviewed annually "
              "and approved by the CTO."),
        ("h2", "14.1 Document History"),
        ("table", ["Version", "Date", "Summary of changes"], [
            ["3.0", "2024-02-01", "Aligned to PCI DSS v4.0"],
            ["3.1", "2025-02-01", "FIDO2 keys required for production access"],
            ["4.0", "2026-02-01", "Password minimum raised from 12 to 14 characters; monthly "
                                  "phishing simulations; reference to DRS-03"],
        ], (16, 26, 128)),
    ],
]

FACTS: list[tuple[str, str, str, list[str]]] = [
    ("What is the minimum password length?", "Security_Policy.pdf", "5.1 Passwords",
     ["14 characters"]),
    ("After how many failed log-in attempts is an account locked?", "Security_Policy.pdf",
     "5.3 Account Lockout", ["10 consecutive failed log-in attempts"]),
    ("When is multi-factor authentication required?", "Security_Policy.pdf",
     "5.2 Multi-Factor Authentication", ["all workforce access"]),
    ("How often are user access reviews performed?", "Security_Policy.pdf", "4.3 Access Reviews",
     ["semi-annually"]),
    ("How quickly must access be removed when an employee leaves?", "Security_Policy.pdf",
     "4.2 Joiners, Movers and Leavers", ["within 4 hours"]),
    ("How long are audit logs retained?", "Security_Policy.pdf", "7.2 Log Retention",
     ["1 year", "3 months"]),
    ("How often are backups taken?", "Security_Policy.pdf", "8.1 Backup Frequency",
     ["every 4 hours"]),
    ("How long are financial records kept before deletion?", "Security_Policy.pdf",
     "9 Data Retention and Deletion", ["7 years", "within 30 days"]),
    ("How often must tokenization keys be rotated?", "Security_Policy.pdf", "6.2 Tokenization Keys",
     ["12 months"]),
    ("Who is the Data Protection Officer?", "Security_Policy.pdf", "3 Roles and Responsibilities",
     ["Sofie Jansen"]),
    ("How often are phishing simulations run?", "Security_Policy.pdf", "13 Security Awareness",
     ["monthly"]),
    ("How often are external ASV vulnerability scans required?", "Security_Policy.pdf",
     "10 Vulnerability Management", ["quarterly"]),
    ("What is the recovery time objective for the payment platform?", "Security_Policy.pdf",
     "8.3 Recovery Objectives", ["2 hours"]),
]
