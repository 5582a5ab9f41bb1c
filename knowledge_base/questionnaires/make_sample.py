"""Generate the sample vendor security questionnaire (xlsx + csv) and the gold answers for Meridian.

The questions are written for this project in the general style of vendor security questionnaires;
they are not copied from SIG, CAIQ or any other proprietary questionnaire.

Gold answers (``gold_meridian.jsonl``) are for the demo client meridian-health, from its documents in
knowledge_base/demo/meridian-health (see knowledge_base/demo/FACTS.md). ``answer`` "" means no document
answers the question and it must be left for human review. ``partial`` means the policy requires it
but an audit finding says it is not fully in place.

Run: python knowledge_base/questionnaires/make_sample.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (id, domain, question, gold answer for meridian-health, why)
QUESTIONS: list[tuple[str, str, str, str, str]] = [
    ("GOV-01", "Governance", "Do you have a documented information security policy approved by management?", "yes",
     "ISP-001 v3.2 approved by the CEO on 2026-02-18"),
    ("GOV-02", "Governance", "Is a named individual, such as a CISO, responsible for information security?", "yes",
     "Dana Whitfield, CISO"),
    ("GOV-03", "Governance", "Is the information security policy reviewed at least annually?", "yes", "ISP-001 section 14"),
    ("GOV-04", "Governance", "Have you performed a formal security risk assessment in the last 12 months?", "yes",
     "HIPAA Security Risk Assessment 2026 by Northbridge"),
    ("GOV-05", "Governance", "Do you maintain a risk register with owners and treatment plans?", "yes", "Risk_Register.xlsx"),
    ("GOV-06", "Governance", "Do you have a sanctions or disciplinary process for security policy violations?", "yes",
     "ISP-001 section 13 Enforcement"),
    ("IAM-01", "Identity and access", "Do you enforce multi-factor authentication for remote access?", "partial",
     "policy requires MFA for all remote access; F-01 legacy VPN without MFA"),
    ("IAM-02", "Identity and access", "Is multi-factor authentication required for privileged and administrator accounts?",
     "yes", "ISP-001 section 5.4"),
    ("IAM-03", "Identity and access", "Do passwords have a minimum length of at least 12 characters?", "yes",
     "ISP-001 section 5.1"),
    ("IAM-04", "Identity and access", "Are accounts locked after repeated failed log-in attempts?", "partial",
     "policy: 5 attempts; F-07 CareChart EHR set to 10"),
    ("IAM-05", "Identity and access", "Is access removed within 24 hours when an employee leaves?", "partial",
     "policy: 24 hours; F-06 9 of 41 leavers kept access longer"),
    ("IAM-06", "Identity and access", "Are user access rights reviewed at least quarterly?", "yes", "ISP-001 section 4.3"),
    ("IAM-07", "Identity and access", "Does every user have a unique user ID, with shared accounts prohibited?", "yes",
     "ISP-001 section 4.2"),
    ("IAM-08", "Identity and access", "Do workstations lock automatically after a period of inactivity?", "yes",
     "ISP-001 section 4.5: 15 minutes"),
    ("DAT-01", "Data protection", "Is sensitive data encrypted at rest?", "partial",
     "policy: AES-256 at rest; F-02 12 of 310 laptops unencrypted"),
    ("DAT-02", "Data protection", "Are all laptops protected with full-disk encryption?", "partial", "F-02"),
    ("DAT-03", "Data protection", "Is data encrypted in transit using TLS 1.2 or higher?", "yes", "ISP-001 section 6.3"),
    ("DAT-04", "Data protection", "Are staff allowed to paste patient information into public generative AI tools?", "no",
     "Acceptable Use Policy section 5"),
    ("DAT-05", "Data protection", "Do you have a procedure for the secure disposal of media and equipment?", "yes",
     "ISP-001 section 9.3"),
    ("DAT-06", "Data protection", "Is email containing patient information encrypted when sent outside the organization?",
     "yes", "Acceptable Use Policy section 4: [secure]"),
    ("LOG-01", "Logging and monitoring", "Are security events collected centrally in a SIEM?", "yes",
     "ISP-001 section 7.2 (Microsoft Sentinel)"),
    ("LOG-02", "Logging and monitoring", "Are audit logs retained for at least six years?", "partial",
     "policy: 6 years; F-08 portal logs kept 90 days"),
    ("LOG-03", "Logging and monitoring", "Are access logs of the electronic health record reviewed regularly?", "partial",
     "policy: weekly; F-04 review stopped 2025-09-14"),
    ("BCP-01", "Business continuity", "Are backups performed at least daily?", "yes", "ISP-001 section 8.1 nightly"),
    ("BCP-02", "Business continuity", "Are restores from backup tested regularly?", "partial",
     "policy: quarterly; F-03 no restore test in 2025"),
    ("BCP-03", "Business continuity", "Have recovery time objectives been defined for critical systems?", "yes",
     "ISP-001 section 8.4: EHR RTO 4 hours"),
    ("BCP-04", "Business continuity", "Is at least one copy of backups kept offsite or immutable?", "yes",
     "ISP-001 section 8.2"),
    ("IR-01", "Incident response", "Do you have a documented incident response plan?", "yes", "Incident_Response_Plan.docx"),
    ("IR-02", "Incident response", "Is the incident response plan tested with exercises such as tabletops?", "yes",
     "tabletop exercise 2026-05-14"),
    ("IR-03", "Incident response", "Are affected individuals notified of a breach within 60 days of discovery?", "yes",
     "IRP section 5.2"),
    ("TPM-01", "Third parties", "Do you sign business associate agreements with every vendor that handles patient data?",
     "partial", "policy requires BAAs; F-05 TranscribeRight without BAA"),
    ("TPM-02", "Third parties", "Do you maintain an inventory of third-party vendors?", "yes", "Vendor_Register.docx"),
    ("HR-01", "People", "Do all workforce members receive security awareness training at hire and annually?", "yes",
     "ISP-001 section 12"),
    ("HR-02", "People", "Do you run phishing simulations?", "yes", "ISP-001 section 12: quarterly"),
    ("HR-03", "People", "Are background checks performed on new employees before hire?", "", "no document says"),
    ("VUL-01", "Vulnerability management", "Do you perform annual penetration tests by an independent third party?", "",
     "no document says"),
    ("VUL-02", "Vulnerability management", "Do you scan your external network for vulnerabilities every month?", "",
     "no document says"),
    ("INS-01", "Insurance", "Do you carry cyber insurance?", "", "no document mentions insurance"),
    ("CMP-01", "Compliance", "Do you hold a current SOC 2 Type II report?", "", "no document says"),
    ("CMP-02", "Compliance", "Are you compliant with PCI DSS for cardholder data you store?", "",
     "Meridian's documents contain no PCI DSS content"),
    ("PHY-01", "Physical security", "Is entry to your data center controlled by badge readers and visitor logs?", "",
     "no document says (badges are mentioned only for workstations)"),
    ("DEV-01", "Secure development", "Do you follow a secure software development lifecycle with code review?", "",
     "no document says"),
]

HEADERS = ["Ref", "Domain", "Question", "Guidance for respondent"]
GUIDANCE = "Answer Yes / No / Partial / N/A and reference supporting evidence."


def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    intro = wb.active
    intro.title = "Instructions"
    intro["A1"] = "Vendor Security Questionnaire (sample, vciso project)"
    intro["A1"].font = Font(bold=True, size=14)
    intro["A3"] = "Please answer every question on the 'Questionnaire' sheet and return the workbook."
    ws = wb.create_sheet("Questionnaire")
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")
    for ref, domain, question, _, _ in QUESTIONS:
        ws.append([ref, domain, question, GUIDANCE])
    for col, width in zip("ABCD", (10, 24, 80, 40)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True)
    ws.freeze_panes = "A2"
    wb.save(path)


def write_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for ref, domain, question, _, _ in QUESTIONS:
            w.writerow([ref, domain, question, GUIDANCE])


def write_gold(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, (ref, _, question, answer, why) in enumerate(QUESTIONS, start=2):
            fh.write(json.dumps({"row": i, "ref": ref, "question": question, "answer": answer,
                                 "needs_review": answer == "", "why": why}) + "\n")


if __name__ == "__main__":
    write_xlsx(HERE / "vendor_security_questionnaire.xlsx")
    write_csv(HERE / "vendor_security_questionnaire.csv")
    write_gold(HERE / "gold_meridian.jsonl")
    print(f"wrote {len(QUESTIONS)} questions")
