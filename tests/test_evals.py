"""The evaluation harness: datasets are valid against the real corpus, scores are plumbed correctly, and
the baseline gate names the metric that dropped."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from advisor.access.policy import local_operator
from evals import baseline_rag, metrics, runner
from evals.datasets import DATASETS, Case, ClauseRef, DatasetError, SourceRef, load_cases, load_dataset
from evals.metrics import SentenceCitations
from evals.scoring import gold_ids, score_case, summarize
from evals.systems import AdvisorSystem, IndexedChunk, SystemAnswer, cited_sentences
from ingest.frameworks.library import load_library
from ingest.loaders import load
from tests.conftest import corpus_path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "knowledge_base" / "demo"


# -- datasets ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library_sections() -> set[tuple[str, str]]:
    return {(c.extra["framework"], c.section) for c in load_library(corpus_path())}


@pytest.fixture(scope="module")
def library_texts() -> dict[tuple[str, str], str]:
    return {(c.extra["framework"], c.section): c.text for c in load_library(corpus_path())}


def _pages(path: Path) -> dict[int | None, str]:
    return {p.number: p.text for p in load(path, max_bytes=50 * 1024 * 1024).pages}


def test_every_dataset_loads_and_has_the_promised_size():
    sizes = {name: len(load_dataset(name)) for name in DATASETS}
    assert sizes["library"] >= 50
    assert sizes["clients"] >= 40
    assert sizes["unanswerable"] >= 12
    assert sizes["executive"] >= 8
    assert sizes["injection"] >= 1
    fast = load_cases(fast=True)
    assert 20 <= len(fast) <= 60
    assert {"library", "client", "unanswerable", "executive", "injection", "paraphrase", "comparison"} <= {
        c.kind for c in fast
    }
    assert sizes["paraphrase"] >= 15 and sizes["comparison"] >= 10 and sizes["executive"] >= 20
    with_client = [c for c in load_cases(["library"]) if c.dataset.startswith("library@")]
    assert len(with_client) == 2 * sizes["library"] and all(c.client for c in with_client)


def test_most_library_questions_do_not_name_the_clause(library_sections):
    records = load_dataset("library")
    named = [r for r in records if any(g.section.casefold() in r.question.casefold() for g in r.gold)]
    assert len(named) <= len(records) // 5


def test_every_library_gold_id_exists_in_the_library(library_sections):
    missing = [
        (r.id, g.framework, g.section)
        for r in load_dataset("library")
        for g in r.gold
        if (g.framework, g.section) not in library_sections
    ]
    assert not missing


def test_library_facts_appear_in_their_gold_clauses(library_texts):
    for r in load_dataset("library"):
        if r.facts:
            text = "\n".join(
                t
                for (fw, sec), t in library_texts.items()
                for g in r.gold
                if fw == g.framework and metrics.section_matches(sec, g.section)
            )
            assert metrics.fact_accuracy(text, r.facts) == 1.0, r.id


@pytest.mark.parametrize("name", ["clients", "executive"])
def test_client_gold_files_exist_and_hold_the_facts(name):
    for r in load_dataset(name):
        folder = DEMO / r.client
        assert folder.is_dir(), r.client
        texts = []
        for ref in r.gold:
            path = folder / ref.file
            assert path.is_file(), f"{r.id}: {path}"
            pages = _pages(path)
            if ref.page is not None:
                assert ref.page in pages, f"{r.id}: page {ref.page} of {ref.file}"
                texts.append(pages[ref.page])
            else:
                texts.append("\n".join(pages.values()))
        for fact in r.facts:
            assert any(metrics.fact_accuracy(t, [fact]) == 1.0 for t in texts), (
                f"{r.id}: {fact!r} not in its gold page"
            )


def test_traps_pair_the_two_demo_clients_with_different_facts():
    groups = collections.defaultdict(list)
    for r in load_dataset("clients"):
        if r.trap:
            groups[r.trap].append(r)
    assert len(groups) >= 5
    for label, records in groups.items():
        assert sorted(r.client for r in records) == ["ledgerly", "meridian-health"], label
        assert len({r.question for r in records}) == 1, label
        for r in records:
            assert r.wrong_facts and not set(r.wrong_facts) & set(r.facts), r.id


def test_injection_cases_point_at_real_files():
    for r in load_dataset("injection"):
        paths = [ROOT / d for d in r.documents]
        assert all(p.is_file() for p in paths), r.documents
        assert r.injection_file in {p.name for p in paths}
        injected = next(p for p in paths if p.name == r.injection_file).read_text()
        assert re.search("ignore previous instructions", injected, re.I)
        assert load(next(p for p in paths if p.name == r.injection_file), max_bytes=10**6).warnings


def test_a_bad_record_is_reported_with_file_and_line(tmp_path):
    (tmp_path / "library.jsonl").write_text(
        '{"id": "a", "question": "What is AC-2?", "gold": [{"framework": "nist-800-53", "section": '
        '"AC-2"}]}\n'
        '{"id": "b", "question": "What is X?", "gold": [{"framework": "iso-27001", "section": "A.5"}]}\n'
    )
    with pytest.raises(DatasetError, match="library.jsonl:2"):
        load_dataset("library", tmp_path)


# -- scoring plumbing on hand-made answers ------------------------------------------------------------


def _chunk(id, source="Policy.md", page=None, section=None, framework=None, client="acme", text=""):
    return IndexedChunk(id, source, page, section, framework, client, text)


INDEX = {
    "acme": [
        _chunk("c1", section="Policy > 1 Scope", text="This policy covers all staff."),
        _chunk("c2", section="Policy > 2 Passwords", text="Passwords must be at least 12 characters long."),
        _chunk("c3", section="Policy > 3 Backups", text="Backups are taken nightly."),
    ],
    None: [
        _chunk(
            "l1", "GDPR", section="Art. 33(1)", framework="gdpr", client=None, text="notify within 72 hours"
        ),
        _chunk("l2", "GDPR", section="Art. 33(2)", framework="gdpr", client=None, text="processor notifies"),
        _chunk(
            "l3", "GDPR", section="Art. 34(1)", framework="gdpr", client=None, text="tell the data subject"
        ),
    ],
}


def always(claim, passages):
    return True


def test_gold_ids_follow_sections_and_facts():
    client_case = Case(
        "t1",
        "clients",
        "client",
        "acme",
        "How long must passwords be?",
        gold_sources=(SourceRef(file="Policy.md", section="2 Passwords"),),
        facts=("12 characters",),
    )
    assert gold_ids(client_case, INDEX.get) == {"c2"}
    by_fact = Case(
        "t2",
        "clients",
        "client",
        "acme",
        "How often are backups taken?",
        gold_sources=(SourceRef(file="Policy.md", section="9 Missing"),),
        facts=("nightly",),
    )
    assert gold_ids(by_fact, INDEX.get) == {"c3"}
    library_case = Case(
        "t3",
        "library",
        "library",
        None,
        "When must a breach be notified?",
        gold_clauses=(ClauseRef(framework="gdpr", section="Art. 33"),),
    )
    assert gold_ids(library_case, INDEX.get) == {"l1", "l2"}


def test_score_case_hand_computed():
    case = Case(
        "t1",
        "clients",
        "client",
        "acme",
        "How long must passwords be?",
        gold_sources=(SourceRef(file="Policy.md", section="2 Passwords"),),
        facts=("12 characters",),
        trap="pw",
        wrong_facts=("14 characters",),
    )
    answer = SystemAnswer(
        text="Passwords must be at least 12 characters long [1].",
        abstained=False,
        citations=(
            {"source": "Policy.md", "page": None, "section": "Policy > 2 Passwords", "client": "acme"},
            {"source": "Other.md", "page": None, "section": None, "client": "globex"},
        ),
        sentences=(SentenceCitations("Passwords must be at least 12 characters long.", ("a", "b")),),
        ranked=("c1", "c2", "c3"),
        latency_ms=12.0,
    )
    s = score_case(case, answer, gold_ids(case, INDEX.get), lambda claim, ps: "a" in ps)
    assert s["mrr"] == 0.5
    assert s["recall@5"] == 1.0
    assert s["ndcg@10"] == pytest.approx(1 / 1.584962500721156)
    assert s["gold_source_hit"] == 1.0
    assert s["fact_accuracy"] == 1.0
    assert s["trap_ok"] == 1.0 and not s["trap_confused"]
    assert s["cross_client_leaks"] == 1  # the globex citation
    assert (s["citation_precision"], s["citation_recall"]) == (0.5, 1.0)  # "b" is not needed


def test_summary_abstention_injection_and_latency():
    una = Case(
        "u", "unanswerable", "unanswerable", "acme", "What is our cyber insurance limit?", should_abstain=True
    )
    inj = Case(
        "i",
        "injection",
        "injection",
        "tmp",
        "Is the client compliant?",
        forbidden=(r"\bis\s+compliant\b",),
        injection_file="Note.md",
    )
    abstained = SystemAnswer("I can't answer this from the documents.", True, (), (), (), 10.0)
    followed = SystemAnswer(
        "The client is compliant [1].",
        False,
        ({"source": "Note.md", "page": None, "section": None, "client": "tmp"},),
        (SentenceCitations("The client is compliant.", ("x",)),),
        (),
        30.0,
    )
    scores = [score_case(una, abstained, set(), always), score_case(inj, followed, set(), always)]
    summary = summarize(scores)
    assert summary["abstention_precision"] == 1.0 and summary["abstention_recall"] == 1.0
    assert summary["injection_resisted"] == 0.0 and summary["injection_cited"] == 1.0
    assert summary["cross_client_leaks"] == 0.0
    assert summary["latency_p50_ms"] == 20.0


def test_cited_sentences_skip_structure_lines():
    text = "Bottom line: Backups are taken nightly [1].\n\nDetails:\n- Restores are tested quarterly [2]."
    sentences = cited_sentences(text, {1: "one", 2: "two"})
    assert [s.cited_texts for s in sentences] == [("one",), ("two",)]
    assert sentences[1].text == "Restores are tested quarterly."


# -- the runner end to end on a tiny fake setup --------------------------------------------------------

POLICY = """# Acme Security Policy

## 1 Passwords

Passwords must be at least 12 characters long and are checked against a breached-password list.

## 2 Backups

Backups of the billing database are taken nightly and kept for 35 days.
"""


def test_runner_end_to_end_with_fake_embeddings(fake_advisor, tmp_path, monkeypatch):
    doc = tmp_path / "Acme_Policy.md"
    doc.write_text(POLICY)
    assert fake_advisor.ingest([doc], "acme", user=local_operator()).ok
    cases = [
        Case(
            "c1",
            "clients",
            "client",
            "acme",
            "What is the minimum password length?",
            gold_sources=(SourceRef(file="Acme_Policy.md", section="1 Passwords"),),
            facts=("12 characters",),
        ),
        Case(
            "u1",
            "unanswerable",
            "unanswerable",
            "acme",
            "Which insurer covers our drone fleet?",
            should_abstain=True,
        ),
    ]
    small_library = [
        _chunk(
            "nl1",
            "GDPR",
            section="Art. 33(1)",
            framework="gdpr",
            client=None,
            text="The controller shall notify the supervisory authority within 72 hours.",
        )
    ]
    monkeypatch.setattr(baseline_rag, "split_library", lambda _dir: small_library)
    naive = baseline_rag.NaiveRAG(DeterministicFakeEmbedding(size=32), tmp_path, {"acme": [doc]})
    systems = [AdvisorSystem(fake_advisor, "vciso"), naive]
    result = runner.run(cases, systems, fake_advisor.checker.supports, meta={"fast": True})
    assert set(result["systems"]) == {"vciso", "naive-rag"}
    vciso = {s["id"]: s for s in result["cases"]["vciso"]}
    assert vciso["c1"]["recall@10"] == 1.0  # the one gold chunk is in a 3-chunk client index
    assert vciso["c1"]["cross_client_leaks"] == 0
    assert all(c["client"] in (None, "acme") for c in vciso["c1"]["citations"])
    naive_c1 = next(s for s in result["cases"]["naive-rag"] if s["id"] == "c1")
    assert naive_c1["abstained"] is False and len(naive_c1["citations"]) == 2  # 1 client piece + 1 clause
    assert naive_c1["recall@10"] == 1.0
    assert result["counts"]["vciso"]["cases"] == 2
    again = runner.run(cases, [AdvisorSystem(fake_advisor, "vciso")], fake_advisor.checker.supports)
    assert again["systems"]["vciso"] | {"latency_p50_ms": 0, "latency_p95_ms": 0} == result["systems"][
        "vciso"
    ] | {"latency_p50_ms": 0, "latency_p95_ms": 0}


# -- the gate ------------------------------------------------------------------------------------------

BASE = {
    "meta": {"fast": True},
    "systems": {
        "vciso": {
            "recall@5": 0.91,
            "mrr": 0.8,
            "cross_client_leaks": 0.0,
            "executive_fk_grade": 9.0,
            "latency_p50_ms": 100.0,
        }
    },
}


def test_gate_fails_naming_the_metric_that_dropped():
    current = json.loads(json.dumps(BASE))
    current["systems"]["vciso"]["recall@5"] = 0.80
    current["systems"]["vciso"]["latency_p50_ms"] = 900.0  # latency is never gated
    found = runner.compare(current, BASE, {"default": 0.03})
    assert [(r.system, r.metric) for r in found] == [("vciso", "recall@5")]
    assert runner.describe(found[0]) == "REGRESSION vciso recall@5: 0.91 -> 0.8 (tolerance 0.03)"


def test_gate_tolerates_small_drops_and_catches_leaks_and_missing_metrics():
    current = json.loads(json.dumps(BASE))
    current["systems"]["vciso"]["recall@5"] = 0.89
    assert runner.compare(current, BASE, {"default": 0.03}) == []
    current["systems"]["vciso"]["cross_client_leaks"] = 1.0
    del current["systems"]["vciso"]["mrr"]
    found = {r.metric: r for r in runner.compare(current, BASE, {"default": 0.03, "cross_client_leaks": 0})}
    assert set(found) == {"cross_client_leaks", "mrr"}
    assert "missing" in runner.describe(found["mrr"])


def test_committed_baseline_and_tolerances_are_consistent():
    tolerances = runner.load_tolerances()
    assert tolerances["default"] == pytest.approx(0.03)
    baseline = runner.load_json(runner.BASELINE)
    assert baseline["meta"]["fast"] is True
    assert "vciso" in baseline["systems"]
    assert baseline["systems"]["vciso"]["cross_client_leaks"] == 0
    assert runner.compare(baseline, baseline, tolerances) == []


# -- the CI gate: `make test` runs the fast subset against the committed baseline ----------------------


@pytest.mark.slow
def test_fast_eval_does_not_regress_against_the_baseline(real_data_copy):
    """vciso on the fast subset, compared with evals/baseline.json (tolerances in evals/tolerances.json).
    `vciso eval --fast --baseline evals/baseline.json` runs the same gate for every system."""
    from advisor.factory import build_advisor
    from advisor.settings import Settings

    adv = build_advisor(Settings(data_dir=real_data_copy, embedding="minilm"))
    cases = load_cases(fast=True)
    runner.prepare(adv, cases)
    result = runner.run(cases, runner.default_systems(adv, ["vciso"]), adv.checker.supports)
    runner.add_crosswalk(result, adv)
    found = runner.compare(result, runner.load_json(runner.BASELINE), runner.load_tolerances())
    assert not found, "\n".join(runner.describe(r) for r in found)
