"""The only way this code base calls an LLM: mask on the way out, leak-check, call, unmask on the way back.

    gateway = LLMGateway(client, company="acme", key=company_key, secrets=["Acme Corp", "홍길동"], audit=log)
    answer = gateway.generate("bid-summary", prompt, response_schema=Summary)

Every call masks the prompt and the system instruction with one vault (same value, same token) under the one
policy of `policy.py` (the leak check's residues are masked too; only what cannot be masked safely is refused with
`MaskingRefused`, nothing sent), calls google-genai, restores tokens in the answer
(for structured output in every string of the parsed JSON, before validation against the schema), and
reports an `AuditRecord` that carries counts and timings, never a value. 429, 5xx and transport errors or
timeouts are retried with exponential backoff; anything else raises an `LLMGatewayError` subclass.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from google import genai
from google.genai import errors as genai_errors
from google.genai import types
from pydantic import BaseModel, ValidationError

from bidradar.core.clock import now_kst
from bidradar.masking.masker import Masker, MaskingLeakError
from bidradar.masking.policy import mask_outgoing
from bidradar.masking.tokens import StreamUnmasker, Vault, unmask
from bidradar.masking.turns import Told

DEFAULT_MODEL = "gemini-2.5-flash"
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
_TRANSPORT_ERROR_NAMES = frozenset({"TimeoutException", "TransportError", "ConnectError", "RemoteProtocolError"})

T = TypeVar("T", bound=BaseModel)


class LLMGatewayError(RuntimeError):
    """Base class of the gateway's errors; `attempts` is how many requests were sent before it."""

    attempts: int = 0


class LLMUnavailableError(LLMGatewayError):
    """The model kept answering 429/5xx or timing out after every retry."""


class LLMRequestError(LLMGatewayError):
    """The model refused the request itself (a 4xx other than 429): retrying would not help."""


class LLMBlockedError(LLMGatewayError):
    """The model blocked the prompt or the answer (safety)."""


class LLMResponseError(LLMGatewayError):
    """The answer could not be read: malformed JSON, no text, or not matching the response schema."""


@dataclass(frozen=True)
class AuditRecord:
    """What the gateway reports for each call. Counts and timings only, never a masked value."""

    company: str
    purpose: str
    model: str
    counts: dict[str, int]  # masked values per entity type (prompt + system instruction)
    latency_ms: float
    prompt_tokens: int | None
    output_tokens: int | None
    unknown_tokens: int  # token-shaped strings in the answer that this call never issued
    restored_tokens: int
    attempts: int
    streamed: bool
    outcome: str  # "ok", "leak_refused", "blocked", "unavailable", "request_error", "bad_response", "error"
    called_at: dt.datetime  # when the call started (KST, naive like every warehouse time)
    detail: str | None = None  # why a call was not made or failed: a value class and where, never a value


@dataclass
class GatewayResult:
    text: str  # the answer, unmasked
    parsed: Any = None  # the validated response_schema instance (structured output) or None
    audit: AuditRecord | None = None


@dataclass(frozen=True)
class PromptPart:
    """A piece of a prompt. The company's secret words are masked in private parts only: a part that is public text
    (a notice as G2B publishes it) says so with `private=False` and keeps words that merely equal a secret.
    Everything else (a plain string prompt, the system instruction) is private: the safe default."""

    text: str
    private: bool = True


Prompt = str | Sequence[PromptPart]


@dataclass
class _Call:
    """Masking state of one call."""

    masker: Masker
    contents: str
    system_instruction: str | None
    counts: dict[str, int] = field(default_factory=dict)


class LLMGateway:
    def __init__(
        self,
        client: genai.Client,
        *,
        company: str,
        key: bytes,
        secrets: Sequence[str] = (),
        audit: Callable[[AuditRecord], None] | None = None,
        model: str = DEFAULT_MODEL,
        max_attempts: int = 4,
        backoff_s: float = 1.0,
        max_backoff_s: float = 16.0,
        timeout_ms: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        detectors: Sequence[str] | None = None,
    ) -> None:
        """`detectors` restricts the masker to some detectors (None: all). Only the leak-check test uses it:
        with a detector off, the independent leak check must still refuse what that detector would mask."""
        if not key:
            raise ValueError("a per-company masking key is required")
        self._client = client
        self.company = company
        self._key = key
        self._secrets = tuple(secrets)
        self._audit = audit
        self.model = model
        self.max_attempts = max(1, max_attempts)
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.timeout_ms = timeout_ms
        self._sleep = sleep
        self._detectors = tuple(detectors) if detectors is not None else None

    @classmethod
    def from_api_key(
        cls,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout_ms: int = 60_000,
        company: str,
        key: bytes,
        secrets: Sequence[str] = (),
        audit: Callable[[AuditRecord], None] | None = None,
        **kwargs: Any,
    ) -> LLMGateway:
        """Build the google-genai client too (base_url empty or None means Google's endpoint)."""
        options = types.HttpOptions(base_url=base_url or None, timeout=timeout_ms)
        client = genai.Client(api_key=api_key, http_options=options)
        return cls(client, company=company, key=key, secrets=secrets, audit=audit, timeout_ms=timeout_ms, **kwargs)

    # -- public ----------------------------------------------------------------------------------------------

    def generate(
        self,
        purpose: str,
        prompt: Prompt,
        *,
        system_instruction: str | None = None,
        response_schema: type[T] | None = None,
        model: str | None = None,
    ) -> GatewayResult:
        model = model or self.model
        started = time.perf_counter()
        try:
            call = self._mask(prompt, system_instruction)
        except MaskingLeakError as exc:
            self._report(
                purpose,
                model,
                _Call(Masker(self._key), "", None),
                started,
                None,
                0,
                0,
                0,
                False,
                "leak_refused",
                str(exc),
            )
            raise
        attempts, response = 0, None
        try:
            config = self._config(call, response_schema)
            response, attempts = self._with_retries(
                lambda: self._client.models.generate_content(model=model, contents=call.contents, config=config)
            )
            _raise_if_blocked(response)
            if response.text is None:
                raise LLMResponseError("the model returned no text")
            restored = unmask(response.text, call.masker.vault)
            text, parsed = restored.text, None
            if response_schema is not None:
                data, parsed = _parse_structured(response.text, call.masker.vault, response_schema)
                text = json.dumps(data, ensure_ascii=False)  # re-serialised: a value may hold quotes
        except LLMGatewayError as exc:
            # A blocked or unreadable answer was still billed: its usage counts against the daily budget.
            usage = getattr(response, "usage_metadata", None)
            self._report(purpose, model, call, started, usage, 0, 0, exc.attempts or attempts, False, _outcome(exc))
            raise
        except Exception as exc:  # anything else: reported (no value in it), then raised to the caller
            self._report(purpose, model, call, started, None, 0, 0, attempts, False, "error", type(exc).__name__)
            raise
        record = self._report(
            purpose,
            model,
            call,
            started,
            response.usage_metadata,
            restored.unknown,
            restored.restored,
            attempts,
            False,
            "ok",
        )
        return GatewayResult(text, parsed, record)

    def generate_stream(
        self,
        purpose: str,
        prompt: Prompt,
        *,
        system_instruction: str | None = None,
        model: str | None = None,
    ) -> Iterator[str]:
        """Yield the unmasked answer piece by piece; tokens split across chunks are held until complete.

        Retries happen only before the first piece is yielded (afterwards the caller has seen text).
        """
        model = model or self.model
        started = time.perf_counter()
        try:
            call = self._mask(prompt, system_instruction)
        except MaskingLeakError as exc:
            self._report(
                purpose,
                model,
                _Call(Masker(self._key), "", None),
                started,
                None,
                0,
                0,
                0,
                True,
                "leak_refused",
                str(exc),
            )
            raise
        config = self._config(call, None)
        unmasker = StreamUnmasker(call.masker.vault)
        usage = None
        attempts = 0
        outcome = "ok"
        try:
            chunks, attempts = self._with_retries(lambda: self._open_stream(model, call.contents, config))
            for chunk in chunks:
                _raise_if_blocked(chunk)
                usage = chunk.usage_metadata or usage
                out = unmasker.feed(chunk.text or "")
                if out:
                    yield out
            rest = unmasker.flush()
            if rest:
                yield rest
        except LLMGatewayError as exc:
            outcome, attempts = _outcome(exc), exc.attempts or attempts
            raise
        except Exception as exc:  # a transport error in the middle of the stream
            outcome = "unavailable"
            raise LLMUnavailableError(f"the answer stream broke off: {type(exc).__name__}") from exc
        finally:
            self._report(
                purpose, model, call, started, usage, unmasker.unknown, unmasker.restored, attempts, True, outcome
            )

    # -- steps -----------------------------------------------------------------------------------------------

    def _mask(self, prompt: Prompt, system_instruction: str | None) -> _Call:
        """Mask under the policy: profile secrets only in the profile's parts; residues masked; one vault."""
        vault = Vault()
        told = Told()  # the parts in the order they are sent: a value split across two parts is read across them
        private = Masker(self._key, self._secrets, vault, self._detectors, told)
        public = Masker(self._key, (), vault, self._detectors, told)
        parts = [PromptPart(prompt, private=True)] if isinstance(prompt, str) else list(prompt)
        counts: Counter[str] = Counter()
        texts = []
        for i, part in enumerate(parts):
            where = "the prompt" if len(parts) == 1 else f"part {i + 1} of the prompt"
            out = mask_outgoing(private if part.private else public, part.text, where)
            texts.append(out.text)
            counts.update(out.counts)
        masked_system = None
        if system_instruction is not None:
            out = mask_outgoing(private, system_instruction, "the system instruction")
            masked_system = out.text
            counts.update(out.counts)
        return _Call(private, "".join(texts), masked_system, dict(counts))

    def _config(self, call: _Call, response_schema: type[BaseModel] | None) -> types.GenerateContentConfig:
        config = types.GenerateContentConfig(system_instruction=call.system_instruction)
        if response_schema is not None:
            config.response_mime_type = "application/json"
            config.response_schema = response_schema
        if self.timeout_ms is not None:
            config.http_options = types.HttpOptions(timeout=self.timeout_ms)
        return config

    def _open_stream(self, model: str, contents: str, config: types.GenerateContentConfig) -> Iterator[Any]:
        """Start the stream and read its first chunk, so that errors of the request itself are retried."""
        stream = self._client.models.generate_content_stream(model=model, contents=contents, config=config)
        iterator = iter(stream)
        try:
            first = next(iterator)
        except StopIteration:
            return iter(())
        return _prepend(first, iterator)

    def _with_retries(self, call: Callable[[], Any]) -> tuple[Any, int]:
        for attempt in range(1, self.max_attempts + 1):
            try:
                return call(), attempt
            except genai_errors.APIError as exc:
                code = int(exc.code or 0)
                if code not in RETRYABLE_STATUS:
                    raise _sent(
                        attempt, LLMRequestError(f"the model refused the request: HTTP {code} {exc.status}")
                    ) from exc
                if attempt == self.max_attempts:
                    raise _sent(
                        attempt,
                        LLMUnavailableError(f"the model answered HTTP {code} {self.max_attempts} times; giving up"),
                    ) from exc
            except ValueError as exc:  # json.JSONDecodeError: the HTTP body was not JSON
                raise _sent(
                    attempt, LLMResponseError(f"the model's response could not be parsed: {type(exc).__name__}")
                ) from exc
            except Exception as exc:
                if not _is_transport_error(exc):
                    raise
                if attempt == self.max_attempts:
                    raise _sent(
                        attempt,
                        LLMUnavailableError(
                            f"the model did not answer ({type(exc).__name__}) {self.max_attempts} times; giving up"
                        ),
                    ) from exc
            self._sleep(self._backoff(attempt))
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        # Full jitter: concurrent callers that failed together do not retry together.
        return random.uniform(0, min(self.max_backoff_s, self.backoff_s * 2 ** (attempt - 1)))

    def _report(
        self,
        purpose: str,
        model: str,
        call: _Call,
        started: float,
        usage: Any,
        unknown: int,
        restored: int,
        attempts: int,
        streamed: bool,
        outcome: str,
        detail: str | None = None,
    ) -> AuditRecord:
        elapsed = time.perf_counter() - started
        record = AuditRecord(
            called_at=(now_kst() - dt.timedelta(seconds=elapsed)).replace(microsecond=0),
            company=self.company,
            purpose=purpose,
            model=model,
            counts=dict(call.counts),
            latency_ms=round(elapsed * 1000, 3),
            prompt_tokens=getattr(usage, "prompt_token_count", None),
            output_tokens=getattr(usage, "candidates_token_count", None),
            unknown_tokens=unknown,
            restored_tokens=restored,
            attempts=attempts,
            streamed=streamed,
            outcome=outcome,
            detail=detail,
        )
        if self._audit is not None:
            self._audit(record)
        return record


# --- helpers (pure) ------------------------------------------------------------------------------------------


def _sent(attempts: int, error: LLMGatewayError) -> LLMGatewayError:
    """The error, stamped with how many requests were sent (the audit row reports it)."""
    error.attempts = attempts
    return error


def _prepend(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _is_transport_error(exc: BaseException) -> bool:
    # google-genai 3.x vendors its own httpx ("httpx2"); match its transport/timeout errors by class name.
    return any(cls.__name__ in _TRANSPORT_ERROR_NAMES for cls in type(exc).__mro__)


def _raise_if_blocked(response: Any) -> None:
    feedback = getattr(response, "prompt_feedback", None)
    if feedback is not None and feedback.block_reason:
        raise LLMBlockedError(f"the model blocked the prompt: {_enum_name(feedback.block_reason)}")
    for candidate in getattr(response, "candidates", None) or []:
        reason = _enum_name(candidate.finish_reason) if candidate.finish_reason else ""
        if reason in {"SAFETY", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "RECITATION"}:
            raise LLMBlockedError(f"the model blocked its answer: {reason}")


def _enum_name(value: Any) -> str:
    return str(getattr(value, "value", value))


def _unmask_json(value: Any, vault: Vault) -> Any:
    """Restore tokens in every string (keys included) of a parsed JSON value."""
    if isinstance(value, str):
        return unmask(value, vault).text
    if isinstance(value, list):
        return [_unmask_json(v, vault) for v in value]
    if isinstance(value, dict):
        return {_unmask_json(k, vault): _unmask_json(v, vault) for k, v in value.items()}
    return value


def _parse_structured(masked_json: str, vault: Vault, schema: type[T]) -> tuple[Any, T]:
    """Parse the MASKED JSON first, then unmask its strings: a restored value may contain quotes."""
    try:
        data = _unmask_json(json.loads(masked_json), vault)
    except json.JSONDecodeError as exc:
        raise LLMResponseError(f"the structured answer is not valid JSON: {exc.msg} at {exc.pos}") from None
    try:
        return data, schema.model_validate(data)
    except ValidationError as exc:
        raise LLMResponseError(
            f"the structured answer does not match {schema.__name__}: {exc.error_count()} errors"
        ) from None


def _outcome(exc: LLMGatewayError) -> str:
    return {
        LLMBlockedError: "blocked",
        LLMUnavailableError: "unavailable",
        LLMRequestError: "request_error",
        LLMResponseError: "bad_response",
    }.get(type(exc), "error")
