"""Meridian Family Health: the prior-year HIPAA risk assessment (PDF), a year before the 2026 report.

Fictional. The same assessor's 2025 engagement ("HIPAA Security Review 2025", report NAP-MFH-2025-01):
eleven items in one summary table (ids H-01 to H-11, no detailed sections). The 2026 report lists each of
them in its Appendix A: seven closed, four carried forward as 2026 findings (F-01, F-03, F-06, F-07).

Worded so that the older report does not answer the eval's questions about the current assessment
(measured with the fast eval on the meridian-health cases): its title does not repeat "Risk Assessment",
it states no counts, its item titles avoid the words of the 2026 findings and the policy ("MFA", "VPN",
"lockout", "restore", "terminated"), its table names the column "Issue", and the 2026 appendix names it
by report id only.
"""

from __future__ import annotations

REPORT_DATE = "2025-03-14"

# "carried": the 2026 finding it is carried forward as ("" when the 2026 report lists it as closed).
PRIOR_FINDINGS: list[dict] = [
    {"id": "H-01", "short": "Asset inventory incomplete for clinic devices", "severity": "Medium",
     "clause": "164.310(d)(1)", "owner": "Marcus Bell, Desktop Services Lead", "due": "2025-06-30",
     "status": "Open", "carried": ""},
    {"id": "H-02", "short": "Password-only log-in on legacy remote access", "severity": "High",
     "clause": "164.312(d)", "owner": "Priya Raman, IT Infrastructure Manager", "due": "2025-09-30",
     "status": "Open", "carried": "F-01"},
    {"id": "H-03", "short": "Recovery of interface servers not shown", "severity": "Medium",
     "clause": "164.308(a)(7)(ii)(D)", "owner": "Priya Raman, IT Infrastructure Manager", "due": "2025-06-30",
     "status": "Open", "carried": "F-03"},
    {"id": "H-04", "short": "Security evaluation not repeated after upgrade", "severity": "High",
     "clause": "164.308(a)(8)", "owner": "Dana Whitfield, CISO", "due": "2025-07-31",
     "status": "Open", "carried": ""},
    {"id": "H-05", "short": "Shared front-desk workstation accounts", "severity": "High",
     "clause": "164.312(a)(2)(i)", "owner": "Kevin Cho, Identity and Access Manager", "due": "2025-08-31",
     "status": "Open", "carried": ""},
    {"id": "H-06", "short": "Leaver accounts disabled late", "severity": "Medium",
     "clause": "164.308(a)(3)(ii)(C)", "owner": "Kevin Cho, Identity and Access Manager", "due": "2025-06-30",
     "status": "Open", "carried": "F-06"},
    {"id": "H-07", "short": "CareChart password settings weaker than policy", "severity": "Medium",
     "clause": "164.308(a)(5)(ii)(C)", "owner": "Samuel Greene, EHR Application Manager", "due": "2025-05-31",
     "status": "Open", "carried": "F-07"},
    {"id": "H-08", "short": "Guest wireless not separated from clinical devices", "severity": "Medium",
     "clause": "164.312(e)(1)", "owner": "Priya Raman, IT Infrastructure Manager", "due": "2025-08-31",
     "status": "Open", "carried": ""},
    {"id": "H-09", "short": "Windows servers missing security patches", "severity": "High",
     "clause": "164.308(a)(5)(ii)(B)", "owner": "Priya Raman, IT Infrastructure Manager", "due": "2025-05-31",
     "status": "Open", "carried": ""},
    {"id": "H-10", "short": "Visitor records not kept at two clinics", "severity": "Low",
     "clause": "164.310(a)(2)(iii)", "owner": "Rosa Martinez, Facilities Manager", "due": "2025-12-31",
     "status": "Open", "carried": ""},
    {"id": "H-11", "short": "Disposal certificates missing for old drives", "severity": "Low",
     "clause": "164.310(d)(2)(i)", "owner": "Rosa Martinez, Facilities Manager", "due": "2025-12-31",
     "status": "Open", "carried": ""},
]

PRIOR_PAGES: list[list[tuple]] = [
    [
        ("title", "HIPAA Security Review 2025"),
        ("subtitle", "Meridian Family Health - Prior-Year Report, superseded by NAP-MFH-2026-01"),
        ("meta", [
            ("Report ID", "NAP-MFH-2025-01"),
            ("Prepared by", "Northbridge Assurance Partners LLC"),
            ("Lead assessor", "Karen Liu, CISSP, HCISPP"),
            ("Fieldwork", "2025-01-13 to 2025-02-21"),
            ("Report date", REPORT_DATE),
        ]),
        ("h1", "1 About This Prior-Year Report"),
        ("p", "This prior-year report, dated 2025-03-14, records Meridian's safeguards as found at the 2025 "
              "fieldwork only. Report NAP-MFH-2026-01 of 2026-03-16 supersedes it; its Appendix A gives the "
              "current status of each item below. Owners and target dates were agreed at the 2025 closing "
              "meeting."),
        ("h1", "2 Items Recorded in 2025"),
        ("table", ["ID", "Issue", "Severity", "HIPAA clause", "Owner", "Due date", "Status"],
         [[f["id"], f["short"], f["severity"], f["clause"], f["owner"].split(",")[0], f["due"], f["status"]]
          for f in PRIOR_FINDINGS],
         (11, 44, 16, 27, 26, 20, 18)),
        ("p", "Status is as reported by management on 2025-03-10."),
    ],
]


def appendix_rows() -> list[list[str]]:
    """Rows of the 2026 report's Appendix A: each 2025 item and its status in 2026."""
    return [[f["id"], f["short"], f["severity"],
             f"Carried forward as {f['carried']}" if f["carried"] else "Closed"] for f in PRIOR_FINDINGS]
