"""Meridian Family Health: HIPAA risk assessment report (PDF) by an outside assessor.

Fictional. The findings deliberately contradict the Information Security Policy (planted gaps).
"""

from __future__ import annotations

from meridian_prior import appendix_rows

FINDINGS: list[dict] = [
    {
        "id": "F-01", "short": "MFA not enforced on legacy VPN",
        "title": "Multi-factor authentication not enforced on the legacy VPN",
        "severity": "High", "clause": "164.312(d)",
        "clause_title": "Person or entity authentication",
        "description": "Policy ISP-001 section 5.4 requires MFA for all remote access. The legacy "
                       "Cisco ASA VPN (MFH-VPN-01), still used by 37 accounts including billing "
                       "contractors and the biomedical engineering team, authenticates with Active "
                       "Directory username and password only. The newer Okta-protected remote "
                       "access path enforces MFA, but the legacy VPN has not been decommissioned.",
        "recommendation": "Enforce MFA through Okta RADIUS on MFH-VPN-01 or decommission it and move "
                          "the remaining 37 accounts to the Okta-protected remote access path.",
        "owner": "Priya Raman, IT Infrastructure Manager", "due": "2026-09-30", "status": "In progress",
    },
    {
        "id": "F-02", "short": "Laptops without full-disk encryption",
        "title": "Laptops without full-disk encryption",
        "severity": "High", "clause": "164.312(a)(2)(iv)",
        "clause_title": "Encryption and decryption",
        "description": "Endpoint management reports showed 12 of 310 laptops without BitLocker or "
                       "FileVault enabled, contrary to policy section 6.2. Four of the 12 are "
                       "assigned to the Westside urgent care center, and two held local exports of "
                       "patient scheduling reports containing ePHI.",
        "recommendation": "Encrypt or recall the 12 laptops, and add a compliance rule that blocks "
                          "unencrypted laptops from Microsoft 365 and CareChart EHR.",
        "owner": "Marcus Bell, Desktop Services Lead", "due": "2026-06-30", "status": "In progress",
    },
    {
        "id": "F-03", "short": "Restore tests not performed in 2025",
        "title": "Contingency plan restore tests not performed in 2025",
        "severity": "High", "clause": "164.308(a)(7)(ii)(D)",
        "clause_title": "Testing and revision procedures",
        "description": "Policy section 8.3 requires quarterly restore tests. No restore test was "
                       "performed or documented in 2025; the last documented test was on 2024-11-07 "
                       "and covered only the file servers. The ability to restore the CareChart "
                       "interface servers within the 4-hour RTO has never been demonstrated.",
        "recommendation": "Run a full restore test of the CareChart interface servers and Active "
                          "Directory, then resume the quarterly test schedule with documented results.",
        "owner": "Priya Raman, IT Infrastructure Manager", "due": "2026-07-31", "status": "Open",
    },
    {
        "id": "F-04", "short": "EHR audit log review not performed",
        "title": "CareChart EHR audit log review not performed",
        "severity": "High", "clause": "164.308(a)(1)(ii)(D)",
        "clause_title": "Information system activity review",
        "description": "Policy section 7.4 requires weekly review of CareChart EHR access logs. The "
                       "SIEM connector for CareChart EHR stopped forwarding logs on 2025-09-14 and "
                       "the failure was not detected; no EHR access log review was documented from "
                       "September 2025 to the end of fieldwork. Logs remain available in CareChart.",
        "recommendation": "Repair the connector, alert on loss of any log source, review the backlog "
                          "for employee and VIP record access, and document weekly reviews.",
        "owner": "Angela Brooks, Security Operations Lead", "due": "2026-05-31", "status": "Open",
    },
    {
        "id": "F-05", "short": "No BAA with TranscribeRight",
        "title": "No business associate agreement with TranscribeRight",
        "severity": "Critical", "clause": "164.314(a)",
        "clause_title": "Business associate contracts or other arrangements",
        "description": "TranscribeRight Inc. has transcribed physician dictation containing ePHI "
                       "since June 2025 under a purchase order signed by a clinic manager. No business "
                       "associate agreement exists, TranscribeRight is missing from the security "
                       "review process, and about 2,400 dictation files were sent to it in 2025.",
        "recommendation": "Execute a BAA with TranscribeRight or stop sending dictation; require "
                          "Privacy Officer sign-off before purchase orders for any service touching ePHI.",
        "owner": "Luis Ortega, Privacy Officer", "due": "2026-04-30", "status": "Open",
    },
    {
        "id": "F-06", "short": "Terminated users not removed within 24 hours",
        "title": "Terminated users not removed within 24 hours",
        "severity": "Medium", "clause": "164.308(a)(3)(ii)(C)",
        "clause_title": "Termination procedures",
        "description": "In a sample of 41 terminations from 2025, 9 accounts (22%) remained active more "
                       "than 24 hours after the termination time, the longest for 17 days. One "
                       "account of a departed medical assistant was used to log in to CareChart EHR "
                       "two days after termination; the Privacy Officer found no record was viewed.",
        "recommendation": "Automate deprovisioning from the HR system through Okta and report "
                          "exceptions daily to the Identity and Access Manager.",
        "owner": "Kevin Cho, Identity and Access Manager", "due": "2026-06-30", "status": "Open",
    },
    {
        "id": "F-07", "short": "EHR lockout threshold set to 10 attempts",
        "title": "CareChart EHR lockout threshold and failed log-in monitoring",
        "severity": "Medium", "clause": "164.308(a)(5)(ii)(C)",
        "clause_title": "Log-in monitoring",
        "description": "Policy section 5.3 requires lockout after 5 consecutive failed attempts. "
                       "CareChart EHR is configured to lock accounts after 10 failed attempts, and "
                       "no alert exists for repeated failed log-ins to CareChart EHR.",
        "recommendation": "Set the CareChart EHR lockout threshold to 5 attempts and create a SIEM "
                          "alert for failed log-in bursts.",
        "owner": "Samuel Greene, EHR Application Manager", "due": "2026-05-15", "status": "Open",
    },
    {
        "id": "F-08", "short": "Patient portal audit logging incomplete",
        "title": "Incomplete audit logging for the MyMeridian patient portal",
        "severity": "Low", "clause": "164.312(b)",
        "clause_title": "Audit controls",
        "description": "AWS CloudTrail data events are not enabled for the S3 bucket that stores "
                       "documents uploaded by patients through MyMeridian, and the portal's "
                       "CloudWatch application logs are kept for 90 days, not the 6 years required "
                       "by policy section 7.3.",
        "recommendation": "Enable CloudTrail data events for the upload bucket and export portal logs "
                          "to the immutable archive.",
        "owner": "Derek Lin, Patient Portal Engineering Lead", "due": "2026-08-31", "status": "Open",
    },
]


def _finding_blocks(f: dict) -> list[tuple]:
    return [
        ("h2", f"{f['id']} {f['title']}"),
        ("p", f"Severity: {f['severity']}. HIPAA reference: {f['clause']} ({f['clause_title']}). "
              f"Owner: {f['owner']}. Due date: {f['due']}. Status: {f['status']}."),
        ("p", f"Observation: {f['description']}"),
        ("p", f"Recommendation: {f['recommendation']}"),
    ]


_BY_ID = {f["id"]: f for f in FINDINGS}

ASSESSMENT_PAGES: list[list[tuple]] = [
    [
        ("title", "HIPAA Security Risk Assessment 2026"),
        ("subtitle", "Meridian Family Health - Final Report"),
        ("meta", [
            ("Report ID", "NAP-MFH-2026-01"),
            ("Prepared by", "Northbridge Assurance Partners LLC"),
            ("Lead assessor", "Karen Liu, CISSP, HCISPP"),
            ("Fieldwork", "2026-01-12 to 2026-02-20"),
            ("Report date", "2026-03-16"),
            ("Prepared for", "Dana Whitfield, CISO, and Luis Ortega, Privacy Officer"),
        ]),
        ("h1", "1 Executive Summary"),
        ("p", "Northbridge Assurance Partners assessed the safeguards Meridian Family Health applies "
              "to electronic protected health information against the HIPAA Security Rule "
              "(45 CFR 164.308 to 164.316) and Meridian's own Information Security Policy, version "
              "3.2. Overall risk is rated Elevated. Meridian has a sound written policy framework, "
              "but several controls that the policy requires are not operating in practice."),
        ("p", "We report 8 findings: 1 Critical, 4 High, 2 Medium and 1 Low. The Critical finding "
              "(F-05) is that ePHI is shared with a transcription vendor, TranscribeRight, without a "
              "business associate agreement. The High findings concern MFA on the legacy VPN (F-01), "
              "unencrypted laptops (F-02), restore testing (F-03) and EHR audit log review (F-04)."),
        ("p", "Of the 11 findings from the 2025 assessment, 7 are closed and 4 are carried forward in "
              "the findings above (F-01, F-03, F-06 and F-07). We recommend that management "
              "prioritize F-05 and F-01, which together present the most likely path to a "
              "reportable breach."),
        ("h1", "2 Scope and Methodology"),
        ("p", "Scope: CareChart EHR and its interface servers, Microsoft 365, Okta, Active "
              "Directory, the legacy and Okta-protected remote access paths, the MyMeridian patient "
              "portal on AWS, endpoints, backups, and the business associate program, at "
              "headquarters and 3 of the 9 clinics visited on site. The method follows NIST SP "
              "800-30 Rev. 1: 23 interviews, configuration review and sample testing."),
    ],
    [
        ("h1", "3 Findings Summary"),
        ("table", ["ID", "Finding", "Severity", "HIPAA clause", "Owner", "Due date", "Status"],
         [[f["id"], f["short"], f["severity"], f["clause"], f["owner"].split(",")[0], f["due"],
           f["status"]] for f in FINDINGS],
         (11, 44, 16, 27, 26, 20, 18)),
        ("h2", "3.1 Severity Ratings"),
        ("bullets", [
            "Critical: likely to cause a reportable breach or a HIPAA violation now; remediate "
            "within 45 days.",
            "High: a required safeguard is missing or not operating; remediate within 6 months.",
            "Medium: a safeguard operates only partially; remediate within 6 months.",
            "Low: documentation or hardening gap with limited exposure; remediate within 12 months.",
        ]),
        ("p", "Due dates in this report were agreed with the named owners during the closing "
              "meeting on 2026-03-04. Status is as reported by management on 2026-03-13."),
    ],
    [("h1", "4 Detailed Findings")] + _finding_blocks(_BY_ID["F-01"]) + _finding_blocks(_BY_ID["F-02"])
    + _finding_blocks(_BY_ID["F-03"]),
    _finding_blocks(_BY_ID["F-04"]) + _finding_blocks(_BY_ID["F-05"]) + _finding_blocks(_BY_ID["F-06"]),
    _finding_blocks(_BY_ID["F-07"]) + _finding_blocks(_BY_ID["F-08"]) + [
        ("h1", "5 Management Response"),
        ("p", "Management accepts all 8 findings. The CISO, Dana Whitfield, will track remediation "
              "in the Meridian risk register and report progress to the Board of Directors each "
              "quarter. Northbridge will perform a follow-up review of F-01 to F-05 in October 2026."),
        ("h1", "6 Sign-off"),
        ("p", "Karen Liu, Lead Assessor, Northbridge Assurance Partners LLC - 2026-03-16. "
              "Accepted for Meridian Family Health by Dana Whitfield, CISO - 2026-03-18."),
    ],
    [
        ("h1", "Appendix A Status of the 2025 Items"),
        ("p", "Items H-01 to H-11 of the prior-year report NAP-MFH-2025-01 (dated 2025-03-14), as "
              "retested during the 2026 fieldwork:"),
        ("table", ["2025 ID", "2025 item", "2025 severity", "Status in 2026"], appendix_rows(),
         (14, 70, 22, 44)),
    ],
]

FACTS: list[tuple[str, str, str, list[str]]] = [
    ("How many findings did the 2026 HIPAA risk assessment report, and how severe are they?",
     "HIPAA_Risk_Assessment_2026.pdf", "1 Executive Summary",
     ["8 findings", "1 Critical", "4 High", "2 Medium", "1 Low"]),
    ("Who performed the HIPAA risk assessment?", "HIPAA_Risk_Assessment_2026.pdf",
     "HIPAA Security Risk Assessment 2026", ["Northbridge Assurance Partners", "Karen Liu"]),
    ("What is the overall risk rating in the HIPAA risk assessment?", "HIPAA_Risk_Assessment_2026.pdf",
     "1 Executive Summary", ["Elevated"]),
    ("Who owns the finding about MFA on the VPN and when is it due?", "HIPAA_Risk_Assessment_2026.pdf",
     "F-01 Multi-factor authentication not enforced on the legacy VPN",
     ["Priya Raman", "2026-09-30"]),
    ("Which HIPAA clause does finding F-01 cite?", "HIPAA_Risk_Assessment_2026.pdf",
     "F-01 Multi-factor authentication not enforced on the legacy VPN", ["164.312(d)"]),
    ("How many laptops lack full-disk encryption?", "HIPAA_Risk_Assessment_2026.pdf",
     "F-02 Laptops without full-disk encryption", ["12 of 310 laptops"]),
    ("When was the last documented backup restore test?", "HIPAA_Risk_Assessment_2026.pdf",
     "F-03 Contingency plan restore tests not performed in 2025", ["2024-11-07"]),
    ("Since when has the EHR audit log review not been performed?", "HIPAA_Risk_Assessment_2026.pdf",
     "F-04 CareChart EHR audit log review not performed", ["2025-09-14"]),
    ("Which vendor receives ePHI without a business associate agreement?",
     "HIPAA_Risk_Assessment_2026.pdf", "F-05 No business associate agreement with TranscribeRight",
     ["TranscribeRight", "Critical"]),
    ("What severity and HIPAA clause apply to the missing BAA finding?", "HIPAA_Risk_Assessment_2026.pdf",
     "F-05 No business associate agreement with TranscribeRight", ["Critical", "164.314(a)"]),
    ("How many terminated users kept access for more than 24 hours?", "HIPAA_Risk_Assessment_2026.pdf",
     "F-06 Terminated users not removed within 24 hours", ["9 accounts", "17 days"]),
    ("What lockout threshold is actually configured in the EHR?", "HIPAA_Risk_Assessment_2026.pdf",
     "F-07 CareChart EHR lockout threshold and failed log-in monitoring", ["10 failed attempts"]),
    ("Which finding is rated Low and what does it concern?", "HIPAA_Risk_Assessment_2026.pdf",
     "F-08 Incomplete audit logging for the MyMeridian patient portal", ["F-08", "164.312(b)"]),
]
