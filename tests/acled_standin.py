"""A stand-in for ACLED's API on 127.0.0.1, started by a test: OAuth password and refresh grants,
`/api/acled/read` with the filters `events fetch` sends, `/api/deleted/read`, paging by
`limit`/`page`, and faults a test queues (a 429, a 5xx, a malformed page).

It serves whatever rows the test gives it (invented rows, or the real export's rows read from
../shared); rows are served as ACLED's JSON serves them, every value a string.
"""

from __future__ import annotations

import itertools
import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACTOR_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


@dataclass
class Fault:
    """An answer given instead of the real one, once, to the first request matching path (and page)."""

    path: str
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    page: int | None = None


@dataclass
class Request:
    method: str
    path: str
    params: dict
    form: dict
    authorization: str


class StandIn:
    def __init__(self, rows: list[dict], *, username="analyst@example.org", password="s3cret-Pa55!"):
        self.rows = [{k: str(v) for k, v in r.items()} for r in rows]
        self.deleted: list[dict] = []  # {"event_id_cnty", "deleted_timestamp"}
        self.username, self.password = username, password
        self.access: set[str] = set()  # tokens the API accepts
        self.refresh: set[str] = set()
        self.expires_in = 86400
        self.faults: list[Fault] = []
        self.log: list[Request] = []
        self.no_api_access = False
        self.refusal = 400  # the token endpoint's status for wrong credentials (OAuth says 400; some say 401)
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # a short poll: shutdown() waits for one, and every test stops its stand-in
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "StandIn":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def requests(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    # ------------------------------------------------------------------ answers

    def _token(self, form: dict) -> tuple[int, dict]:
        grant = form.get("grant_type")
        if form.get("client_id") != "acled":
            return 400, {"error": "invalid_client"}
        if grant == "password":
            if (form.get("username"), form.get("password")) != (self.username, self.password) or \
                    form.get("scope") != "authenticated":
                return self.refusal, {"error": "invalid_grant",
                                      "error_description": "The user credentials were incorrect."}
        elif grant == "refresh_token":
            if form.get("refresh_token") not in self.refresh:
                return 400, {"error": "invalid_grant", "error_description": "The refresh token is invalid."}
            self.refresh.discard(form["refresh_token"])
        else:
            return 400, {"error": "unsupported_grant_type"}
        n = next(self._ids)
        access, refresh = f"access-{n}", f"refresh-{n}"
        self.access.add(access)
        self.refresh.add(refresh)
        return 200, {"token_type": "Bearer", "expires_in": self.expires_in, "access_token": access,
                     "refresh_token": refresh}

    def _read(self, params: dict) -> list[dict]:
        rows = self.rows
        if "country" in params:
            wanted = {c.lower() for c in params["country"].split(":OR:")}
            rows = [r for r in rows if r.get("country", "").lower() in wanted]
        if "event_date" in params:
            where = params.get("event_date_where", "=")
            if where == "BETWEEN":
                first, last = params["event_date"].split("|")
                rows = [r for r in rows if first <= _iso(r["event_date"]) <= last]
            elif where == ">=":
                rows = [r for r in rows if _iso(r["event_date"]) >= params["event_date"]]
            elif where == "<=":
                rows = [r for r in rows if _iso(r["event_date"]) <= params["event_date"]]
        if "timestamp" in params:
            assert params.get("timestamp_where") == ">="
            rows = [r for r in rows if int(r["timestamp"]) >= int(params["timestamp"])]
        for name in ACTOR_FIELDS:  # ACLED's LIKE: a substring, any case
            if name in params:
                rows = [r for r in rows if params[name].lower() in r.get(name, "").lower()]
        return rows

    def _deletions(self, params: dict) -> list[dict]:
        since = int(params.get("deleted_timestamp", 0))
        return [d for d in self.deleted if int(d["deleted_timestamp"]) >= since]

    def answer(self, method: str, path: str, params: dict, form: dict, authorization: str) -> tuple[int, dict, bytes]:
        self.log.append(Request(method, path, params, form, authorization))
        page = int(params.get("page", 1))
        for fault in self.faults:
            if fault.path == path and fault.page in (None, page):
                self.faults.remove(fault)
                return fault.status, fault.headers, fault.body
        if path == "/oauth/token" and method == "POST":
            status, data = self._token(form)
            return status, {}, json.dumps(data).encode()
        if path not in ("/api/acled/read", "/api/deleted/read") or method != "GET":
            return 404, {}, b'{"message": "Not found"}'
        if not authorization.startswith("Bearer ") or authorization[7:] not in self.access:
            return 401, {}, b'{"message": "Unauthorized"}'
        if self.no_api_access:
            return 403, {}, b'{"message": "Access denied"}'
        assert params.get("_format") == "json"
        rows = self._read(params) if path == "/api/acled/read" else self._deletions(params)
        limit = int(params.get("limit", 5000))
        chunk = rows[(page - 1) * limit: page * limit]
        return 200, {}, json.dumps({"status": 200, "success": True, "data": chunk}).encode()

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                url = urllib.parse.urlsplit(self.path)
                params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode())) if length else {}
                status, headers, body = standin.answer(method, url.path, params, form,
                                                       self.headers.get("Authorization", ""))
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def log_message(self, *args):
                pass

        return Handler


def _iso(day: str) -> str:
    """An event date, ISO or written like ACLED's older exports (22 February 2019), as ISO."""
    try:
        return datetime.strptime(day, "%d %B %Y").date().isoformat()
    except ValueError:
        return day
