"""An answer engine that asks a LangChain chat model, with the prompts of ``advisor.answering.prompts``.

Provider failures (connection refused, timeouts, HTTP errors from the endpoint) become
``BackendUnavailable`` naming the engine and its endpoint; secrets are scrubbed from every message.
The draft this engine returns is verified by the caller like any other engine's output.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Iterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from pydantic import SecretStr

from advisor.answering.llms import (
    LOCAL_API_KEY,
    OLLAMA_DEFAULT_URL,
    OPENAI_DEFAULT_URL,
    build_chat_model,
    safe_url,
)
from advisor.answering.prompts import build_messages
from advisor.errors import BackendUnavailable
from advisor.models import Passage
from advisor.settings import LLMSettings

__all__ = ["LLMEngine"]

log = logging.getLogger(__name__)

_KEY_LIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{4,}|Bearer\s+\S+)")
_MAX_DETAIL = 200


def _provider_errors() -> tuple[type[BaseException], ...]:
    """Exception classes that mean "the backend failed", from the provider packages already imported."""
    errors: list[type[BaseException]] = [OSError]  # ConnectionError, TimeoutError, socket errors
    for module, names in (
        ("httpx", ("HTTPError", "TimeoutException")),
        ("openai", ("APIError",)),
        ("ollama", ("ResponseError", "RequestError")),
    ):
        loaded = sys.modules.get(module)
        for name in names:
            cls = getattr(loaded, name, None) if loaded is not None else None
            if isinstance(cls, type) and issubclass(cls, BaseException):
                errors.append(cls)
    return tuple(errors)


def _endpoint_of(chat_model: BaseChatModel) -> str:
    for attr in ("openai_api_base", "base_url"):
        value = getattr(chat_model, attr, None)
        if isinstance(value, str) and value:
            return safe_url(value)
    kind = type(chat_model).__name__
    if kind == "ChatOpenAI":
        return OPENAI_DEFAULT_URL
    if kind == "ChatOllama":
        return OLLAMA_DEFAULT_URL
    return kind


def _secrets_of(chat_model: BaseChatModel) -> list[str]:
    found = []
    for value in vars(chat_model).values():
        if isinstance(value, SecretStr):
            secret = value.get_secret_value()
            if secret and secret != LOCAL_API_KEY:
                found.append(secret)
    return found


class LLMEngine:
    """Writes a cited draft answer with a chat model. ``name`` labels it in answers and messages."""

    def __init__(self, chat_model: BaseChatModel, name: str, endpoint: str | None = None) -> None:
        self.chat_model = chat_model
        self.name = name
        self.endpoint = endpoint or _endpoint_of(chat_model)
        self._secrets = _secrets_of(chat_model)

    @classmethod
    def from_settings(cls, settings: LLMSettings, name: str | None = None) -> LLMEngine:
        label = name or (f"{settings.engine}:{settings.model}" if settings.model else settings.engine)
        return cls(build_chat_model(settings), label)

    def __repr__(self) -> str:
        return f"LLMEngine(name={self.name!r}, endpoint={self.endpoint!r})"

    def messages(
        self,
        question: str,
        passages: Sequence[Passage],
        audience: str = "consultant",
        history: Sequence[tuple[str, str]] = (),
    ) -> list[BaseMessage]:
        messages = build_messages(question, passages, audience, history)
        log.debug(
            "%s: %d messages, %d prompt characters, %d sources",
            self.name,
            len(messages),
            sum(len(str(m.content)) for m in messages),
            len(passages),
        )
        return messages

    def generate(
        self,
        question: str,
        passages: Sequence[Passage],
        audience: str = "consultant",
        history: Sequence[tuple[str, str]] = (),
    ) -> str:
        """The whole draft answer."""
        messages = self.messages(question, passages, audience, history)
        t0 = time.perf_counter()
        try:
            reply = self.chat_model.invoke(messages)
        except _provider_errors() as exc:
            raise self._unavailable(exc) from exc
        text = reply.text
        log.info("%s wrote %d characters in %.0f ms", self.name, len(text), (time.perf_counter() - t0) * 1000)
        return text

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        audience: str = "consultant",
        history: Sequence[tuple[str, str]] = (),
    ) -> Iterator[str]:
        """The draft answer in pieces as the model writes them."""
        messages = self.messages(question, passages, audience, history)
        t0 = time.perf_counter()
        chars = 0
        try:
            for chunk in self.chat_model.stream(messages):
                piece = chunk.text
                if piece:
                    chars += len(piece)
                    yield piece
        except _provider_errors() as exc:
            raise self._unavailable(exc) from exc
        log.info("%s streamed %d characters in %.0f ms", self.name, chars, (time.perf_counter() - t0) * 1000)

    # ------------------------------------------------------------------ errors

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        text = _KEY_LIKE.sub("***", text)
        text = " ".join(text.split())
        return text if len(text) <= _MAX_DETAIL else text[:_MAX_DETAIL] + "..."

    def _unavailable(self, exc: BaseException) -> BackendUnavailable:
        kind = type(exc).__name__
        status = getattr(exc, "status_code", None)
        if "Timeout" in kind or isinstance(exc, TimeoutError):
            reason = "the request timed out; the model may be too slow for the configured timeout"
        elif "Connect" in kind or isinstance(exc, ConnectionError):
            reason = "cannot connect; is the server running?"
        elif status in (401, 403):
            reason = f"the endpoint rejected the credentials (HTTP {status}); check the API key"
        elif status == 404:
            reason = f"not found (HTTP 404): {self._scrub(str(exc))}"
        elif status is not None:
            reason = f"HTTP {status}: {self._scrub(str(exc))}"
        else:
            reason = f"{kind}: {self._scrub(str(exc))}"
        log.warning("LLM engine %s at %s failed: %s", self.name, self.endpoint, kind)
        return BackendUnavailable(f"the LLM engine {self.name!r} at {self.endpoint} failed: {reason}")
