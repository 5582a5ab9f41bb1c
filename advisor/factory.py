"""The one place that wires real backends together. The app, the CLI and the evals all call it."""

from __future__ import annotations

import logging

from langchain_core.embeddings import Embeddings

from advisor.access.audit import AuditLog
from advisor.data_dir import secure_data_dir
from advisor.db import open_database
from advisor.errors import BackendUnavailable
from advisor.retrieval.embeddings import build_embeddings
from advisor.service import Advisor, Engine
from advisor.settings import Settings
from advisor.store.chroma import ChunkStore
from advisor.store.connection import embedded_connection

log = logging.getLogger(__name__)


def build_store(settings: Settings, embeddings: Embeddings | None = None) -> ChunkStore:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    embeddings = embeddings or build_embeddings(settings.embedding)
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.store.backend == "server":
        try:
            client = chromadb.HttpClient(
                host=settings.store.host, port=settings.store.port, settings=chroma_settings
            )
            client.heartbeat()
        except Exception as exc:
            raise BackendUnavailable(
                f"cannot reach the Chroma server at {settings.store.host}:{settings.store.port} "
                f"(start one with `chroma run --path DIR --port {settings.store.port}`): {exc}"
            ) from exc
        return ChunkStore(
            client, embeddings, describe=f"chroma server {settings.store.host}:{settings.store.port}"
        )
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    connection = embedded_connection(
        str(path.resolve()), lambda: chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    )
    return ChunkStore(connection, embeddings, describe=f"chroma embedded at {path}")


def build_engine(settings: Settings, chat_model=None) -> Engine:
    """The answer engine named in settings; ``chat_model`` lets tests pass a fake LangChain chat model."""
    name = settings.llm.engine
    if name == "extractive" and chat_model is None:
        return Engine("extractive")
    from advisor.answering.llm_engine import LLMEngine

    if chat_model is not None:
        return Engine(name=f"llm:{name}", llm=LLMEngine(chat_model, name))
    if name == "fake":
        raise BackendUnavailable("the 'fake' engine exists for tests: pass a chat model to build_advisor")
    from advisor.answering.llms import build_chat_model

    label = f"{name}:{settings.llm.model}" if settings.llm.model else name
    return Engine(name=label, llm=LLMEngine(build_chat_model(settings.llm), label))


def build_advisor(settings: Settings, *, embeddings: Embeddings | None = None, chat_model=None) -> Advisor:
    secure_data_dir(settings.data_dir)  # 0700, files 0600: hashes, audit log, uploads, chunks
    logging.getLogger("chromadb").setLevel(logging.ERROR)
    store = build_store(settings, embeddings)
    engine = build_engine(settings, chat_model)
    return Advisor(settings, store, engine, AuditLog(open_database(settings)))
