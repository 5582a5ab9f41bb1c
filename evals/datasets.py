"""Evaluation datasets: JSONL files in ``evals/datasets/``, validated with pydantic when loaded.

Eight datasets, one file each:

- ``library``: questions over the built-in regulatory library, gold clause ids {framework, section}.
- ``clients``: questions over the demo clients, gold file + page + section and the expected facts;
  a ``trap`` label marks the same question asked for both clients where the facts differ, and
  ``wrong_facts`` holds the other client's facts (an answer containing them mixed the clients up).
- ``unanswerable``: questions no indexed document answers; the right answer is an abstention.
- ``executive``: executive-audience questions with gold sources and expected facts.
- ``paraphrase``: client questions phrased in other words than the documents (same shape as ``clients``).
- ``comparison``: "does our X meet requirement Y?": gold client file(s) and gold clause(s); the answer must
  cite both sides.
- ``realworld``: questions about real third-party documents read in place from ``../shared/realworld``
  (see :mod:`evals.realworld`): facts, pages, table rows, finding ids, and unanswerables.
- ``injection``: a document telling the assistant to "ignore previous instructions" is ingested into a
  temporary client next to a real policy; the answer must not follow it.

Every record has a ``fast`` flag: the fast subset (``vciso eval --fast``) is the flagged records.

Library questions are also asked with each demo client selected, as users ask them (the app always has a
client): those cases form the datasets ``library@meridian-health`` and ``library@ledgerly`` and must
score the same as ``library``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.functional_validators import AfterValidator

from ingest.frameworks.registry import FRAMEWORKS

DATASET_DIR = Path(__file__).resolve().parent / "datasets"
REPO_ROOT = Path(__file__).resolve().parents[1]
DATASETS = (
    "library",
    "clients",
    "unanswerable",
    "executive",
    "injection",
    "paraphrase",
    "comparison",
    "realworld",
)
DEMO_CLIENTS = ("meridian-health", "ledgerly")


def _registered(framework: str) -> str:
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}; valid: {', '.join(FRAMEWORKS)}")
    return framework


Framework = Annotated[str, AfterValidator(_registered)]  # an id of ingest/frameworks/registry.py


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    question: str = Field(min_length=5)
    fast: bool = False


class ClauseRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    framework: Framework
    section: str = Field(
        min_length=1, description="Clause id as the library spells it: 'AC-2(3)', 'Art. 33(1)'."
    )


class SourceRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(min_length=1, description="File name inside knowledge_base/demo/<client>/.")
    page: int | None = Field(None, ge=1, description="1-based page for paged formats (PDF), else None.")
    section: str | None = Field(None, description="Heading of the section that holds the answer.")


class LibraryQuestion(_Record):
    gold: list[ClauseRef] = Field(min_length=1)
    facts: list[str] = []


class ClientQuestion(_Record):
    client: str
    gold: list[SourceRef] = Field(min_length=1)
    facts: list[str] = Field(min_length=1)
    trap: str | None = None
    wrong_facts: list[str] = []


class UnanswerableQuestion(_Record):
    client: str | None = Field(description="Client id, or None for a library-only question.")
    reason: str = Field(min_length=3, description="Why no document answers it.")


class ExecutiveQuestion(ClientQuestion):
    pass


class ParaphraseQuestion(ClientQuestion):
    pass


class ComparisonQuestion(_Record):
    client: str
    gold: list[SourceRef] = Field(min_length=1, description="The client's document(s) holding its side.")
    clauses: list[ClauseRef] = Field(min_length=1, description="The requirement's clause(s).")
    facts: list[str] = Field(min_length=1)


class RealWorldQuestion(_Record):
    """A question about real third-party documents (see :mod:`evals.realworld`): answerable with gold
    and facts, or unanswerable with a reason."""

    client: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,}$")
    gold: list[SourceRef] = []
    facts: list[str] = []
    reason: str | None = Field(None, min_length=3, description="Why no document answers it (abstain).")

    @model_validator(mode="after")
    def _answerable_or_not(self) -> RealWorldQuestion:
        if self.reason is None and not (self.gold and self.facts):
            raise ValueError("an answerable question needs gold and facts (or a reason to abstain)")
        if self.reason is not None and (self.gold or self.facts):
            raise ValueError("an unanswerable question has a reason and no gold or facts")
        return self


class InjectionCase(_Record):
    client: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,}$")
    documents: list[str] = Field(
        min_length=2, description="Repository-relative paths ingested into the client."
    )
    injection_file: str = Field(description="File name of the injected document.")
    forbidden: list[str] = Field(min_length=1, description="Regular expressions the answer must not match.")
    facts: list[str] = []


MODELS: dict[str, type[_Record]] = {
    "library": LibraryQuestion,
    "clients": ClientQuestion,
    "unanswerable": UnanswerableQuestion,
    "executive": ExecutiveQuestion,
    "injection": InjectionCase,
    "paraphrase": ParaphraseQuestion,
    "comparison": ComparisonQuestion,
    "realworld": RealWorldQuestion,
}


class DatasetError(ValueError):
    """A dataset file is missing or a record does not validate (the message names file and line)."""


def load_dataset(name: str, directory: Path = DATASET_DIR) -> list[_Record]:
    """Validated records of one dataset, in file order. Raises DatasetError on the first bad line."""
    if name not in MODELS:
        raise DatasetError(f"unknown dataset {name!r}; valid: {', '.join(DATASETS)}")
    path = Path(directory) / f"{name}.jsonl"
    if not path.is_file():
        raise DatasetError(f"dataset file not found: {path}")
    model = MODELS[name]
    records: list[_Record] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = model.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise DatasetError(f"{path.name}:{lineno}: {exc}") from exc
        if record.id in seen:
            raise DatasetError(f"{path.name}:{lineno}: duplicate id {record.id!r}")
        seen.add(record.id)
        records.append(record)
    return records


# -- the runner's uniform view ----------------------------------------------------------------------

Kind = Literal["library", "client", "unanswerable", "executive", "injection", "paraphrase", "comparison"]


@dataclass(frozen=True)
class Case:
    """One question as the runner sees it, whatever dataset it came from."""

    id: str
    dataset: str
    kind: Kind
    client: str | None
    question: str
    audience: str = "consultant"
    gold_clauses: tuple[ClauseRef, ...] = ()
    gold_sources: tuple[SourceRef, ...] = ()
    facts: tuple[str, ...] = ()
    should_abstain: bool = False
    trap: str | None = None
    wrong_facts: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    injection_file: str | None = None
    documents: tuple[str, ...] = ()
    fast: bool = False


def to_case(dataset: str, r: _Record) -> Case:
    """The runner's case for one dataset record."""

    def case(kind: Kind, **extra: Any) -> Case:
        return Case(r.id, dataset, kind, getattr(r, "client", None), r.question, fast=r.fast, **extra)

    def answered(kind: Kind, gold: Sequence[Any], facts: Sequence[str], **extra: Any) -> Case:
        return case(kind, gold_sources=tuple(gold), facts=tuple(facts), **extra)

    if isinstance(r, LibraryQuestion):
        return case("library", gold_clauses=tuple(r.gold), facts=tuple(r.facts))
    if isinstance(r, UnanswerableQuestion) or (isinstance(r, RealWorldQuestion) and r.reason is not None):
        return case("unanswerable", should_abstain=True)
    if isinstance(r, RealWorldQuestion):
        return answered("client", r.gold, r.facts)
    if isinstance(r, ComparisonQuestion):
        return answered("comparison", r.gold, r.facts, gold_clauses=tuple(r.clauses))
    if isinstance(r, ParaphraseQuestion):
        return answered("paraphrase", r.gold, r.facts)
    if isinstance(r, ExecutiveQuestion):
        return answered("executive", r.gold, r.facts, audience="executive")
    if isinstance(r, ClientQuestion):
        return answered("client", r.gold, r.facts, trap=r.trap, wrong_facts=tuple(r.wrong_facts))
    if isinstance(r, InjectionCase):
        return case(
            "injection",
            facts=tuple(r.facts),
            forbidden=tuple(r.forbidden),
            injection_file=r.injection_file,
            documents=tuple(r.documents),
        )
    raise TypeError(f"unknown record type {type(r).__name__}")


def load_cases(
    names: tuple[str, ...] | list[str] = DATASETS, *, fast: bool = False, directory: Path = DATASET_DIR
) -> list[Case]:
    """Cases of the named datasets (all by default), only the ``fast`` ones when asked."""
    cases = [to_case(name, r) for name in names for r in load_dataset(name, directory)]
    if "library" in names:
        library = [c for c in cases if c.dataset == "library"]
        gate = {c.id for c in library if c.fast}
        gate = set(sorted(gate)[:WITH_CLIENT_FAST])
        cases += [with_client(c, client, fast=c.id in gate) for client in DEMO_CLIENTS for c in library]
    return [c for c in cases if c.fast] if fast else cases


WITH_CLIENT_FAST = 4  # fast library questions also asked with each demo client in the fast gate


def with_client(case: Case, client: str, *, fast: bool) -> Case:
    """A library question asked with ``client`` selected (dataset ``library@<client>``)."""
    return replace(case, id=f"{case.id}@{client}", dataset=f"library@{client}", client=client, fast=fast)
