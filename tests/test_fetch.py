"""`events fetch` against a stand-in for ACLED's API on 127.0.0.1 (tests/acled_standin.py): no network.

The rows served are invented (notes "test row"), except in the last tests, which serve the real
Mali export from ../shared and skip cleanly where it is absent.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import stat
from pathlib import Path

import pytest
from acled_standin import Fault, StandIn
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from jnim_export.cli import main
from jnim_export.events import ImportOptions, import_acled, list_actors
from jnim_export.events import fetch as fetch_module
from jnim_export.events.fetched import CURRENT_COLUMNS, LEGACY_COLUMNS, merge

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared/data/acled/2017-01-01-2019-02-27-Mali.csv"
PASSWORD = "s3cret-Pa55!"


def synthetic_rows(n: int, *, country="Testland", prefix="TST", start_stamp=1_700_000_000) -> list[dict]:
    """Invented events in ACLED's current layout; every third names JNIM as actor1."""
    rows = []
    for i in range(n):
        row = dict.fromkeys(CURRENT_COLUMNS, "")
        row.update(
            event_id_cnty=f"{prefix}{i + 1}", event_date=f"2018-{i % 12 + 1:02d}-{i % 28 + 1:02d}", year="2018",
            time_precision="1", disorder_type="Political violence", event_type="Battles",
            sub_event_type="Armed clash",
            actor1="JNIM: Group for Support of Islam and Muslims" if i % 3 == 0 else "Military Forces of Testland",
            actor2="Civilians (Testland)", inter1="2", inter2="7", interaction="27", iso="999",
            region="Western Africa", country=country, admin1="North", admin2="A", admin3="B",
            location=f"Village {i % 4}", latitude=f"{14 + i % 4}.5", longitude=f"-{2 + i % 4}.25", geo_precision="1",
            source="test source", source_scale="National", notes="test row, invented", fatalities=str(i % 5),
            tags="", timestamp=str(start_stamp + i),
        )
        rows.append(row)
    return rows


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """The back-off waits asked for, none slept."""
    asked: list[float] = []
    monkeypatch.setattr(fetch_module, "pause", asked.append)
    return asked


@pytest.fixture
def home(tmp_path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def run(server: StandIn | None, home: Path, *args: str, password: str = PASSWORD, base: str | None = None,
        debug: bool = False, **env: str):
    environ = {
        "ACLED_API_BASE": base or (server.base if server else ""), "ACLED_USERNAME": "analyst@example.org",
        "ACLED_PASSWORD": password, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"), "NETRC": str(home / "netrc"), **env,
    }
    result = CliRunner().invoke(main, [*(["--debug"] if debug else []), "events", "fetch", *args], env=environ)
    assert PASSWORD not in result.output and (not password or password not in result.output)
    return result


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or ()), list(reader)


def one_sentence(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


# --------------------------------------------------------------------------- paging and the file


@pytest.mark.parametrize("n", [12, 10, 3])
def test_pages_are_read_until_a_short_one(monkeypatch, tmp_path, home, n):
    monkeypatch.setattr(fetch_module, "PAGE_SIZE", 5)
    out = tmp_path / "fetched.csv"
    with StandIn(synthetic_rows(n)) as server:
        result = run(server, home, "--country", "Testland", "--out", str(out))
    assert result.exit_code == 0, result.output
    pages = [int(r.params["page"]) for r in server.requests("/api/acled/read")]
    assert pages == list(range(1, n // 5 + 2))  # 12: 5, 5, 2; 10: 5, 5, 0; 3: 3
    reads = server.requests("/api/acled/read")
    assert all(r.params["limit"] == "5" and r.params["country"] == "Testland" for r in reads)
    header, rows = read_csv(out)
    assert header == list(CURRENT_COLUMNS)
    assert [r["event_id_cnty"] for r in rows] == [f"TST{i + 1}" for i in range(n)]
    assert rows == synthetic_rows(n)
    assert f"{n} events written to {out}" in result.output
    # the file is an export the importer and the actor list read unchanged
    agg = import_acled(out, ImportOptions(actors=("JNIM",)))
    assert agg.layout == "acled-current" and agg.rows_read == n and agg.rows_matched == len(range(0, n, 3))
    assert list_actors(out, "JNIM").actors[0].events == len(range(0, n, 3))


def test_nothing_found_is_a_header_alone(tmp_path, home):
    with StandIn(synthetic_rows(3)) as server:
        result = run(server, home, "--country", "Nowhere", "--out", str(tmp_path / "f.csv"))
    assert result.exit_code == 0, result.output
    assert read_csv(tmp_path / "f.csv") == (list(CURRENT_COLUMNS), [])
    assert "0 events written" in result.output


def test_filters_are_sent_as_acled_names_them(tmp_path, home):
    rows = synthetic_rows(6) + synthetic_rows(4, country="Otherland", prefix="OTH")
    with StandIn(rows) as server:
        result = run(server, home, "--country", "Testland", "--country", "Otherland", "--from", "2018-02",
                     "--to", "2018-05-03", "--out", str(tmp_path / "f.csv"))
    assert result.exit_code == 0, result.output
    params = server.requests("/api/acled/read")[0].params
    assert params["country"] == "Testland:OR:Otherland"
    assert (params["event_date"], params["event_date_where"]) == ("2018-02-01|2018-05-03", "BETWEEN")
    assert params["_format"] == "json" and "timestamp" not in params
    _, got = read_csv(tmp_path / "f.csv")
    assert sorted(r["event_date"] for r in got) == ["2018-02-02", "2018-02-02", "2018-03-03", "2018-03-03",
                                                      "2018-04-04", "2018-04-04"]


def test_actor_is_looked_for_in_every_actor_field_and_each_event_kept_once(tmp_path, home):
    rows = synthetic_rows(6)
    rows[1]["assoc_actor_2"] = "Someone; JNIM: Group for Support of Islam and Muslims"
    rows[0]["actor2"] = "JNIM: Group for Support of Islam and Muslims"  # also in actor1: kept once
    with StandIn(rows) as server:
        result = run(server, home, "--actor", "JNIM", "--out", str(tmp_path / "f.csv"))
    assert result.exit_code == 0, result.output
    fields = [next(k for k in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2") if k in r.params)
              for r in server.requests("/api/acled/read")]
    assert fields == ["actor1", "actor2", "assoc_actor_1", "assoc_actor_2"]
    _, got = read_csv(tmp_path / "f.csv")
    assert sorted(r["event_id_cnty"] for r in got) == ["TST1", "TST2", "TST4"]


def test_the_default_place_is_the_users_data_folder(home):
    with StandIn(synthetic_rows(2)) as server:
        result = run(server, home, "--country", "Testland", "--from", "2018-01", "--to", "2018-12")
    assert result.exit_code == 0, result.output
    out = home / "data/jnim-export/acled/acled-testland-2018-01-01-2018-12-31.csv"
    assert out.is_file() and f"written to {out}" in result.output


def test_raw_rows_are_not_written_into_a_project_unless_asked(tmp_path, home):
    project = tmp_path / "project"
    (project / "assets").mkdir(parents=True)
    (project / "content.yaml").write_text("meta: {}\n", encoding="utf-8")
    out = project / "assets" / "events.csv"
    with StandIn(synthetic_rows(2)) as server:
        refused = run(server, home, "--out", str(out))
        assert server.log == []  # refused before signing in
        allowed = run(server, home, "--out", str(out), "--in-project")
    assert refused.exit_code == 1 and "inside the project folder" in one_sentence(refused.output)
    assert allowed.exit_code == 0 and out.is_file()


# --------------------------------------------------------------------------- retries


def test_a_429_is_retried_after_the_time_it_asks(tmp_path, home, waits):
    with StandIn(synthetic_rows(3)) as server:
        server.faults.append(Fault("/api/acled/read", 429, b'{"message": "Too many requests"}', {"Retry-After": "7"}))
        server.faults.append(Fault("/api/acled/read", 503))
        result = run(server, home, "--out", str(tmp_path / "f.csv"))
    assert result.exit_code == 0, result.output
    assert waits == [7.0, 2.0]  # as asked; then the back-off of a second failure
    assert len(read_csv(tmp_path / "f.csv")[1]) == 3


def test_retries_are_bounded(tmp_path, home, waits):
    with StandIn(synthetic_rows(3)) as server:
        server.faults += [Fault("/api/acled/read", 502) for _ in range(10)]
        failed = run(server, home, "--out", str(tmp_path / "f.csv"))
        server.faults[:] = [Fault("/api/acled/read", 429, headers={"Retry-After": "86400"})]
        limited = run(server, home, "--out", str(tmp_path / "f.csv"))
    assert failed.exit_code == 1
    assert one_sentence(failed.output) == ("events fetch: ACLED's API failed with HTTP 502 after 5 attempts; "
                                           "try again later.")
    assert waits[:4] == [1.0, 2.0, 4.0, 8.0] and len(waits) == 4
    assert limited.exit_code == 1 and "asks to wait 86400 s" in one_sentence(limited.output)
    assert not (tmp_path / "f.csv").exists()


def test_the_network_down_is_one_sentence(tmp_path, home, waits):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run(None, home, "--out", str(tmp_path / "f.csv"), base=f"http://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert one_sentence(result.output).startswith(f"events fetch: cannot reach ACLED's API at 127.0.0.1 (")
    assert len(waits) == fetch_module.MAX_ATTEMPTS - 1


# --------------------------------------------------------------------------- tokens and credentials


def cache_files(home: Path) -> list[Path]:
    return sorted((home / "cache/jnim-export").glob("acled-token-*.json"))


def test_the_token_is_cached_privately_and_reused(tmp_path, home):
    with StandIn(synthetic_rows(2)) as server:
        assert run(server, home, "--out", str(tmp_path / "a.csv")).exit_code == 0
        assert run(server, home, "--out", str(tmp_path / "b.csv")).exit_code == 0
    grants = [r.form["grant_type"] for r in server.requests("/oauth/token")]
    assert grants == ["password"]  # the second fetch used the cached token
    form = server.requests("/oauth/token")[0].form
    assert form == {"grant_type": "password", "username": "analyst@example.org", "password": PASSWORD,
                    "client_id": "acled", "scope": "authenticated"}
    [cached] = cache_files(home)
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert PASSWORD not in cached.read_text() and "access-1" in cached.read_text()


def test_an_expired_token_is_refreshed_without_the_password(tmp_path, home):
    with StandIn(synthetic_rows(2)) as server:
        assert run(server, home, "--out", str(tmp_path / "a.csv")).exit_code == 0
        [cached] = cache_files(home)
        token = json.loads(cached.read_text())
        cached.write_text(json.dumps({**token, "expires_at": token["expires_at"] - 90000}))
        result = run(server, home, "--out", str(tmp_path / "b.csv"), password="not-needed-now")
    assert result.exit_code == 0, result.output
    assert [r.form["grant_type"] for r in server.requests("/oauth/token")] == ["password", "refresh_token"]
    assert server.requests("/oauth/token")[1].form["refresh_token"] == "refresh-1"
    assert server.requests("/api/acled/read")[-1].authorization == "Bearer access-2"
    assert json.loads(cached.read_text())["refresh_token"] == "refresh-2"


@pytest.mark.parametrize("cache", ["not json", "[]", '{"access_token": "x", "expires_at": "soon"}'])
def test_a_damaged_token_cache_means_signing_in_again(tmp_path, home, cache):
    with StandIn(synthetic_rows(2)) as server:
        assert run(server, home, "--out", str(tmp_path / "a.csv")).exit_code == 0
        [cached] = cache_files(home)
        cached.write_text(cache)
        result = run(server, home, "--out", str(tmp_path / "b.csv"))
    assert result.exit_code == 0, result.output
    assert [r.form["grant_type"] for r in server.requests("/oauth/token")] == ["password", "password"]
    assert json.loads(cached.read_text())["access_token"] == "access-2"


def test_a_refused_token_is_renewed_and_a_failed_refresh_signs_in_again(tmp_path, home):
    with StandIn(synthetic_rows(2)) as server:
        assert run(server, home, "--out", str(tmp_path / "a.csv")).exit_code == 0
        server.access.clear()  # the API no longer takes the cached token ...
        server.refresh.clear()  # ... nor its refresh token
        result = run(server, home, "--out", str(tmp_path / "b.csv"))
    assert result.exit_code == 0, result.output
    assert [r.form["grant_type"] for r in server.requests("/oauth/token")] == ["password", "refresh_token", "password"]
    assert [r.authorization for r in server.requests("/api/acled/read")] == [
        "Bearer access-1", "Bearer access-1", "Bearer access-2"]


@pytest.mark.parametrize("debug, refusal", [(False, 401), (True, 401), (False, 400)])
def test_a_wrong_password_is_one_sentence_without_the_password(tmp_path, home, debug, refusal):
    wrong = "Wr0ng-Secret-Value"
    with StandIn(synthetic_rows(2)) as server:
        server.refusal = refusal
        result = run(server, home, "--out", str(tmp_path / "f.csv"), password=wrong, debug=debug)
    assert result.exit_code == 1
    line = one_sentence(result.output)
    assert line == ("events fetch: ACLED did not accept the username and password; check ACLED_USERNAME and "
                    "ACLED_PASSWORD (or the netrc entry for 127.0.0.1).")
    assert wrong not in result.output and PASSWORD not in result.output
    assert not cache_files(home) and not (tmp_path / "f.csv").exists()


def test_a_token_refused_even_fresh(tmp_path, home):
    with StandIn(synthetic_rows(2)) as server:
        server.faults += [Fault("/api/acled/read", 401), Fault("/api/acled/read", 401)]
        result = run(server, home, "--out", str(tmp_path / "f.csv"))
    assert result.exit_code == 1 and "refused a fresh access token (HTTP 401)" in one_sentence(result.output)
    assert [r.form["grant_type"] for r in server.requests("/oauth/token")] == ["password", "refresh_token"]


def test_an_account_without_api_access(tmp_path, home):
    with StandIn(synthetic_rows(2)) as server:
        server.no_api_access = True
        result = run(server, home, "--out", str(tmp_path / "f.csv"))
    assert result.exit_code == 1
    assert "has no access to the API (HTTP 403)" in one_sentence(result.output)


def test_credentials_from_netrc(tmp_path, home):
    with StandIn(synthetic_rows(2)) as server:
        (home / "netrc").write_text(f"machine 127.0.0.1 login analyst@example.org password {PASSWORD}\n")
        os.chmod(home / "netrc", 0o600)
        result = run(server, home, "--out", str(tmp_path / "f.csv"), ACLED_USERNAME="", ACLED_PASSWORD="")
    assert result.exit_code == 0, result.output
    (home / "netrc").unlink()
    missing = run(None, home, "--out", str(tmp_path / "g.csv"), base="https://acled.example",
                  ACLED_USERNAME="", ACLED_PASSWORD="")
    assert missing.exit_code == 1 and "no ACLED credentials" in one_sentence(missing.output)


def test_a_malformed_netrc_is_reported_without_its_contents(tmp_path, home):
    (home / "netrc").write_text(f"machine 127.0.0.1 login analyst password\n{PASSWORD} bogus\n")
    result = run(None, home, "--out", str(tmp_path / "f.csv"), base="https://127.0.0.1",
                 ACLED_USERNAME="", ACLED_PASSWORD="")
    assert result.exit_code == 1 and "is malformed at line" in one_sentence(result.output)


def test_a_netrc_that_is_no_file_is_not_read(tmp_path, home):
    os.mkfifo(home / "netrc")  # reading it would wait forever
    result = run(None, home, "--out", str(tmp_path / "f.csv"), base="https://127.0.0.1",
                 ACLED_USERNAME="", ACLED_PASSWORD="")
    assert result.exit_code == 1 and "is a named pipe (FIFO), not a file" in one_sentence(result.output)


def test_a_refusal_inside_a_successful_answer(tmp_path, home):
    """ACLED's JSON carries its own status: a 200 whose body says 403 is an account without access."""
    body = json.dumps({"status": 403, "success": False, "error": {"message": "Access denied"}}).encode()
    with StandIn(synthetic_rows(2)) as server:
        server.faults.append(Fault("/api/acled/read", 200, body))
        denied = run(server, home, "--out", str(tmp_path / "f.csv"))
        body = json.dumps({"status": 400, "success": False, "error": [{"message": "Invalid filter foo"}]}).encode()
        server.faults.append(Fault("/api/acled/read", 200, body))
        refused = run(server, home, "--out", str(tmp_path / "f.csv"))
    assert denied.exit_code == 1 and "no access to the API" in one_sentence(denied.output)
    assert refused.exit_code == 1
    assert one_sentence(refused.output) == ("events fetch: ACLED's API refused the events read, page 1 "
                                            "(Invalid filter foo).")


@pytest.mark.parametrize("base", ["http://acleddata.com", "ftp://127.0.0.1", "file:///etc", "https://u:p@h.example"])
def test_only_https_or_a_local_http_base(tmp_path, home, base):
    result = run(None, home, "--out", str(tmp_path / "f.csv"), base=base)
    assert result.exit_code == 1 and "ACLED_API_BASE must" in one_sentence(result.output)
    assert "u:p" not in result.output


# --------------------------------------------------------------------------- malformed answers


@pytest.mark.parametrize("body", [b"<html>Maintenance</html>", b'{"status": 200, "data": "nothing"}',
                                  b'[1, 2]', b'{"data": [{"event_date": "2018-01-01"}]}'])
def test_a_malformed_page_is_one_sentence_and_writes_nothing(monkeypatch, tmp_path, home, body):
    monkeypatch.setattr(fetch_module, "PAGE_SIZE", 2)
    out = tmp_path / "f.csv"
    out.write_text("before\n")
    with StandIn(synthetic_rows(5)) as server:
        server.faults.append(Fault("/api/acled/read", 200, body, page=2))
        result = run(server, home, "--out", str(out))
    assert result.exit_code == 1
    assert "ACLED's answer to the events read, page 2 was malformed" in one_sentence(result.output)
    assert out.read_text() == "before\n"


def test_a_server_ignoring_the_page_is_caught(monkeypatch, tmp_path, home):
    monkeypatch.setattr(fetch_module, "PAGE_SIZE", 2)
    with StandIn(synthetic_rows(5)) as server:
        server.faults.append(Fault("/api/acled/read", 200, json.dumps({"data": synthetic_rows(2)}).encode(), page=2))
        result = run(server, home, "--out", str(tmp_path / "f.csv"))
    assert result.exit_code == 1 and "repeated rows already read" in one_sentence(result.output)


# --------------------------------------------------------------------------- updates


def test_since_merges_changes_and_deletions_on_event_id(tmp_path, home):
    out = tmp_path / "f.csv"
    rows = synthetic_rows(5)
    with StandIn(rows) as server:
        assert run(server, home, "--country", "Testland", "--out", str(out)).exit_code == 0
        newest = max(int(r["timestamp"]) for r in rows)
        server.rows[1] = {**server.rows[1], "fatalities": "9", "timestamp": str(newest + 100)}  # changed
        server.rows.insert(0, {**synthetic_rows(6)[5], "timestamp": str(newest + 200)})  # added
        del server.rows[4]  # TST4 deleted
        server.deleted = [{"event_id_cnty": "TST4", "deleted_timestamp": str(newest + 50)},
                          {"event_id_cnty": "OLD1", "deleted_timestamp": str(newest - 999)}]
        result = run(server, home, "--country", "Testland", "--since", str(out))
    assert result.exit_code == 0, result.output
    read = server.requests("/api/acled/read")[-1].params
    assert (read["timestamp"], read["timestamp_where"], read["country"]) == (str(newest), ">=", "Testland")
    assert server.requests("/api/deleted/read")[-1].params["deleted_timestamp"] == str(newest)
    assert "1 new, 1 changed, 1 deleted" in result.output
    header, got = read_csv(out)
    assert header == list(CURRENT_COLUMNS)
    assert [r["event_id_cnty"] for r in got] == ["TST6", "TST1", "TST2", "TST3", "TST5"]
    assert got[2]["fatalities"] == "9"


def test_since_refuses_to_mix_layouts(tmp_path, home):
    previous = tmp_path / "old.csv"
    previous.write_text("data_id,event_id_cnty,event_date,timestamp\n1,X1,22 February 2019,1551122597\n")
    with StandIn(synthetic_rows(2, start_stamp=1551122597)) as server:
        result = run(server, home, "--since", str(previous))
    assert result.exit_code == 1 and "older layout and the API answered in the current one" in one_sentence(result.output)
    assert previous.read_text().startswith("data_id,")


def test_since_needs_a_file_with_timestamps(tmp_path, home):
    previous = tmp_path / "old.csv"
    previous.write_text("event_id_cnty,event_date\nX1,2018-01-01\n")
    with StandIn([]) as server:
        result = run(server, home, "--since", str(previous))
    assert result.exit_code == 1 and "no timestamp column" in one_sentence(result.output)


# --------------------------------------------------------------------------- the real export, served


@pytest.fixture(scope="module")
def real_rows():
    if not REAL.is_file():
        pytest.skip(f"real ACLED export not present at {REAL}")
    with open(REAL, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("actor", [None, "JNIM"])
def test_fetch_then_import_reproduces_the_committed_jnim_aggregates(monkeypatch, tmp_path, home, real_rows, actor):
    """The real Mali export served as JSON pages; fetched, then imported with each committed aggregate's filters."""
    monkeypatch.setattr(fetch_module, "PAGE_SIZE", 500)
    out = tmp_path / "mali.csv"
    with StandIn(real_rows) as server:
        result = run(server, home, "--country", "Mali", "--from", "2017-01-01", "--to", "2019-02-27",
                     *(["--actor", actor] if actor else []), "--out", str(out))
    assert result.exit_code == 0, result.output
    header, rows = read_csv(out)
    assert header == list(LEGACY_COLUMNS)
    if actor is None:
        assert len(server.requests("/api/acled/read")) == 3 and len(rows) == 1339
        assert rows == real_rows
    committed_files = sorted((ROOT / "assets/data").glob("jnim-*.json"))
    assert len(committed_files) == 2
    for committed_file in committed_files:
        committed = json.loads(committed_file.read_text(encoding="utf-8"))
        filters = committed["provenance"]["query"]
        options = ImportOptions(actors=tuple(filters["actors"]), start=filters["from"], end=filters["to"],
                                role=filters["role"], event_types=tuple(filters["event_types"]),
                                countries=tuple(filters["countries"]))
        fresh = json.loads(json.dumps(import_acled(out, options).as_json()))
        for key in ("monthly", "locations", "categories", "scope", "unmapped", "attribution", "format"):
            assert fresh[key] == committed[key], (committed_file.name, key)
        # the dataset is ACLED's, read from the layout; only the access date is the day of the import
        assert {**fresh["dataset"], "accessed": None} == {**committed["dataset"], "accessed": None}
        assert fresh["provenance"]["rows_matched"] == committed["provenance"]["rows_matched"]


def test_a_redirect_is_not_followed_with_the_token(tmp_path, home):
    with StandIn(synthetic_rows(2)) as server, StandIn(synthetic_rows(2)) as elsewhere:
        server.faults.append(Fault("/api/acled/read", 302, headers={"Location": f"{elsewhere.base}/api/acled/read"}))
        result = run(server, home, "--out", str(tmp_path / "f.csv"))
    assert result.exit_code == 1 and "redirect (HTTP 302)" in one_sentence(result.output)
    assert elsewhere.log == []


ids = st.lists(st.sampled_from([f"E{i}" for i in range(12)]), unique=True, max_size=12)


@given(previous=ids, fetched=ids, deleted=ids)
def test_merge_on_event_id(previous, fetched, deleted):
    """Deleted events leave, fetched ones replace theirs in place or come first; each event once."""
    old = [{"event_id_cnty": e, "v": "old"} for e in previous]
    new = {e: {"event_id_cnty": e, "v": "new"} for e in fetched}
    counts: dict[str, int] = {}
    rows = list(merge(old, set(previous), new, set(deleted), counts))
    added, changed, removed = counts["added"], counts["changed"], counts["deleted"]
    got = [r["event_id_cnty"] for r in rows]
    assert len(got) == len(set(got))
    assert set(got) == set(fetched) | (set(previous) - set(deleted))
    assert all(r["v"] == "new" for r in rows if r["event_id_cnty"] in fetched)
    assert got[:added] == [e for e in fetched if e not in previous]
    assert [e for e in got if e in previous] == [e for e in previous if e in got]
    assert changed == len(set(fetched) & set(previous))  # each replacement differs here ("v")
    assert removed == len((set(previous) & set(deleted)) - set(fetched))
