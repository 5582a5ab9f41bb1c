"""Meridian Family Health: vendor register, risk register, incident response plan, tabletop report
and board minutes. Fictional; consistent with meridian_policy.py and meridian_assessment.py.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------- Vendor_Register.docx

VENDOR_HEADERS = ["Vendor", "Service", "Data shared (ePHI)", "BAA signed", "Risk tier",
                  "Last review", "Owner"]
VENDORS = [
    ["CareChart Health Systems", "CareChart EHR, hosted electronic health record", "Yes",
     "Yes - 2023-02-14", "Tier 1", "2026-01-20", "Samuel Greene"],
    ["Microsoft", "Microsoft 365 (Exchange Online, SharePoint, OneDrive, Teams)", "Yes",
     "Yes - 2022-07-01 (Microsoft BAA in Product Terms)", "Tier 1", "2025-11-10", "Priya Raman"],
    ["Amazon Web Services", "Hosting of the MyMeridian patient portal (us-east-2)", "Yes",
     "Yes - 2024-03-18", "Tier 1", "2026-02-02", "Priya Raman"],
    ["Okta", "Single sign-on and MFA (Okta Verify)", "No", "Not required", "Tier 2",
     "2025-12-05", "Kevin Cho"],
    ["TranscribeRight Inc.", "Transcription of physician dictation", "Yes",
     "No - BAA requested 2026-02-25, not signed", "Tier 1", "Never reviewed", "Luis Ortega"],
    ["ClearClaim Billing Services", "Claims submission and revenue cycle management", "Yes",
     "Yes - 2021-09-30", "Tier 1", "2025-10-14", "Helen Park"],
    ["VaultLine Backup", "Offsite immutable backup, including Microsoft 365 backup", "Yes",
     "Yes - 2022-11-01", "Tier 1", "2026-01-28", "Priya Raman"],
    ["Iron Vault Records", "Paper record storage and on-site shredding", "Yes",
     "Yes - 2020-05-11", "Tier 2", "2025-06-30", "Luis Ortega"],
    ["PulseAnswer Call Center", "After-hours patient answering service", "Yes",
     "Yes - 2024-08-19", "Tier 2", "2025-08-19", "Luis Ortega"],
    ["AwareTrain", "Security awareness training and phishing simulation platform", "No",
     "Not required", "Tier 3", "2025-09-15", "Rachel Kim"],
]

VENDOR_BLOCKS: list[tuple] = [
    ("title", "Vendor Register"),
    ("subtitle", "Meridian Family Health - business associates and key IT vendors"),
    ("meta", [("Register owner", "Luis Ortega, Privacy Officer"), ("Last updated", "2026-04-24"),
              ("Related policy", "Information Security Policy ISP-001, section 11")]),
    ("h1", "1 About this Register"),
    ("p", "This register lists every vendor that handles Meridian Family Health information or "
          "provides a critical IT service. A business associate agreement (BAA) is required before "
          "a vendor receives ePHI. Tier 1 vendors are reviewed annually, Tier 2 vendors every 2 "
          "years and Tier 3 vendors at contract renewal. The register contains 10 vendors; 8 of "
          "them receive ePHI."),
    ("h1", "2 Vendors"),
    ("table", VENDOR_HEADERS, VENDORS, None),
    ("h1", "3 Open Items"),
    ("bullets", [
        "TranscribeRight Inc. receives ePHI without a signed BAA (risk assessment finding F-05). "
        "Dictation uploads were suspended on 2026-04-23 pending signature of the BAA.",
        "Microsoft 365 and VaultLine Backup reviews are due again in the fourth quarter of 2026.",
    ]),
]

# ------------------------------------------------------------------------------ Risk_Register.xlsx

RISK_HEADERS = ["Risk ID", "Risk", "Likelihood", "Impact", "Score", "Owner", "Treatment",
                "Target date", "Status"]


def _risk(rid, text, likelihood, impact, owner, treatment, target, status):
    return [rid, text, likelihood, impact, likelihood * impact, owner, treatment, target, status]


RISKS = [
    _risk("R-01", "Ransomware encrypts CareChart interface servers and file servers, halting clinic "
                  "operations", 4, 5, "Priya Raman",
          "Mitigate: EDR on all servers, immutable backups, resume quarterly restore tests (F-03)",
          "2026-07-31", "Open"),
    _risk("R-02", "Stolen credentials used on the legacy VPN without MFA (F-01)", 4, 4, "Priya Raman",
          "Mitigate: enforce MFA via Okta RADIUS or decommission MFH-VPN-01", "2026-09-30",
          "In progress"),
    _risk("R-03", "ePHI disclosed by TranscribeRight, a vendor without a BAA (F-05)", 3, 5,
          "Luis Ortega", "Mitigate: execute BAA; uploads suspended until signed", "2026-04-30",
          "In progress"),
    _risk("R-04", "Loss or theft of an unencrypted laptop holding ePHI (F-02)", 3, 4, "Marcus Bell",
          "Mitigate: encrypt or recall 12 laptops; Intune compliance rule", "2026-06-30",
          "In progress"),
    _risk("R-05", "Inappropriate access to patient records goes undetected (F-04)", 3, 4,
          "Angela Brooks", "Mitigate: repair SIEM connector; weekly documented log review",
          "2026-05-31", "Open"),
    _risk("R-06", "Phishing leads to Microsoft 365 account takeover", 4, 3, "Rachel Kim",
          "Mitigate: quarterly phishing simulations, Okta Verify number matching", "2026-12-31",
          "Open"),
    _risk("R-07", "Vulnerable networked medical devices (imaging, infusion pumps)", 3, 4,
          "Tom Alvarez", "Mitigate: segment medical devices into a dedicated VLAN", "2026-12-31",
          "Open"),
    _risk("R-08", "Former workforce members retain access after termination (F-06)", 3, 3,
          "Kevin Cho", "Mitigate: automated deprovisioning from HR through Okta", "2026-06-30",
          "Open"),
    _risk("R-09", "Password guessing against CareChart EHR accounts (F-07)", 2, 4, "Samuel Greene",
          "Mitigate: set lockout to 5 attempts; SIEM alert on failed log-in bursts", "2026-05-15",
          "Open"),
    _risk("R-10", "Misdirected email or fax containing ePHI", 3, 2, "Luis Ortega",
          "Mitigate: Microsoft Purview DLP policy for outbound email", "2026-10-31", "Open"),
    _risk("R-11", "Outage of the AWS-hosted MyMeridian patient portal", 2, 3, "Derek Lin",
          "Accept: patients can call clinics; multi-AZ deployment already in place", "2026-12-31",
          "Accepted"),
    _risk("R-12", "Loss of paper records during transport between clinics", 2, 2, "Luis Ortega",
          "Mitigate: locked transport bins and sign-out log", "2025-12-31", "Closed"),
]

SCORING_HEADERS = ["Score range", "Rating", "Expected action"]
SCORING = [
    ["15-25", "High", "Treatment plan approved by the CISO; reported to the Board quarterly"],
    ["8-14", "Medium", "Treatment plan within 6 months"],
    ["1-7", "Low", "Accept or treat at owner's discretion; review annually"],
]

# ---------------------------------------------------------------------- Incident_Response_Plan.docx

SEVERITY_HEADERS = ["Level", "Definition", "Examples", "Response time", "Escalation"]
SEVERITIES = [
    ["SEV-1 Critical", "Confirmed compromise of ePHI or disruption of patient care",
     "Ransomware on CareChart interface servers; theft of ePHI", "15 minutes",
     "CEO and Privacy Officer within 1 hour"],
    ["SEV-2 High", "Likely compromise of ePHI or a critical system, contained to few systems",
     "Account takeover of a clinician; unencrypted laptop lost", "1 hour", "CISO within 2 hours"],
    ["SEV-3 Medium", "Security event with limited impact and no evidence of ePHI exposure",
     "Malware blocked on one workstation; misdirected internal email", "4 hours",
     "Security Operations Lead"],
    ["SEV-4 Low", "Policy violation or suspicious activity without impact",
     "Phishing email reported and deleted", "Next business day", "Service desk queue"],
]

CONTACT_HEADERS = ["Role", "Name", "Phone", "Email"]
CONTACTS = [
    ["Incident Commander (CISO)", "Dana Whitfield", "(614) 555-0142", "dwhitfield@meridianfamilyhealth.example"],
    ["Deputy Incident Commander", "Angela Brooks", "(614) 555-0177", "abrooks@meridianfamilyhealth.example"],
    ["Privacy Officer", "Luis Ortega", "(614) 555-0128", "lortega@meridianfamilyhealth.example"],
    ["IT Infrastructure Manager", "Priya Raman", "(614) 555-0163", "praman@meridianfamilyhealth.example"],
    ["Director of Communications", "Jennifer Moss", "(614) 555-0119", "jmoss@meridianfamilyhealth.example"],
    ["Outside counsel", "Harwell & Stone LLP (Mark Harwell)", "(614) 555-0190", "breach@harwellstone.example"],
    ["24x7 security hotline", "Security Operations", "(614) 555-0100", "security@meridianfamilyhealth.example"],
]

IRP_BLOCKS: list[tuple] = [
    ("title", "Incident Response Plan"),
    ("subtitle", "Meridian Family Health - Plan IRP-002"),
    ("meta", [("Version", "2.1"), ("Effective date", "2026-01-15"),
              ("Plan owner", "Dana Whitfield, CISO"), ("Approved by", "Dr. Elaine Porter, CEO")]),
    ("h1", "1 Purpose and Scope"),
    ("p", "This plan describes how Meridian Family Health detects, responds to and recovers from "
          "security incidents, and how it decides on and makes breach notifications under the "
          "HIPAA Breach Notification Rule (45 CFR 164.400 to 164.414). It applies to all systems, "
          "clinics and workforce members covered by the Information Security Policy (ISP-001)."),
    ("h1", "2 Roles and Responsibilities"),
    ("h2", "2.1 Incident Commander"),
    ("p", "The Incident Commander is the CISO, Dana Whitfield. The Incident Commander declares "
          "incidents, sets severity, directs the response team and approves containment actions "
          "that interrupt clinical systems after consulting the Chief Medical Officer."),
    ("h2", "2.2 Deputy Incident Commander"),
    ("p", "The Deputy Incident Commander is Angela Brooks, Security Operations Lead. She acts as "
          "Incident Commander when Dana Whitfield is unavailable for more than 30 minutes."),
    ("h2", "2.3 Core Response Team"),
    ("bullets", [
        "Privacy Officer, Luis Ortega: breach risk assessment and all breach notifications.",
        "IT Infrastructure Manager, Priya Raman: containment, recovery and restores.",
        "EHR Application Manager, Samuel Greene: CareChart EHR investigation and downtime mode.",
        "Director of Communications, Jennifer Moss: patient, staff and media communications.",
        "Outside counsel, Harwell & Stone LLP: legal privilege and regulatory advice.",
    ]),
    ("h1", "3 Severity Levels"),
    ("p", "The Incident Commander assigns a severity when the incident is declared and reviews it "
          "at every status update."),
    ("table", SEVERITY_HEADERS, SEVERITIES, None),
    ("h1", "4 Response Phases"),
    ("h2", "4.1 Detection and Analysis"),
    ("p", "Alerts from Microsoft Sentinel, reports to the service desk and notices from vendors are "
          "triaged by Security Operations. Evidence is preserved before systems are changed."),
    ("h2", "4.2 Containment"),
    ("p", "Containment options include disabling accounts in Okta, isolating hosts with the EDR "
          "agent and blocking the VPN. Clinics move to paper downtime procedures when CareChart EHR "
          "is taken offline."),
    ("h2", "4.3 Eradication and Recovery"),
    ("p", "Systems are rebuilt or restored from known-good backups and monitored closely for 30 days "
          "after recovery."),
    ("h2", "4.4 Post-Incident Review"),
    ("p", "A lessons-learned review is held within 10 business days after every SEV-1 and SEV-2 "
          "incident; action items are added to the risk register."),
    ("h1", "5 Breach Notification"),
    ("h2", "5.1 Breach Risk Assessment"),
    ("p", "The Privacy Officer assesses every incident involving PHI using the four factors of "
          "45 CFR 164.402 and documents whether there is a low probability that PHI has been "
          "compromised. The assessment and the decision are retained for 6 years."),
    ("h2", "5.2 Notice to Individuals"),
    ("p", "Affected individuals are notified by first-class mail without unreasonable delay and no "
          "later than 60 calendar days after discovery of the breach."),
    ("h2", "5.3 Notice to HHS"),
    ("p", "Breaches affecting 500 or more individuals are reported to the Secretary of HHS at the "
          "same time as the individual notices. Breaches affecting fewer than 500 individuals are "
          "logged and reported to HHS within 60 days after the end of the calendar year."),
    ("h2", "5.4 Notice to the Media"),
    ("p", "When a breach affects more than 500 residents of a State or jurisdiction, Jennifer Moss "
          "notifies prominent media outlets serving that area within the same 60-day limit."),
    ("h2", "5.5 Business Associates and State Law"),
    ("p", "Business associates must report breaches to Meridian within 10 calendar days under "
          "Meridian's BAA template. Outside counsel confirms any additional Ohio notification duties."),
    ("h1", "6 Contacts"),
    ("table", CONTACT_HEADERS, CONTACTS, None),
    ("h1", "7 Testing and Maintenance"),
    ("p", "The plan is exercised at least annually with a tabletop exercise and reviewed every year "
          "by the CISO. The 2026 tabletop exercise is scheduled for 2026-05-14."),
]

# ----------------------------------------------------------------------- Tabletop_Exercise_2026-05.md

ACTION_HEADERS = ["ID", "Action", "Owner", "Due date", "Related finding"]
ACTIONS = [
    ["A-01", "Enforce MFA on the legacy VPN or decommission it", "Priya Raman", "2026-09-30", "F-01"],
    ["A-02", "Set up an out-of-band communication channel that does not depend on Microsoft 365",
     "Dana Whitfield", "2026-06-30", "-"],
    ["A-03", "Perform and document a full restore test of the CareChart interface servers",
     "Priya Raman", "2026-07-31", "F-03"],
    ["A-04", "Replace outdated paper downtime packets at all 9 clinics", "Dr. Anil Mehta",
     "2026-06-15", "-"],
    ["A-05", "Document who decides on ransom demands (CEO and Board Chair, advised by counsel)",
     "Dr. Elaine Porter", "2026-06-30", "-"],
    ["A-06", "Pre-approve templates for patient breach letters and the media statement",
     "Luis Ortega", "2026-07-15", "-"],
    ["A-07", "Put an incident response firm on retainer with a 4-hour response commitment",
     "Dana Whitfield", "2026-08-31", "-"],
]

TABLETOP_BLOCKS: list[tuple] = [
    ("title", "Ransomware Tabletop Exercise - After-Action Report"),
    ("meta", [("Exercise", "Operation Night Shift"), ("Date", "2026-05-14, 09:00-12:30"),
              ("Location", "Meridian Family Health headquarters, Columbus, Ohio"),
              ("Facilitator", "Karen Liu, Northbridge Assurance Partners LLC"),
              ("Report author", "Angela Brooks, Security Operations Lead"),
              ("Plan exercised", "Incident Response Plan IRP-002, version 2.1")]),
    ("h1", "1 Participants"),
    ("bullets", [
        "Dana Whitfield, CISO (Incident Commander)",
        "Angela Brooks, Security Operations Lead (Deputy Incident Commander)",
        "Priya Raman, IT Infrastructure Manager",
        "Luis Ortega, Privacy Officer",
        "Samuel Greene, EHR Application Manager",
        "Jennifer Moss, Director of Communications",
        "Gregory Hale, Chief Operating Officer",
        "Dr. Anil Mehta, Chief Medical Officer",
        "Helen Park, Chief Financial Officer",
        "Mark Harwell, Harwell & Stone LLP (outside counsel)",
    ]),
    ("h1", "2 Scenario"),
    ("p", "At 02:10 on a Saturday, an attacker logs in to the legacy VPN (MFH-VPN-01) with the "
          "stolen password of a billing contractor; the VPN does not require MFA (risk assessment "
          "finding F-01). Over four hours the attacker copies 38 GB of scanned intake forms and "
          "deploys ransomware to the file servers and the CareChart interface servers. At 06:45 "
          "clinic staff cannot print schedules or receive lab results; clinics open at 07:00. "
          "Later injects revealed that the stolen data covers about 14,200 patients, almost all "
          "Ohio residents, and that the attacker demands payment within 72 hours."),
    ("h1", "3 Observations"),
    ("h2", "3.1 What Went Well"),
    ("bullets", [
        "Severity SEV-1 was declared 25 minutes after the first inject.",
        "Clinic leaders knew the downtime procedures and kept patient care running.",
        "The Privacy Officer correctly identified that individual notices were due no later than "
        "60 calendar days after discovery and that media notice was required because more than "
        "500 Ohio residents were affected.",
    ]),
    ("h2", "3.2 What Needs Improvement"),
    ("bullets", [
        "The Incident Commander could not be reached for 40 minutes because the call tree relied "
        "on Microsoft Teams, which was assumed compromised.",
        "Nobody could state how long restoring the CareChart interface servers would take; the last "
        "documented restore test was in November 2024 (finding F-03).",
        "Downtime packets at 3 of the 9 clinics were out of date.",
        "Decision authority for a ransom demand was unclear; the team spent 35 minutes debating it.",
        "No pre-approved templates existed for patient letters or the media statement.",
    ]),
    ("h1", "4 Action Items"),
    ("table", ACTION_HEADERS, ACTIONS, None),
    ("h1", "5 Next Exercise"),
    ("p", "A technical recovery exercise focused on restoring CareChart interface servers is planned "
          "for November 2026. The next full tabletop is planned for May 2027."),
]

# -------------------------------------------------------------------- Board_Meeting_Minutes_2026-Q2

MINUTES = """MERIDIAN FAMILY HEALTH – BOARD OF DIRECTORS
Minutes of the Regular Meeting – Second Quarter 2026

Date:      Wednesday, April 22, 2026, 4:00 p.m. – 5:47 p.m.
Location:  Board Room, Meridian Family Health headquarters, Columbus, Ohio

Directors present: Margaret Sloane (Chair), Dr. Elaine Porter (CEO), Robert Nakamura,
Dr. Susan Ellery, James Whitaker, Teresa Obi
In attendance:     Helen Park (CFO), Gregory Hale (COO), Dana Whitfield (CISO),
Luis Ortega (Privacy Officer), Linda Farrow (Corporate Secretary)

1. CALL TO ORDER
The Chair called the meeting to order at 4:00 p.m. A quorum was present.

2. APPROVAL OF PRIOR MINUTES
The minutes of the January 21, 2026 meeting were approved without changes.

3. CISO REPORT – HIPAA SECURITY RISK ASSESSMENT
Dana Whitfield presented the results of the 2026 HIPAA Security Risk Assessment performed by
Northbridge Assurance Partners (report NAP-MFH-2026-01). The assessor’s overall rating is
“Elevated”, with 8 findings: 1 Critical, 4 High, 2 Medium and 1 Low. The Critical finding is that
TranscribeRight, the dictation transcription vendor, has received patient information since
June 2025 without a business associate agreement. Ms. Whitfield explained that the legacy VPN
without MFA (finding F-01) is the most likely entry point for ransomware and that replacement is
planned by September 30, 2026.

Luis Ortega reported that TranscribeRight has been sent Meridian’s BAA template and has not yet
signed it. Directors asked whether any patient information had been misused; Mr. Ortega stated
that no misuse is known and that a breach risk assessment is under way.

4. SECURITY BUDGET – FY2027
Helen Park and Dana Whitfield presented the proposed information security budget for FY2027
(July 1, 2026 – June 30, 2027) of $480,000, compared with $365,000 in FY2026. The increase covers:
  – replacement of the legacy VPN with Okta-integrated remote access: $95,000
  – a 24x7 managed detection and response (MDR) service: $120,000
  – one additional security analyst (full-time position)
  – an incident response firm on retainer
The Board discussed whether the MDR service could be phased in; the CFO confirmed that the
amount fits within the FY2027 capital and operating plan.

5. DECISIONS
Resolution 2026-07: The Board approves the FY2027 information security budget of $480,000.
  Vote: 6 in favor, 0 against.
Resolution 2026-08: Management shall suspend all transfers of dictation to TranscribeRight
  until a business associate agreement is executed. Vote: 6 in favor, 0 against.
Resolution 2026-09: The CISO shall report progress on all Critical and High findings to the
  Audit & Compliance Committee every quarter, starting at the July 2026 meeting.
  Vote: 6 in favor, 0 against.

6. OTHER BUSINESS
The CISO informed the Board that a ransomware tabletop exercise with the executive team is
scheduled for May 14, 2026. Dr. Porter asked that directors receive the after-action report.

7. NEXT MEETING
The next regular meeting will be held on Wednesday, July 22, 2026 at 4:00 p.m.

The meeting was adjourned at 5:47 p.m.

Recorded by: Linda Farrow, Corporate Secretary
Approved by: Margaret Sloane, Chair – signature on file
"""

FACTS: list[tuple[str, str, str, list[str]]] = [
    ("Which vendors do not have a signed business associate agreement?", "Vendor_Register.docx",
     "2 Vendors", ["TranscribeRight Inc."]),
    ("When was the BAA with CareChart Health Systems signed?", "Vendor_Register.docx", "2 Vendors",
     ["2023-02-14"]),
    ("Who owns the vendor register?", "Vendor_Register.docx", "Vendor Register", ["Luis Ortega"]),
    ("What is the highest-scored risk in the risk register?", "Risk_Register.xlsx", "R-01",
     ["Ransomware encrypts CareChart interface servers"]),
    ("Who owns the risk of unencrypted laptops and by when will it be treated?",
     "Risk_Register.xlsx", "R-04", ["Marcus Bell", "2026-06-30"]),
    ("Which risks have been accepted?", "Risk_Register.xlsx", "R-11", ["R-11", "Accepted"]),
    ("Who is the Incident Commander?", "Incident_Response_Plan.docx", "2.1 Incident Commander",
     ["Dana Whitfield"]),
    ("Who leads incident response?", "Incident_Response_Plan.docx", "2.1 Incident Commander",
     ["Dana Whitfield"]),
    ("Who is the deputy incident commander?", "Incident_Response_Plan.docx",
     "2.2 Deputy Incident Commander", ["Angela Brooks"]),
    ("What is the deadline for notifying individuals after a breach?", "Incident_Response_Plan.docx",
     "5.2 Notice to Individuals", ["without unreasonable delay", "60 calendar days"]),
    ("When must the media be notified of a breach?", "Incident_Response_Plan.docx",
     "5.4 Notice to the Media", ["more than 500 residents"]),
    ("What is the response time for a critical (SEV-1) incident?", "Incident_Response_Plan.docx",
     "3 Severity Levels", ["15 minutes"]),
    ("When was the ransomware tabletop exercise held?", "Tabletop_Exercise_2026-05.md",
     "Ransomware Tabletop Exercise - After-Action Report", ["2026-05-14"]),
    ("Who owns the action to set up out-of-band communications after the tabletop exercise?",
     "Tabletop_Exercise_2026-05.md", "4 Action Items", ["Dana Whitfield", "2026-06-30"]),
    ("How long could the Incident Commander not be reached during the tabletop?",
     "Tabletop_Exercise_2026-05.md", "3.2 What Needs Improvement", ["40 minutes"]),
    ("What security budget did the board approve for FY2027?", "Board_Meeting_Minutes_2026-Q2.txt",
     "4. SECURITY BUDGET – FY2027", ["$480,000"]),
    ("What did the board decide about TranscribeRight?", "Board_Meeting_Minutes_2026-Q2.txt",
     "5. DECISIONS", ["suspend all transfers of dictation"]),
    ("How much was the security budget in FY2026?", "Board_Meeting_Minutes_2026-Q2.txt",
     "4. SECURITY BUDGET – FY2027", ["$365,000"]),
]
