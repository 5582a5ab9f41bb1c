"""Meridian Family Health: Information Security Policy (PDF) and Acceptable Use Policy (HTML).

Fictional company. Every name, number and date here is invented for the vciso demo.
"""

from __future__ import annotations

COMPANY = "Meridian Family Health"

POLICY_PAGES: list[list[tuple]] = [
    # ------------------------------------------------------------------------------------ page 1
    [
        ("title", "Information Security Policy"),
        ("subtitle", "Meridian Family Health - Policy ISP-001"),
        ("meta", [
            ("Version", "3.2"),
            ("Effective date", "2026-03-01"),
            ("Policy owner", "Dana Whitfield, Chief Information Security Officer (CISO)"),
            ("Approved by", "Dr. Elaine Porter, Chief Executive Officer, on 2026-02-18"),
            ("Supersedes", "Version 3.1 (effective 2025-03-01)"),
            ("Next scheduled review", "2027-03-01"),
            ("Classification", "Internal - may be shared with auditors and business associates"),
        ]),
        ("h1", "1 Purpose"),
        ("p", "This policy sets the minimum security requirements that protect the confidentiality, "
              "integrity and availability of Meridian Family Health information, in particular "
              "electronic protected health information (ePHI). It implements the administrative, "
              "physical and technical safeguards of the HIPAA Security Rule (45 CFR Part 164, "
              "Subpart C) and is supported by standards and procedures maintained by the Information "
              "Security Office."),
        ("h1", "2 Scope"),
        ("p", "The policy applies to all workforce members of Meridian Family Health - approximately "
              "400 employees, plus contractors, students, volunteers and temporary staff - at the "
              "Columbus, Ohio headquarters and at all nine clinics (seven primary care clinics and two "
              "urgent care centers). It covers every system that creates, receives, maintains or "
              "transmits Meridian information, including CareChart EHR, Microsoft 365, Okta single "
              "sign-on, the MyMeridian patient portal hosted on Amazon Web Services (AWS), clinical "
              "workstations, laptops, mobile devices and networked medical devices."),
        ("h1", "3 Roles and Responsibilities"),
        ("bullets", [
            "Chief Information Security Officer (CISO), Dana Whitfield: owns this policy, runs the "
            "security program, acts as HIPAA Security Official and approves policy exceptions.",
            "Privacy Officer, Luis Ortega: HIPAA Privacy Official; owns business associate "
            "agreements, the vendor register and breach risk assessments.",
            "IT Infrastructure Manager, Priya Raman: operates servers, network, VPN, backups and "
            "the AWS environment in line with this policy.",
            "Security Operations Lead, Angela Brooks: monitoring, log review and first response.",
            "System owners: approve access to their systems and perform the access reviews.",
            "Managers: ensure their staff complete training and request timely access removal.",
            "All workforce members: comply with this policy and the Acceptable Use Policy and "
            "report suspected incidents without delay.",
        ]),
    ],
    # ------------------------------------------------------------------------------------ page 2
    [
        ("h1", "4 Access Control"),
        ("h2", "4.1 Least Privilege and Role-Based Access"),
        ("p", "Access to ePHI is granted on the minimum-necessary principle through role-based "
              "profiles defined by each system owner. CareChart EHR roles are mapped to job codes "
              "maintained by Human Resources; access beyond a role profile requires written "
              "justification and approval by the system owner."),
        ("h2", "4.2 Account Provisioning and Termination"),
        ("p", "Accounts are created only from an approved request in the IT service desk, signed "
              "off by the requester's manager and the system owner. Every user has a unique user ID; "
              "shared or generic accounts are prohibited except documented clinical kiosk accounts "
              "without ePHI access."),
        ("p", "When a workforce member leaves, all access must be disabled within 24 hours of the "
              "termination time recorded by Human Resources. Involuntary terminations are disabled "
              "immediately, before or at the time the person is notified. Role changes trigger "
              "removal of access that the new role does not need within 5 business days."),
        ("h2", "4.3 Access Reviews"),
        ("p", "System owners review user access to CareChart EHR, Microsoft 365, Okta, AWS and the "
              "file servers quarterly. Reviews confirm that each account belongs to a current "
              "workforce member and that its role is still appropriate. Review evidence (reviewer, "
              "date, accounts removed) is retained by the Information Security Office."),
        ("h2", "4.4 Privileged Access"),
        ("p", "Administrators use a separate privileged account that is not used for email or web "
              "browsing. Privileged credentials for servers, network devices, AWS and Okta are "
              "stored in the privileged access vault and checked out per session. Privileged "
              "accounts are included in the quarterly access review and any privileged account "
              "unused for 60 days is disabled."),
        ("h2", "4.5 Session Controls"),
        ("p", "Workstations lock automatically after 15 minutes of inactivity. Shared clinical "
              "workstations use badge tap-in and lock when the badge is removed. Remote sessions "
              "are disconnected after 30 minutes of inactivity."),
    ],
    # ------------------------------------------------------------------------------------ page 3
    [
        ("h1", "5 Passwords and Authentication"),
        ("h2", "5.1 Password Requirements"),
        ("p", "Passwords must be at least 12 characters long. Passphrases of several unrelated "
              "words are encouraged. Passwords are checked against a list of known-breached and "
              "commonly used passwords and may not contain the user's name or the word \"Meridian\". "
              "Users may not reuse any of their last 10 passwords."),
        ("h2", "5.2 Password Changes"),
        ("p", "Passwords must be changed every 365 days, and immediately on known or suspected "
              "compromise. The service desk may reset a password only after verifying the caller's "
              "identity through Okta Verify push or a callback to the number in the HR record."),
        ("h2", "5.3 Account Lockout"),
        ("p", "Accounts are locked after 5 consecutive failed log-in attempts. A locked account "
              "unlocks automatically after 30 minutes or earlier when the service desk unlocks it "
              "after identity verification. This threshold applies to Okta, Active Directory and "
              "CareChart EHR."),
        ("h2", "5.4 Multi-Factor Authentication"),
        ("p", "Multi-factor authentication (MFA) is required for:"),
        ("bullets", [
            "all remote access to the Meridian network or systems, including VPN, remote desktop "
            "and Microsoft 365 from outside the corporate network;",
            "administrative access to CareChart EHR, including the CareChart admin console and "
            "interface engine;",
            "all privileged accounts in Okta, Microsoft 365, AWS and Active Directory.",
        ]),
        ("p", "MFA uses Okta Verify push with number matching or a FIDO2 security key. SMS codes are "
              "permitted only as a temporary fallback approved by the service desk for up to 7 days."),
        ("h1", "6 Encryption"),
        ("h2", "6.1 Encryption at Rest"),
        ("p", "ePHI is encrypted at rest with AES-256 on servers, databases, backups and cloud "
              "storage. In AWS, Amazon S3 buckets and Amazon RDS databases for the MyMeridian patient "
              "portal use AWS KMS customer-managed keys that are rotated annually."),
        ("h2", "6.2 Endpoint and Removable Media Encryption"),
        ("p", "All laptops must have full-disk encryption (BitLocker on Windows, FileVault on macOS) "
              "enabled before they are issued. USB storage is blocked except for encrypted devices "
              "issued by IT."),
        ("h2", "6.3 Encryption in Transit"),
        ("p", "ePHI in transit over any network is protected with TLS 1.2 or higher; TLS 1.0 and "
              "1.1 are disabled. Email containing ePHI sent outside Meridian must be encrypted by "
              "putting [secure] in the subject line."),
    ],
    # ------------------------------------------------------------------------------------ page 4
    [
        ("h1", "7 Logging and Monitoring"),
        ("h2", "7.1 Events Logged"),
        ("p", "Systems that store or process ePHI log at least: successful and failed log-ins, "
              "access to patient records in CareChart EHR, creation and change of accounts and "
              "privileges, administrative actions, changes to security settings and access to audit "
              "logs themselves. System clocks synchronize to the Meridian NTP service."),
        ("h2", "7.2 Centralized Collection"),
        ("p", "Logs from CareChart EHR, Okta, Microsoft 365, Active Directory, firewalls, the VPN "
              "and AWS CloudTrail are forwarded to Microsoft Sentinel, the security information and "
              "event management (SIEM) platform. Loss of a log source raises an alert to Security "
              "Operations within 24 hours."),
        ("h2", "7.3 Audit Log Retention"),
        ("p", "Audit logs are retained for 6 years. The most recent 90 days are kept online in "
              "Microsoft Sentinel for search; older logs are moved to immutable archive storage and "
              "can be restored within 5 business days."),
        ("h2", "7.4 Log Review"),
        ("p", "Security Operations reviews CareChart EHR access logs weekly for inappropriate "
              "access, including access to records of employees, their family members and patients "
              "flagged as confidential. Automated alerts for failed log-in bursts and privileged "
              "activity are triaged within one business day. Reviews are documented in the SIEM case "
              "log."),
        ("h1", "8 Backup and Recovery"),
        ("h2", "8.1 Backup Schedule"),
        ("p", "Backups of CareChart interface servers, file servers, Active Directory and the "
              "MyMeridian databases are taken nightly. Microsoft 365 mailboxes, OneDrive and "
              "SharePoint are backed up nightly by VaultLine Backup."),
        ("h2", "8.2 Backup Retention and Protection"),
        ("p", "Nightly backups are retained for 35 days. At least one copy is kept immutable and "
              "offsite, and backups are encrypted with AES-256."),
        ("h2", "8.3 Restore Testing"),
        ("p", "Restore tests are performed quarterly and documented, rotating through the critical "
              "systems so that each is restored at least once a year. Each test records the time to "
              "restore and any problems found."),
        ("h2", "8.4 Recovery Objectives"),
        ("p", "The recovery time objective (RTO) for CareChart EHR access at the clinics is 4 hours "
              "and the recovery point objective (RPO) is 24 hours. Clinics follow paper downtime "
              "procedures while CareChart EHR is unavailable."),
    ],
    # ------------------------------------------------------------------------------------ page 5
    [
        ("h1", "9 Data Retention and Disposal"),
        ("h2", "9.1 HIPAA Documentation"),
        ("p", "Policies, procedures, risk assessments, business associate agreements, training "
              "records and other documentation required by HIPAA are retained for 6 years from the "
              "date of creation or the date when last in effect, whichever is later."),
        ("h2", "9.2 Medical Records"),
        ("p", "Adult medical records are retained for 10 years after the last patient encounter. "
              "Records of minors are retained until the patient reaches age 28 or for 10 years after "
              "the last encounter, whichever is later. Records under legal hold are kept until the "
              "Privacy Officer releases the hold."),
        ("h2", "9.3 Disposal"),
        ("p", "Electronic media are sanitized following NIST SP 800-88 before reuse or disposal. "
              "Paper records are shredded on site by Iron Vault Records, which issues a certificate "
              "of destruction for every collection."),
        ("h1", "10 Incident Response"),
        ("p", "Workforce members must report suspected security incidents, lost devices and "
              "possible privacy breaches immediately, and no later than 1 hour after discovery, to "
              "the IT Service Desk (extension 4357) or security@meridianfamilyhealth.example. The "
              "CISO, Dana Whitfield, is the Incident Commander. Roles, severity levels and breach "
              "notification steps are defined in the Incident Response Plan (IRP-002)."),
        ("h1", "11 Vendor Management"),
        ("p", "A business associate agreement (BAA) must be signed before any vendor creates, "
              "receives, maintains or transmits ePHI on behalf of Meridian. The Privacy Officer "
              "keeps the vendor register. Vendors are tiered by the data they handle: Tier 1 "
              "(ePHI or critical service) vendors complete a security review before contract and "
              "are reviewed annually; Tier 2 vendors are reviewed every 2 years; Tier 3 vendors at "
              "renewal."),
    ],
    # ------------------------------------------------------------------------------------ page 6
    [
        ("h1", "12 Security Awareness and Training"),
        ("p", "Every workforce member completes security and privacy awareness training at hire - "
              "within 30 days of the start date and before receiving access to CareChart EHR - and "
              "annually thereafter. Training completion is tracked in the AwareTrain platform and "
              "reported to the CISO monthly."),
        ("p", "Phishing simulations are run quarterly for all workforce members with an email "
              "account. A workforce member who fails two consecutive simulations completes remedial "
              "training within 14 days."),
        ("h1", "13 Enforcement"),
        ("p", "Violations of this policy may result in disciplinary action up to and including "
              "termination of employment or contract, in line with the Sanctions Policy (HR-014). "
              "Violations that involve ePHI are also evaluated by the Privacy Officer as possible "
              "breaches."),
        ("h1", "14 Exceptions and Policy Review"),
        ("p", "Exceptions to this policy must be requested in writing, approved by the CISO and "
              "recorded in the risk register with compensating controls. An exception is valid for "
              "at most 12 months. This policy is reviewed at least annually, and after any major "
              "change in systems, regulation or a significant incident."),
        ("h2", "14.1 Document History"),
        ("table", ["Version", "Date", "Author", "Summary of changes"], [
            ["3.0", "2024-03-01", "Dana Whitfield", "Full rewrite aligned to the HIPAA Security Rule"],
            ["3.1", "2025-03-01", "Dana Whitfield", "Added AWS patient portal; quarterly phishing"],
            ["3.2", "2026-03-01", "Dana Whitfield",
             "Password minimum raised from 10 to 12 characters; FIDO2 keys allowed for MFA"],
        ], (14, 22, 30, 84)),
    ],
]

AUP_BLOCKS: list[tuple] = [
    ("title", "Acceptable Use Policy"),
    ("subtitle", "Meridian Family Health - Policy ISP-004"),
    ("meta", [("Version", "1.4"), ("Effective date", "2026-03-01"),
              ("Policy owner", "Dana Whitfield, CISO"),
              ("Acknowledgement", "Every workforce member, at hire and annually")]),
    ("h1", "1 Purpose"),
    ("p", "This policy tells workforce members how they may use Meridian Family Health computers, "
          "accounts, networks and information. It supports the Information Security Policy "
          "(ISP-001, version 3.2) and protects our patients' health information."),
    ("h1", "2 Scope"),
    ("p", "It applies to all employees, contractors, students and volunteers, and to every device "
          "that connects to Meridian systems, including personal phones used for Meridian email."),
    ("h1", "3 General Use"),
    ("bullets", [
        "Meridian systems are provided for patient care and business purposes. Limited personal "
        "use is allowed when it does not interfere with work or involve ePHI.",
        "Access only the patient records you need for your job. Looking up your own record, or a "
        "family member's, coworker's or neighbor's record out of curiosity is prohibited.",
        "Never share your password, badge or MFA device, and never log in for someone else.",
    ]),
    ("h1", "4 Email and Messaging"),
    ("bullets", [
        "Send ePHI outside Meridian only by encrypted email: put [secure] in the subject line.",
        "Do not auto-forward Meridian email to personal accounts.",
        "Use CareChart Secure Chat, not personal text messaging, to discuss patients.",
    ]),
    ("h1", "5 Internet, Cloud Services and AI Tools"),
    ("bullets", [
        "Store Meridian files only in Meridian OneDrive, SharePoint or CareChart EHR; personal "
        "cloud storage (for example personal Dropbox or Google Drive) is not allowed for work files.",
        "Do not paste ePHI or confidential Meridian information into public generative AI tools. "
        "Microsoft 365 Copilot within the Meridian tenant is the approved AI assistant.",
    ]),
    ("h1", "6 Devices and Removable Media"),
    ("bullets", [
        "Personal phones may access Meridian email and Teams only after enrollment in Microsoft "
        "Intune.",
        "USB storage devices are blocked; use an encrypted USB drive issued by IT if a transfer is "
        "unavoidable.",
        "Lock your screen (Windows+L) whenever you step away from a workstation.",
        "Report a lost or stolen device immediately, and no later than 1 hour after you notice.",
    ]),
    ("h1", "7 Monitoring"),
    ("p", "Meridian monitors the use of its systems, including CareChart EHR record access, email "
          "and internet traffic, to protect patients and comply with HIPAA. Workforce members "
          "should have no expectation of privacy when using Meridian systems."),
    ("h1", "8 Reporting Problems"),
    ("p", "Report suspicious emails with the Report Phishing button in Outlook. Report suspected "
          "incidents or privacy concerns to the IT Service Desk (extension 4357), "
          "security@meridianfamilyhealth.example, or the Privacy Officer, Luis Ortega."),
    ("h1", "9 Violations"),
    ("p", "Violations may lead to disciplinary action up to and including termination, in line "
          "with the Sanctions Policy (HR-014), and may have to be reported as a breach of ePHI."),
]

FACTS: list[tuple[str, str, str, list[str]]] = [
    ("What is the minimum password length?", "Information_Security_Policy.pdf",
     "5.1 Password Requirements", ["12 characters"]),
    ("How often must passwords be changed?", "Information_Security_Policy.pdf",
     "5.2 Password Changes", ["every 365 days", "suspected compromise"]),
    ("After how many failed log-in attempts is an account locked?", "Information_Security_Policy.pdf",
     "5.3 Account Lockout", ["5 consecutive failed log-in attempts"]),
    ("When is multi-factor authentication required?", "Information_Security_Policy.pdf",
     "5.4 Multi-Factor Authentication", ["all remote access", "administrative access to CareChart EHR"]),
    ("How often are user access reviews performed?", "Information_Security_Policy.pdf",
     "4.3 Access Reviews", ["quarterly"]),
    ("How quickly must access be removed when an employee leaves?", "Information_Security_Policy.pdf",
     "4.2 Account Provisioning and Termination", ["within 24 hours"]),
    ("How is ePHI encrypted at rest?", "Information_Security_Policy.pdf",
     "6.1 Encryption at Rest", ["AES-256"]),
    ("What TLS version is required for data in transit?", "Information_Security_Policy.pdf",
     "6.3 Encryption in Transit", ["TLS 1.2 or higher"]),
    ("How long are audit logs retained?", "Information_Security_Policy.pdf",
     "7.3 Audit Log Retention", ["6 years"]),
    ("How often are CareChart EHR access logs reviewed?", "Information_Security_Policy.pdf",
     "7.4 Log Review", ["weekly"]),
    ("How often are backups taken?", "Information_Security_Policy.pdf",
     "8.1 Backup Schedule", ["nightly"]),
    ("How long are backups retained?", "Information_Security_Policy.pdf",
     "8.2 Backup Retention and Protection", ["35 days"]),
    ("How often must backup restores be tested?", "Information_Security_Policy.pdf",
     "8.3 Restore Testing", ["quarterly"]),
    ("What is the recovery time objective for the EHR?", "Information_Security_Policy.pdf",
     "8.4 Recovery Objectives", ["4 hours"]),
    ("How long is HIPAA documentation retained?", "Information_Security_Policy.pdf",
     "9.1 HIPAA Documentation", ["6 years"]),
    ("How often is security awareness training required?", "Information_Security_Policy.pdf",
     "12 Security Awareness and Training", ["at hire", "annually"]),
    ("How often are phishing simulations run?", "Information_Security_Policy.pdf",
     "12 Security Awareness and Training", ["quarterly"]),
    ("Who is the CISO and owner of the information security policy?", "Information_Security_Policy.pdf",
     "Information Security Policy", ["Dana Whitfield"]),
    ("Who is the Privacy Officer?", "Information_Security_Policy.pdf",
     "3 Roles and Responsibilities", ["Luis Ortega"]),
    ("What version of the information security policy is in effect and since when?",
     "Information_Security_Policy.pdf", "Information Security Policy", ["3.2", "2026-03-01"]),
    ("Is it allowed to paste patient information into public AI tools like ChatGPT?",
     "Acceptable_Use_Policy.html", "5 Internet, Cloud Services and AI Tools",
     ["public generative AI tools", "Microsoft 365 Copilot"]),
    ("How should staff send ePHI by email to someone outside the organization?",
     "Acceptable_Use_Policy.html", "4 Email and Messaging", ["[secure]"]),
]
