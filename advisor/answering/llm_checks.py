"""Probing the configured LLM engine: the UI's "test connection" button and ``vciso doctor``.

``check_connection(settings)`` returns (ok, a message for a person); the messages never contain the API
key. Each engine's probe is cheap: Ollama's model list, an OpenAI-compatible ``/models``, or the local GGUF
server's ``/health`` (starting it, as the engine would).
"""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from advisor.answering.llms import (
    LLM_FACTORIES,
    LLM_HINT,
    OLLAMA_DEFAULT_URL,
    OPENAI_DEFAULT_URL,
    local_server,
    require_package,
    resolve_gguf_path,
    safe_url,
)
from advisor.errors import ConfigError
from advisor.settings import LLMSettings

log = logging.getLogger(__name__)

CHECK_TIMEOUT_S = 5.0


def _get_json(url: str, timeout: float, api_key: str = "") -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) URLs from settings
        return json.loads(response.read(2_000_000).decode("utf-8", "replace"))


def _failure(endpoint: str, exc: BaseException, timeout: float) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code in (401, 403):
            return f"{endpoint} rejected the credentials (HTTP {exc.code}); check the API key"
        return f"{endpoint} answered HTTP {exc.code}; is this the right base URL?"
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve the host name of {endpoint}"
    if isinstance(exc, TimeoutError):
        return f"{endpoint} did not answer within {timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return f"nothing is listening at {endpoint} (connection refused); is the server running?"
    if isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
        return f"{endpoint} did not answer with JSON; is this the right base URL?"
    return f"cannot reach {endpoint}: {type(exc).__name__}"


def _names(models: list[str], limit: int = 8) -> str:
    return ", ".join(models[:limit]) + (f" and {len(models) - limit} more" if len(models) > limit else "")


def _check_ollama(settings: LLMSettings, timeout: float) -> tuple[bool, str]:
    base = (settings.base_url or OLLAMA_DEFAULT_URL).rstrip("/")
    endpoint = safe_url(base)
    try:
        data = _get_json(f"{base}/api/tags", timeout)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message for the user
        return False, _failure(endpoint, exc, timeout)
    models = [m.get("name", "") for m in data.get("models", [])] if isinstance(data, dict) else []
    if not settings.model:
        return (
            False,
            f"Ollama at {endpoint} is reachable; choose a model ({_names(models) or 'none pulled yet'})",
        )
    wanted = settings.model if ":" in settings.model else f"{settings.model}:latest"
    if settings.model not in models and wanted not in models:
        return False, (
            f"Ollama at {endpoint} is reachable but has no model {settings.model!r}; "
            f"run `ollama pull {settings.model}` (available: {_names(models) or 'none'})"
        )
    return True, f"Ollama at {endpoint} is reachable and serves {settings.model}"


def _check_openai(settings: LLMSettings, timeout: float) -> tuple[bool, str]:
    key = settings.api_key.get_secret_value()
    if not settings.base_url and not key:
        return False, "set a base URL for a local server, or an API key for OpenAI"
    base = (settings.base_url or OPENAI_DEFAULT_URL).rstrip("/")
    endpoint = safe_url(base)
    try:
        data = _get_json(f"{base}/models", timeout, api_key=key)
    except Exception as exc:  # noqa: BLE001
        return False, _failure(endpoint, exc, timeout)
    items = data.get("data", []) if isinstance(data, dict) else []
    models = [str(m.get("id", "")) for m in items if isinstance(m, dict)]
    if settings.model and models and settings.model not in models:
        return False, (
            f"{endpoint} is reachable but does not list the model {settings.model!r} "
            f"(available: {_names(models)})"
        )
    served = settings.model or (_names(models) if models else "its default model")
    return True, f"{endpoint} is reachable and serves {served}"


def _check_gguf(settings: LLMSettings, timeout: float) -> tuple[bool, str]:
    try:
        require_package("langchain_openai", "gguf", LLM_HINT)
        path = resolve_gguf_path(settings.model)
        server = local_server(path)
        data = _get_json(f"{server.base_url}/health", timeout)
    except (ConfigError, OSError, ValueError) as exc:
        return False, str(exc)
    if not isinstance(data, dict) or data.get("status") != "ok":
        return False, f"the local GGUF server for {path.name} is not ready"
    size_mb = path.stat().st_size / 1e6
    return True, (
        f"{path.name} ({size_mb:.0f} MB) loaded in {server.load_s:.2f} s; serving at {server.base_url}"
    )


_CHECKS: dict[str, Callable[[LLMSettings, float], tuple[bool, str]]] = {
    "ollama": _check_ollama,
    "openai": _check_openai,
    "gguf": _check_gguf,
}


def check_connection(settings: LLMSettings) -> tuple[bool, str]:
    """A cheap probe of the configured engine: (ok, a message for a person, without secrets)."""
    if settings.engine == "extractive":
        return True, "the extractive engine needs no LLM"
    check = _CHECKS.get(settings.engine)
    if check is None:
        return False, f"unknown LLM engine {settings.engine!r}; valid: {', '.join(sorted(LLM_FACTORIES))}"
    timeout = min(CHECK_TIMEOUT_S, settings.timeout_s) if settings.timeout_s > 0 else CHECK_TIMEOUT_S
    ok, message = check(settings, timeout)
    key = settings.api_key.get_secret_value()
    if key and key in message:  # defence in depth: no message may carry the key
        message = message.replace(key, "***")
    log.info("connection check for %s: ok=%s", settings.engine, ok)
    return ok, message
