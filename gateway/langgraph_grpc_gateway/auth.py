"""Who may call the gateway: one of a set of API keys (x-api-key) or bearer tokens
(authorization: Bearer ...). Checked by a guard (see calls.py) before anything reaches the upstream.

The credential a caller used for the gateway is for the gateway alone: the header that carries it
is dropped from what is forwarded upstream (see forwarded_without_credentials), and the gateway
can hold the upstream's own key (Settings.upstream_api_key). No key or token is ever logged: the
refusal message names the header, never its value.

    credentials = Credentials(api_keys=frozenset({"k1"}), bearer_tokens=frozenset())
    credentials.admits([("x-api-key", "k1")])  # True
"""

from __future__ import annotations

import contextlib
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import grpc

from .calls import Call
from .errors import GatewayError

API_KEY = "x-api-key"
AUTHORIZATION = "authorization"


@dataclass(frozen=True)
class Credentials:
    api_keys: frozenset[str] = field(default=frozenset(), repr=False)
    bearer_tokens: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def required(self) -> bool:
        return bool(self.api_keys or self.bearer_tokens)

    @property
    def headers(self) -> frozenset[str]:
        """The metadata keys that carry a credential for the gateway."""
        return frozenset(
            name for name, used in ((API_KEY, self.api_keys), (AUTHORIZATION, self.bearer_tokens)) if used
        )

    def admits(self, metadata: Iterable[tuple[str, str | bytes]]) -> bool:
        """True when the metadata holds one of the keys or tokens (compared in constant time)."""
        for key, value in metadata:
            if not isinstance(value, str):
                continue
            name = key.lower()
            if name == API_KEY and _known(value, self.api_keys):
                return True
            if name == AUTHORIZATION and _known(_bearer(value), self.bearer_tokens):
                return True
        return False

    def guard(self, call: Call) -> contextlib.AbstractContextManager[None]:
        """The calls.Guard: refuses with UNAUTHENTICATED unless the call presents a credential."""
        return _check(self, call)


@contextlib.contextmanager
def _check(credentials: Credentials, call: Call) -> Iterator[None]:
    if not credentials.admits(call.metadata):
        raise GatewayError(
            grpc.StatusCode.UNAUTHENTICATED,
            f"the gateway needs {' or '.join(_wanted(credentials))}",
            reason="GATEWAY_UNAUTHENTICATED",
        )
    yield


def _wanted(credentials: Credentials) -> list[str]:
    wanted = ["an API key in x-api-key"] if credentials.api_keys else []
    return wanted + (["a bearer token in authorization"] if credentials.bearer_tokens else [])


def _bearer(value: str) -> str:
    scheme, _, token = value.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _known(presented: str, secrets: frozenset[str]) -> bool:
    # Compare with every secret, never stopping early, so timing tells nothing about which matched.
    found = False
    for secret in secrets:
        found |= hmac.compare_digest(presented.encode(), secret.encode())
    return found and bool(presented)


def forwarded_without_credentials(forwarded: frozenset[str], credentials: Credentials) -> frozenset[str]:
    """The metadata keys to forward upstream, less those that carried the caller's gateway credential."""
    return forwarded - credentials.headers


def parse_file(text: str) -> Credentials:
    """Credentials from a file: one per line, `api-key SECRET` or `bearer SECRET`; lines starting
    with # are comments (a secret may hold #).

    Raises ValueError naming the line (never its secret) when a line is neither.
    """
    keys: set[str] = set()
    tokens: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        kind, _, secret = line.strip().partition(" ")
        if not kind or kind.startswith("#"):
            continue
        target = {"api-key": keys, "bearer": tokens}.get(kind.lower())
        if target is None or not secret.strip():
            raise ValueError(f"line {number}: expected `api-key SECRET` or `bearer SECRET`")
        target.add(secret.strip())
    return Credentials(frozenset(keys), frozenset(tokens))
