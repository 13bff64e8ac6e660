"""ACLED's API (since September 2025): sign in, read events page by page, read deletions.

Access is an OAuth password grant at ``POST {base}/oauth/token`` (``client_id=acled``): an access
token for 24 hours and a refresh token for 14 days, cached per API base and account in the
user's cache folder (mode 0600), refreshed when the access token has expired, and replaced by a
new sign-in when the refresh fails.  Events come from ``GET {base}/api/acled/read?_format=json``
with a Bearer token, ``limit`` rows a page, until a page is short; deleted event ids from
``GET {base}/api/deleted/read``.  429 and 5xx answers and network failures are retried with
back-off (``Retry-After`` honoured) within a bounded total wait.

The password is read from ``ACLED_PASSWORD`` (or the netrc entry for the API's host) only to
sign in, and never appears in a message: a token endpoint's refusal is reported by status alone.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import netrc
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from .. import atomic, files

DEFAULT_BASE = "https://acleddata.com"
CLIENT_ID = "acled"
PAGE_SIZE = 5000  # ACLED's default page size (and the rows of a page that is not the last); tests page by fewer
TIMEOUT = 120.0  # seconds for one request: a page of 5,000 events is several megabytes
MAX_ATTEMPTS = 5  # of one request, when it meets 429, 5xx or a network failure
MAX_WAIT = 180.0  # seconds of waiting between attempts, in all, for one request
MAX_BODY = 256 * 2**20  # a page of 5,000 rows is ~10 MB; more is not an answer from ACLED
ACCESS_MARGIN = 300.0  # an access token this close to expiry is treated as expired
REFRESH_LIFETIME = 14 * 86400.0  # ACLED's refresh tokens last 14 days (not said in the answer)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class FetchError(Exception):
    """A fetch that cannot go on; the message is one sentence for the user, free of secrets."""


@dataclass(frozen=True)
class Query:
    """Which events to read: empty fields filter nothing."""

    countries: tuple[str, ...] = ()
    first_day: str | None = None  # ISO dates, inclusive
    last_day: str | None = None
    actors: tuple[str, ...] = ()  # each matched by ACLED's LIKE filter in any actor field
    since: int | None = None  # only events added or changed at or after this Unix time


ACTOR_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


def api_base(environ: Mapping[str, str] = os.environ) -> str:
    """The API's base URL (``ACLED_API_BASE`` or ACLED's own): https, or http on this machine only."""
    base = (environ.get("ACLED_API_BASE") or DEFAULT_BASE).strip().rstrip("/")
    parts = urllib.parse.urlsplit(base)
    if parts.username or parts.password:  # not echoed: it holds a credential
        raise FetchError("ACLED_API_BASE must not hold a user or password; set ACLED_USERNAME and ACLED_PASSWORD")
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        pass
    elif parts.scheme == "http" and host in LOOPBACK:
        pass
    else:
        raise FetchError(f"ACLED_API_BASE must be an https:// URL (http:// only for 127.0.0.1 or localhost), "
                         f"not {base!r}")
    if parts.query or parts.fragment:
        raise FetchError(f"ACLED_API_BASE must be a plain base URL without query or fragment, not {base!r}")
    return base


def credentials(base: str, environ: Mapping[str, str] = os.environ) -> tuple[str, str]:
    """The username and password: ``ACLED_USERNAME``/``ACLED_PASSWORD``, else the netrc entry for the host."""
    user, password = environ.get("ACLED_USERNAME", ""), environ.get("ACLED_PASSWORD", "")
    if user and password:
        return user, password
    if user or password:
        raise FetchError("set both ACLED_USERNAME and ACLED_PASSWORD (or neither, to use a netrc entry)")
    host = urllib.parse.urlsplit(base).hostname or ""
    path = environ.get("NETRC") or str(Path(environ.get("HOME") or Path.home()) / ".netrc")
    entry = None
    if kind := files.not_regular(path):
        raise FetchError(f"the netrc file {path} is {kind}, not a file")
    try:
        entry = netrc.netrc(path).authenticators(host)
    except FileNotFoundError:
        pass
    except netrc.NetrcParseError as exc:
        # its message may quote a token of the file, which may be the password: the line only
        raise FetchError(f"cannot read the netrc file {path}: it is malformed at line {exc.lineno}") from None
    except OSError as exc:
        raise FetchError(f"cannot read the netrc file {path}: {exc.strerror or exc}") from None
    if entry and entry[0] and entry[2]:
        return entry[0], entry[2]
    raise FetchError(f"no ACLED credentials: set ACLED_USERNAME and ACLED_PASSWORD, or add a netrc entry "
                     f"for {host} with login and password")


def cache_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CACHE_HOME/jnim-export`` or ``~/.cache/jnim-export``."""
    root = environ.get("XDG_CACHE_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".cache")
    return Path(root) / "jnim-export"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not followed: urllib would carry the Bearer token to any host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class _Answer:
    status: int
    headers: Any
    body: bytes


@dataclass
class Session:
    """One user's access to one API base: tokens, retries, pages."""

    base: str
    username: str
    password: str = field(repr=False)
    cache: Path
    sleep: Callable[[float], None] | None = None  # None: `pause`, looked up when needed (tests replace it)
    clock: Callable[[], float] = time.time
    requests: int = 0
    _token: dict | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        host = urllib.parse.urlsplit(self.base).hostname or ""
        handlers: list = [_NoRedirects()]
        if host in LOOPBACK:
            handlers.append(urllib.request.ProxyHandler({}))  # a stand-in on this machine: never via a proxy
        self._opener = urllib.request.build_opener(*handlers)
        self.host = host

    # ------------------------------------------------------------------ HTTP with retries

    def _send(self, request: urllib.request.Request) -> _Answer:
        self.requests += 1
        try:
            with self._opener.open(request, timeout=TIMEOUT) as resp:
                return _Answer(resp.status, resp.headers, resp.read(MAX_BODY + 1))
        except urllib.error.HTTPError as exc:
            with exc:
                return _Answer(exc.code, exc.headers, exc.read(MAX_BODY + 1))

    def _call(self, request: urllib.request.Request) -> _Answer:
        """Send, retrying 429, 5xx and network failures with back-off; the last answer otherwise."""
        waited = 0.0
        for attempt in range(1, MAX_ATTEMPTS + 1):
            asked: float | None = None
            try:
                answer = self._send(request)
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                reason = getattr(exc, "reason", None) or exc
                problem = f"cannot reach ACLED's API at {self.host} ({_oneline(str(reason))})"
            else:
                if answer.status != 429 and answer.status < 500:
                    return answer
                asked = _retry_after(answer.headers.get("Retry-After"), self.clock())
                problem = (f"ACLED's API kept answering 429 Too Many Requests" if answer.status == 429
                           else f"ACLED's API failed with HTTP {answer.status}")
            delay = asked if asked is not None else min(2.0 ** (attempt - 1), 30.0)
            if attempt == MAX_ATTEMPTS:
                break
            if waited + delay > MAX_WAIT:
                raise FetchError(f"{problem} and asks to wait {delay:.0f} s more; try again later")
            (self.sleep or pause)(delay)
            waited += delay
        raise FetchError(f"{problem} after {MAX_ATTEMPTS} attempts; try again later")

    # ------------------------------------------------------------------ tokens

    def _cache_file(self) -> Path:
        key = hashlib.sha256(f"{self.base}\0{self.username}".encode()).hexdigest()[:24]
        return self.cache / f"acled-token-{key}.json"

    def _load_token(self) -> dict | None:
        try:
            data = json.loads(files.read_text(self._cache_file(), 2**16, "token caches"))
        except (OSError, ValueError):
            return None  # no cache, or one that is unreadable: sign in again
        if not (isinstance(data, dict) and isinstance(data.get("access_token"), str)
                and all(isinstance(data.get(k), (int, float)) for k in ("expires_at", "refresh_expires_at"))
                and isinstance(data.get("refresh_token"), (str, type(None)))):
            return None  # not a cache this wrote: sign in again
        return data

    def _save_token(self, token: dict) -> None:
        path = self._cache_file()
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with atomic.replacing(path) as tmp:
                os.chmod(tmp, 0o600)  # the tokens are as good as the password for 24 hours
                tmp.write_text(json.dumps(token), encoding="utf-8")
        except OSError:
            pass  # a cache that cannot be written costs a sign-in next time, nothing more

    def _grant(self, form: dict[str, str], *, signing_in: bool) -> dict | None:
        """A token from the token endpoint, or None if it refused the grant (400/401)."""
        body = urllib.parse.urlencode({**form, "client_id": CLIENT_ID}).encode()
        request = urllib.request.Request(f"{self.base}/oauth/token", data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        answer = self._call(request)
        _refuse_redirect(answer)
        if answer.status in (400, 401):
            return None
        if answer.status == 403:
            raise _no_access()
        if answer.status != 200:
            raise FetchError(f"ACLED's sign-in answered HTTP {answer.status} instead of a token")
        data = _json(answer.body, "ACLED's sign-in")
        access, lifetime = data.get("access_token"), data.get("expires_in", 86400)
        if not (isinstance(access, str) and access) or not isinstance(lifetime, (int, float)):
            raise FetchError("ACLED's sign-in answered without an access token")
        now = self.clock()
        refresh = data.get("refresh_token") if isinstance(data.get("refresh_token"), str) else None
        token = {"access_token": access, "expires_at": now + float(lifetime), "refresh_token": refresh,
                 "refresh_expires_at": now + REFRESH_LIFETIME if refresh else 0.0}
        if not signing_in and not refresh:  # a refresh that gave no new refresh token: the old one stands
            token["refresh_token"] = form.get("refresh_token")
            token["refresh_expires_at"] = (self._token or {}).get("refresh_expires_at", 0.0)
        return token

    def _sign_in(self) -> dict:
        token = self._grant({"grant_type": "password", "username": self.username, "password": self.password,
                             "scope": "authenticated"}, signing_in=True)
        if token is None:
            raise FetchError("ACLED did not accept the username and password; check ACLED_USERNAME and "
                             f"ACLED_PASSWORD (or the netrc entry for {self.host})")
        return token

    def access_token(self, *, renew: bool = False) -> str:
        """A valid access token: the cached one, a refreshed one, or one from a new sign-in."""
        token = self._token or self._load_token()
        now = self.clock()
        if token and not renew and float(token.get("expires_at") or 0) - ACCESS_MARGIN > now:
            self._token = token
            return token["access_token"]
        fresh = None
        if token and token.get("refresh_token") and float(token.get("refresh_expires_at") or 0) > now:
            self._token = token
            fresh = self._grant({"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
                                signing_in=False)
        self._token = fresh or self._sign_in()
        self._save_token(self._token)
        return self._token["access_token"]

    # ------------------------------------------------------------------ reading

    def get(self, path: str, params: list[tuple[str, str]], what: str) -> dict:
        """The JSON object at `path` with `params`, signed in; one renewal if the token is refused."""
        url = f"{self.base}{path}?{urllib.parse.urlencode([('_format', 'json'), *params])}"
        for renew in (False, True):
            request = urllib.request.Request(url, headers={
                "Authorization": f"Bearer {self.access_token(renew=renew)}", "Accept": "application/json"})
            answer = self._call(request)
            _refuse_redirect(answer)
            if answer.status != 401:
                break
        else:
            raise FetchError("ACLED refused a fresh access token (HTTP 401); sign-in works but reading does not")
        if answer.status == 403:
            raise _no_access()
        if answer.status != 200:
            detail = _api_message(answer.body)
            raise FetchError(f"ACLED's API refused {what} (HTTP {answer.status}{': ' + detail if detail else ''})")
        data = _json(answer.body, f"ACLED's answer to {what}")
        status = data.get("status", 200)
        if data.get("success") is False or (isinstance(status, int) and status >= 400):
            detail = _api_message(answer.body)
            if status == 403:
                raise _no_access()
            raise FetchError(f"ACLED's API refused {what} ({detail or f'status {status}'})")
        return data

    def pages(self, path: str, params: list[tuple[str, str]], key: str, what: str) -> Iterator[list[dict]]:
        """The pages of a paged read, one after another until one is short (each checked as it comes)."""
        seen: set[str] = set()
        page = 1
        while True:
            label = f"{what}, page {page}"
            data = self.get(path, [*params, ("limit", str(PAGE_SIZE)), ("page", str(page))], label)
            batch = data.get("data")
            if not isinstance(batch, list) or not all(isinstance(r, dict) and cell_text(r.get(key)) for r in batch):
                raise FetchError(f"ACLED's answer to {label} was malformed: expected a list of rows with {key}")
            ids = {cell_text(r[key]) for r in batch}
            if batch and ids <= seen:
                raise FetchError(f"ACLED's answer to {label} repeated rows already read; the paging is broken")
            seen |= ids
            yield batch
            if len(batch) < PAGE_SIZE:
                return
            page += 1

    def events(self, query: Query) -> Iterator[dict]:
        """The events `query` asks for, each once, as the pages come (one read per actor name and field)."""
        params = _event_params(query)
        reads = [(params, "the events read")] if not query.actors else [
            ([*params, (name, actor)], f"the events read for {actor!r} in {name}")
            for actor in query.actors for name in ACTOR_FIELDS]
        seen: set[str] = set()
        for read, what in reads:
            for batch in self.pages("/api/acled/read", read, "event_id_cnty", what):
                for row in batch:
                    key = cell_text(row["event_id_cnty"])
                    if key not in seen:
                        seen.add(key)
                        yield row

    def deletions(self, since: int) -> set[str]:
        """The ids of events deleted at or after `since` (Unix time)."""
        pages = self.pages("/api/deleted/read", [("deleted_timestamp", str(since))], "event_id_cnty",
                           "the deletions read")
        return {cell_text(r["event_id_cnty"]) for batch in pages for r in batch}


def pause(seconds: float) -> None:
    time.sleep(seconds)


def _event_params(query: Query) -> list[tuple[str, str]]:
    params: list[tuple[str, str]] = []
    if query.countries:
        params.append(("country", ":OR:".join(query.countries)))
    if query.first_day and query.last_day:
        params += [("event_date", f"{query.first_day}|{query.last_day}"), ("event_date_where", "BETWEEN")]
    elif query.first_day:
        params += [("event_date", query.first_day), ("event_date_where", ">=")]
    elif query.last_day:
        params += [("event_date", query.last_day), ("event_date_where", "<=")]
    if query.since is not None:
        params += [("timestamp", str(query.since)), ("timestamp_where", ">=")]
    return params


def _refuse_redirect(answer: _Answer) -> None:
    if 300 <= answer.status < 400:
        where = _oneline(str(answer.headers.get("Location") or "elsewhere"))[:200]
        raise FetchError(f"ACLED's API answered with a redirect (HTTP {answer.status}) to {where}, which is not "
                         "followed with a token; set ACLED_API_BASE to the API's own address")


def _no_access() -> FetchError:
    return FetchError("this ACLED account has no access to the API (HTTP 403); ACLED grants API access per "
                      "account on request")


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError, IndexError):
        return None


def _json(body: bytes, what: str) -> dict:
    if len(body) > MAX_BODY:
        raise FetchError(f"{what} was larger than {MAX_BODY // 2**20} MB; not an answer this reads")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise FetchError(f"{what} was malformed: not JSON ({_oneline(body[:60].decode('utf-8', 'replace'))!r}…)") \
            from None
    if not isinstance(data, dict):
        raise FetchError(f"{what} was malformed: a JSON {type(data).__name__} instead of an object")
    return data


def _api_message(body: bytes) -> str:
    """The error text in an API answer, short and on one line (empty if there is none)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    if not isinstance(data, dict):
        return ""
    error = data.get("error") or data.get("message") or data.get("messages")
    items = error if isinstance(error, list) else [error]
    texts = [str(e.get("message") or e.get("text") or "") if isinstance(e, dict) else str(e or "") for e in items]
    return _oneline("; ".join(t for t in texts if t))[:200]


def _oneline(text: str) -> str:
    return " ".join(text.split()).rstrip(".")


def cell_text(value: Any) -> str:
    """A JSON value as its CSV text (ACLED's JSON gives strings; numbers are written as they read)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
