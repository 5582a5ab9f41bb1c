"""The one settings object. Read once at an entry point (CLI, app, evals) and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class StoreSettings(BaseModel):
    backend: Literal["embedded", "server"] = Field(
        "embedded",
        description="'embedded': Chroma persisted under the data dir; 'server': a `chroma run` server.",
    )
    host: str = Field("127.0.0.1", description="Chroma server host (backend=server).")
    port: int = Field(8000, description="Chroma server port (backend=server).")
    lock_timeout_s: float = Field(
        300.0,
        description="Seconds a second writer (ingest, forget, library build) waits for a client's write "
        "lock before it fails.",
    )


class LLMSettings(BaseModel):
    engine: Literal["extractive", "ollama", "openai", "gguf", "fake"] = Field(
        "extractive",
        description="Answer engine: 'extractive' (no LLM, the default), 'ollama', 'openai' (any "
        "OpenAI-compatible server), 'gguf' (a local GGUF model in-process) or 'fake' (tests).",
    )
    model: str = Field(
        "",
        description="Model name for ollama/openai; path of a .gguf file for gguf (empty: the bundled "
        "SmolLM2).",
    )
    base_url: str = Field(
        "", description="Endpoint, e.g. http://127.0.0.1:11434 (ollama) or http://127.0.0.1:8080/v1 (openai)."
    )
    api_key: SecretStr = Field(
        SecretStr(""), description="API key for OpenAI-compatible endpoints. Never logged."
    )
    temperature: float = Field(0.0, description="Sampling temperature.")
    max_tokens: int = Field(512, description="Longest answer the LLM may write, in tokens.")
    timeout_s: float = Field(120.0, description="Seconds to wait for the LLM.")


class RetrievalSettings(BaseModel):
    k: int = Field(8, description="Chunks handed to the answer engine.")
    candidates: int = Field(40, description="Candidates taken from each ranking before fusion.")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")
    context_chars: int = Field(6000, description="Budget of retrieved text passed to an answer engine.")


class ApiSettings(BaseModel):
    host: str = Field(
        "127.0.0.1", description="Address `vciso api` listens on (loopback unless you put a proxy in front)."
    )
    port: int = Field(8710, description="Port `vciso api` listens on.")
    rate_limit: str = Field(
        "120/minute", description="Requests allowed per API token, e.g. '120/minute' or '10/second;500/hour'."
    )
    max_upload_mb: float = Field(
        50.0,
        description="Largest request body of an upload (all files together), in MB; "
        "each file is also held to max_file_mb. Jobs run on the "
        "workers of `jobs`.",
    )


class JobSettings(BaseModel):
    embedded_workers: int = Field(
        1,
        description="Threads in each app process that run queued jobs (uploads); 0 when separate `vciso "
        "worker` processes run them (scale-out).",
    )
    lease_s: float = Field(
        30.0,
        description="Seconds without a heartbeat after which a running job's worker counts as dead; the job "
        "is then resumed by another worker, or marked failed after max_attempts.",
    )
    max_attempts: int = Field(
        3, description="Runs a job gets; a resume after a dead worker is a new attempt."
    )
    poll_s: float = Field(1.0, description="Seconds an idle worker waits between looks for queued jobs.")


class ParsingSettings(BaseModel):
    """What one file may cost to parse (ingest/limits.py, ingest/sandbox.py); each failure fails that file
    alone."""

    isolate: bool = Field(
        True,
        description="Parse in a reused worker process with the memory and time limits below "
        "(False: in-process, byte and size checks only).",
    )
    max_uncompressed_mb: float = Field(
        200.0, description="Largest unpacked size of a DOCX/XLSX/PPTX (zip bombs), in MB."
    )
    max_compression_ratio: float = Field(
        100.0, description="Highest unpacked-to-packed ratio of a DOCX/XLSX/PPTX over 10 MB."
    )
    max_zip_members: int = Field(10_000, description="Most parts inside one DOCX/XLSX/PPTX.")
    max_pages: int = Field(
        5_000, description="Most pages of a PDF (from its page tree, before parsing) or slides of a deck."
    )
    max_cells: int = Field(2_000_000, description="Most cells a workbook may declare, over all sheets.")
    max_chars: int = Field(20_000_000, description="Most characters of text one parsed file may hold.")
    timeout_s: float = Field(
        120.0, description="Wall time one file may take to parse, in seconds (isolate only)."
    )
    memory_mb: int = Field(2048, description="Address space of the parser worker, in MB (isolate only).")

    def limits(self):
        from ingest.limits import ParseLimits

        return ParseLimits(**self.model_dump(exclude={"isolate"}))


class AuthSettings(BaseModel):
    """Sign-in throttling and session lifetimes (advisor/access/signin.py); throttling is kept in the state
    database."""

    max_failures: int = Field(
        5,
        ge=1,
        description="Failed sign-ins of one account, or from one source, within "
        "failure_window_min before that account or source is locked.",
    )
    failure_window_min: float = Field(
        15.0, gt=0, description="Minutes over which failed sign-ins are counted."
    )
    lockout_min: float = Field(
        5.0, gt=0, description="First lockout, in minutes; each further lockout doubles it."
    )
    max_lockout_min: float = Field(24 * 60.0, gt=0, description="Longest lockout, in minutes.")
    session_idle_min: float = Field(
        30.0, gt=0, description="Minutes without activity after which the app signs the user out."
    )
    session_max_hours: float = Field(
        12.0, gt=0, description="Hours after sign-in at which the app signs the user out, active or not."
    )


class Settings(BaseSettings):
    """All of vciso's configuration; environment variables use the prefix VCISO_ and `__` for nesting."""

    model_config = SettingsConfigDict(env_prefix="VCISO_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(
        Path(".vciso-data"),
        description="Where all state lives: vector store, manifests, audit log, users, drafts.",
    )
    knowledge_base: Path = Field(
        REPO_ROOT / "knowledge_base",
        description="Folder of the project's own data: templates, demo clients, prebuilt library vectors.",
    )
    corpus_dir: Path | None = Field(
        None,
        description="Folder of the regulatory texts the library is built from, laid out like "
        "../shared/corpus "
        "(one folder per framework); empty: $VCISO_DATA_DIR/corpus, where `vciso kb fetch` downloads them.",
    )
    corpus_mirror: str = Field(
        "",
        description="Base URL that serves the corpus laid out like the corpus folder "
        "(<mirror>/<folder>/<file>); "
        "when set, `vciso kb fetch` downloads every file from it instead of each publisher.",
    )
    embedding: Literal["minilm", "fake"] = Field(
        "minilm", description="'minilm' (all-MiniLM-L6-v2, offline) or 'fake' (tests only)."
    )
    max_file_mb: float = Field(25.0, description="Largest file accepted by ingest, in MB.")
    chunk_chars: int = Field(
        1000, description="Longest chunk of client text, in characters (the model reads ~256 tokens)."
    )
    store: StoreSettings = Field(default_factory=StoreSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    database_url: str = Field(
        "",
        description="SQLAlchemy URL of the state database (audit log, users, drafts, jobs): empty for "
        "SQLite at "
        "$VCISO_DATA_DIR/vciso.db (embedded); postgresql+psycopg://user:password@host:5432/vciso for "
        "scale-out.",
    )
    jobs: JobSettings = Field(default_factory=JobSettings)
    parsing: ParsingSettings = Field(default_factory=ParsingSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    cli_reviewers: dict[str, str] = Field(
        default_factory=dict,
        description="OS user -> vciso user name who may approve or reject drafts from this "
        'host\'s terminal without typing the password (e.g. {"alice": "alice@acme.example"}); everyone else '
        "gives the reviewer's password.",
    )
    risk_scale: int = Field(
        5,
        ge=3,
        le=10,
        description="Points of the risk register's likelihood and impact "
        "scales (5: a 5 x 5 grid, scores 1-25).",
    )
    log_level: str = Field("WARNING", description="Application log level.")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def corpus(self) -> Path:
        """The corpus folder in use: ``corpus_dir``, or ``data_dir/corpus`` when it is not set."""
        corpus_dir = self.corpus_dir
        if corpus_dir is None or str(corpus_dir) in ("", "."):  # VCISO_CORPUS_DIR="" is unset
            return self.data_dir / "corpus"
        return Path(corpus_dir)

    @property
    def database(self) -> str:
        """The state database's URL: ``database_url``, or SQLite in the data dir when it is not set."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'vciso.db').resolve()}"

    def path(self, *parts: str) -> Path:
        p = self.data_dir.joinpath(*parts)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p
