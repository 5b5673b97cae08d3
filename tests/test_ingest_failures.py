"""Nothing lost, nothing silent: every record an ingest does not store is in ``errors``.

Runs with the fake models of ``fake_models`` (fast lane); the articles are invented.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from fake_models import FakeEmbedder, FakeParser, fake_preparer
from rashomon.corpus.build import IngestSummary, LocalPreparer, Preparer, ingest
from rashomon.corpus.store import Store, open_store
from rashomon.errors import InputError
from rashomon.inputs.files import read_inputs
from rashomon.nlp import ParsedText
from rashomon.settings import Settings

SETTINGS = Settings()
RECORDS = [
    {
        "id": "kelm-fire",
        "outlet": "Kelm Courier",
        "date": "2024-01-01",
        "title": "Fire in the port of Kelm",
        "text": "A fire broke out in the port of Kelm on Monday night.\n"
        "Crews fought the blaze until dawn.",
    },
    {
        "id": "verel-storm",
        "outlet": "Verel Post",
        "date": "2024-01-02",
        "title": "Storm floods Verel",
        "text": "A storm flooded the low streets of Verel on Tuesday.\nSchools stayed closed.",
    },
    {
        "id": "osk-parade",
        "outlet": "Osk Herald",
        "date": "2024-01-03",
        "title": "Parade fills Osk",
        "text": "Thousands joined the spring parade in Osk on Wednesday.\n"
        "The mayor led the marchers.",
    },
]
SURROGATE = '{"id": "bad", "outlet": "Odd Times", "text": "Broken \\udc00 text here.\\nMore."}'


def write_jsonl(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def run(
    db: Path, inputs: Sequence[Path], *, preparer: Preparer | None = None, **settings: object
) -> tuple[IngestSummary, Store]:
    store = open_store(db)
    summary = ingest(
        store,
        inputs,
        settings=Settings(**settings) if settings else SETTINGS,  # type: ignore[arg-type]
        preparer=preparer or fake_preparer(),
        ingested_at="2024-06-01T00:00:00+00:00",
    )
    return summary, store


# --- 1. a lone surrogate, and any other per-record failure ---------------------------------


def test_a_lone_surrogate_in_a_jsonl_record_is_an_error_and_the_batch_lands(
    tmp_path: Path,
) -> None:
    lines = [json.dumps(RECORDS[0]), SURROGATE, json.dumps(RECORDS[1])]
    path = write_jsonl(tmp_path / "a.jsonl", lines)
    summary, store = run(tmp_path / "c.db", [path])
    with store:
        assert (summary.ingested, summary.rejected) == (2, 1)
        (error,) = store.errors()
        assert (error.source, error.line) == (str(path), 2)
        assert "lone surrogate" in error.reason
    again, store = run(tmp_path / "c.db", [path])  # a re-run is not blocked either
    with store:
        assert (again.ingested, again.rejected) == (0, 1)
        assert len(store.errors()) == 1


def test_a_lone_surrogate_in_a_json_array_rejects_that_item_only(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        "[" + ", ".join([json.dumps(RECORDS[0]), SURROGATE, json.dumps(RECORDS[2])]) + "]",
        encoding="utf-8",
    )
    summary, store = run(tmp_path / "c.db", [path])
    with store:
        assert (summary.ingested, summary.rejected) == (2, 1)
        assert "lone surrogate" in store.errors()[0].reason


def test_compare_names_a_record_with_a_lone_surrogate_as_an_input_error(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [json.dumps(RECORDS[0]), SURROGATE])
    articles, errors = read_inputs([path], settings=SETTINGS)
    assert [a.id for a in articles] == ["kelm-fire"]
    (error,) = errors
    assert isinstance(error, InputError)
    assert (error.where, error.line) == (str(path), 2)
    assert "lone surrogate" in error.problem


def test_a_surrogate_in_text_given_to_the_python_api_is_an_input_error() -> None:
    from rashomon.pipeline import load_articles

    articles, errors = load_articles(
        [RECORDS[0]["text"], "Broken \udc00 text.\nMore text."], settings=SETTINGS, texts=True
    )
    assert len(articles) == 1
    assert "lone surrogate" in errors[0].problem


class BreaksOn(FakeParser):
    """A parser that raises on one text, as a model bug would."""

    def __init__(self, word: str) -> None:
        self.word = word

    def parse(self, texts: Sequence[str]) -> list[ParsedText]:
        if any(self.word in t for t in texts):
            raise ValueError(f"cannot parse {self.word}")
        return super().parse(texts)


def test_an_article_that_breaks_the_parser_is_recorded_and_the_rest_of_its_batch_lands(
    tmp_path: Path,
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [json.dumps(r) for r in RECORDS])
    preparer = LocalPreparer(BreaksOn("Verel"), FakeEmbedder())
    summary, store = run(tmp_path / "c.db", [path], preparer=preparer)
    with store:
        assert (summary.ingested, summary.rejected) == (2, 1)
        (error,) = store.errors()
        assert error.source == str(path)
        assert "verel-storm" in error.reason
        assert "cannot parse Verel" in error.reason


def test_an_article_that_fails_to_store_is_recorded_and_the_indexes_forget_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [json.dumps(r) for r in RECORDS])
    original = Store.add_article

    def add_article(self: Store, article, *, ingested_at):  # type: ignore[no-untyped-def]
        if article.id == "verel-storm":
            raise ValueError("disk says no")
        return original(self, article, ingested_at=ingested_at)

    monkeypatch.setattr(Store, "add_article", add_article)
    summary, store = run(tmp_path / "c.db", [path])
    with store:
        assert (summary.ingested, summary.rejected) == (2, 1)
        (error,) = store.errors()
        assert error.record == "verel-storm"
        assert "disk says no" in error.reason
        assert summary.stories == len(store.list_stories()) == 2
        assert {a for _, a, _ in store.memberships()} == {"kelm-fire", "osk-parade"}


# --- 3. copies and story joins respect the window and the horizon ----------------------------

ORIGINAL = {
    "id": "a-wire",
    "outlet": "Meridian Wire",
    "date": "2024-01-01",
    "title": "Dam gates opened at Lorn",
    "text": "Engineers opened the four gates of the Lorn dam on Monday to ease the pressure of "
    "the spring flood, the regional water board said.\nFarmers downstream were told to move "
    "their herds to higher ground before the evening.",
}


def reprint(days_later: str, article_id: str) -> dict[str, str]:
    return {**ORIGINAL, "id": article_id, "outlet": "Valley Gazette", "date": days_later}


def test_a_reprint_400_days_later_is_no_copy_and_starts_a_new_story(tmp_path: Path) -> None:
    lines = [json.dumps(ORIGINAL), json.dumps(reprint("2025-02-04", "z-reprint"))]
    path = write_jsonl(tmp_path / "a.jsonl", lines)
    summary, store = run(tmp_path / "c.db", [path], window_days=3, horizon_days=14)
    with store:
        assert summary.ingested == 2
        assert store.copy_edges() == []
        assert store.group_of("z-reprint") == "z-reprint"
        stories = {s: a for s, a, _ in store.memberships()}
        assert len(stories) == 2
        assert summary.stories == 2


def test_a_copy_within_the_horizon_but_outside_the_window_is_a_copy_in_a_story_of_its_own(
    tmp_path: Path,
) -> None:
    lines = [json.dumps(ORIGINAL), json.dumps(reprint("2024-01-09", "z-late-copy"))]
    path = write_jsonl(tmp_path / "a.jsonl", lines)
    _summary, store = run(tmp_path / "c.db", [path], window_days=3, horizon_days=14)
    with store:
        (edge,) = store.copy_edges()
        assert (edge.article_id, edge.origin_id) == ("z-late-copy", "a-wire")
        assert len({s for s, _, _ in store.memberships()}) == 2


def test_a_copy_within_the_window_joins_the_story_of_its_origin(tmp_path: Path) -> None:
    lines = [json.dumps(ORIGINAL), json.dumps(reprint("2024-01-02", "z-next-day"))]
    path = write_jsonl(tmp_path / "a.jsonl", lines)
    _summary, store = run(tmp_path / "c.db", [path], window_days=3, horizon_days=14)
    with store:
        assert len(store.copy_edges()) == 1
        assert len({s for s, _, _ in store.memberships()}) == 1


# --- 4. a reused id, and every repeat, counted ----------------------------------------------


def test_a_reused_id_with_another_text_is_an_error_and_counted(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "first.jsonl", [json.dumps(RECORDS[0])])
    run(tmp_path / "c.db", [first])[1].close()
    reused = {**RECORDS[1], "id": RECORDS[0]["id"]}  # another story under the same id
    second = write_jsonl(tmp_path / "second.jsonl", [json.dumps(reused)])
    summary, store = run(tmp_path / "c.db", [second])
    with store:
        (error,) = store.errors()
        assert (error.source, error.record) == (str(second), "kelm-fire")
        assert "already used by an article with another text" in error.reason
        assert (summary.ingested, summary.id_conflicts, summary.already_stored) == (0, 1, 0)


def test_repeats_within_one_batch_are_counted_apart_from_wire_copies(tmp_path: Path) -> None:
    copy = {**ORIGINAL, "id": "z-copy", "outlet": "Valley Gazette", "date": "2024-01-02"}
    reused = {**RECORDS[1], "id": RECORDS[0]["id"]}
    lines = [json.dumps(r) for r in (RECORDS[0], RECORDS[0], reused, ORIGINAL, copy)]
    path = write_jsonl(tmp_path / "a.jsonl", lines)
    summary, store = run(tmp_path / "c.db", [path])
    with store:
        assert summary.ingested == 3  # kelm-fire, the wire story and its copy
        assert summary.wire_copies == 1
        assert summary.already_stored == 1  # the second kelm-fire line, same text
        assert summary.id_conflicts == 1  # kelm-fire again with the Verel text
        assert [e.record for e in store.errors()] == ["kelm-fire"]


def test_a_reused_url_with_another_text_is_an_error(tmp_path: Path) -> None:
    url = "https://kelm.example/fire"
    lines = [
        json.dumps({**RECORDS[0], "url": url}),
        json.dumps({**RECORDS[1], "url": url}),
    ]
    summary, store = run(tmp_path / "c.db", [write_jsonl(tmp_path / "a.jsonl", lines)])
    with store:
        (error,) = store.errors()
        assert url in error.reason
        assert (summary.ingested, summary.id_conflicts) == (1, 1)


# --- 5. one writer per corpus ---------------------------------------------------------------


def test_a_second_ingest_into_a_corpus_being_written_is_refused(tmp_path: Path) -> None:
    from rashomon.corpus.lock import writer_lock

    db = tmp_path / "c.db"
    path = write_jsonl(tmp_path / "a.jsonl", [json.dumps(r) for r in RECORDS])
    with writer_lock(db), pytest.raises(InputError, match="another ingest is writing"):
        run(db, [path])
    summary, store = run(db, [path])  # released: the next ingest runs
    with store:
        assert summary.ingested == 3


def test_the_cli_refuses_a_second_ingest_with_exit_2(tmp_path: Path) -> None:
    from conftest import run_rashomon
    from rashomon.corpus.lock import writer_lock

    db = tmp_path / "c.db"
    path = write_jsonl(tmp_path / "a.jsonl", [json.dumps(r) for r in RECORDS])
    with writer_lock(db):
        result = run_rashomon("ingest", path, "--db", db, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    message = " ".join(result.stderr.split())
    assert f"{db}: another ingest is writing to this corpus (pid " in message
    assert "Wait for it to finish" in message


# --- 9. export -> ingest rebuilds the same corpus ---------------------------------------------

CORPUS = [
    # arrives first, but sorts after its copy: an export by story and id put the copy first
    {**ORIGINAL, "id": "b-wire"},
    {**ORIGINAL, "id": "a-copy", "outlet": "Valley Gazette", "date": "2024-01-02"},
    {
        "id": "c-dated",
        "outlet": "Kelm Courier",
        "date": "2024-01-02",
        # the stored text starts with a second date prefix, which a second reading would strip
        "text": "Fire in Kelm\nJanuary 2, 2024 — January 2, 2024 — A fire broke out in the "
        "port of Kelm on Monday night.\nCrews fought the blaze until dawn.",
    },
    {**RECORDS[1], "date": "2024-01-03"},
    {**RECORDS[2], "date": "2024-01-03"},
]
TABLES = {
    "articles": "SELECT id, url, outlet, title, date, author, text FROM articles ORDER BY id",
    "members": "SELECT story_id, article_id FROM story_members ORDER BY story_id, article_id",
    "copies": "SELECT article_id, origin_id FROM copies ORDER BY article_id",
    "groups": "SELECT article_id, group_id FROM dup_groups ORDER BY article_id",
}


def dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {name: store.conn.execute(sql).fetchall() for name, sql in TABLES.items()}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_then_ingest_into_a_new_corpus_gives_the_same_articles_and_stories(
    tmp_path: Path, fmt: str
) -> None:
    from rashomon.corpus.export import export_rows, write_rows

    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps(r) for r in CORPUS])
    summary, store = run(tmp_path / "first.db", [source])
    exported = tmp_path / f"articles.{fmt}"
    with store:
        assert summary.ingested == len(CORPUS)
        assert store.get_article("c-dated").text.startswith("January 2, 2024 — A fire")  # type: ignore[union-attr]
        write_rows(export_rows(store, "articles"), exported, fmt)  # type: ignore[arg-type]
        first = dump(store)
    again, copy = run(tmp_path / "second.db", [exported])
    with copy:
        assert (again.ingested, again.rejected) == (len(CORPUS), 0)
        assert dump(copy) == first


def test_an_export_row_of_an_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    row = {**RECORDS[0], "schema": "rashomon/article@9"}
    summary, store = run(tmp_path / "c.db", [write_jsonl(tmp_path / "a.jsonl", [json.dumps(row)])])
    with store:
        assert summary.rejected == 1
        assert "rashomon/article@9" in store.errors()[0].reason


# --- 10. every file of a folder that is not read is in errors --------------------------------


def test_folder_ingest_records_every_file_it_does_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    write_jsonl(folder / "a.jsonl", [json.dumps(RECORDS[0])])
    (folder / "sub" / "b.markdown").write_text(  # read from folders too, not only when named
        "# Storm floods Verel\n\nA storm flooded the low streets of Verel.\n", encoding="utf-8"
    )
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not text")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")
    (folder / "old.jsonl.gz").write_bytes(b"\x1f\x8b\x08")
    (folder / "sub" / "up").symlink_to("..")  # a loop: sub/up/sub/up/...
    (folder / "self").symlink_to("self")
    (folder / "gone.txt").symlink_to("nowhere.txt")
    summary, store = run(tmp_path / "c.db", [folder])
    with store:
        assert summary.ingested == 2
        reasons = {Path(e.source).name: e.reason for e in store.errors()}
        assert summary.skipped == len(reasons) == 6
        assert "unsupported file type '.pdf'" in reasons["scan.pdf"]
        assert "unsupported file type '.png'" in reasons["photo.png"]
        assert "unsupported file type '.gz'" in reasons["old.jsonl.gz"]
        assert "symlink loop" in reasons["up"]
        assert "symlink loop" in reasons["self"]
        assert "broken symlink" in reasons["gone.txt"]


def test_a_symlinked_folder_is_read_once(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    write_jsonl(outside / "a.jsonl", [json.dumps(RECORDS[2])])
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "linked").symlink_to(outside)
    summary, store = run(tmp_path / "c.db", [folder])
    with store:
        assert (summary.ingested, summary.skipped) == (1, 0)


def test_a_missing_model_stops_the_ingest_instead_of_rejecting_every_article(
    tmp_path: Path,
) -> None:
    from rashomon.errors import ModelMissingError

    class NoModel(FakeParser):
        def parse(self, texts: Sequence[str]) -> list[ParsedText]:
            raise ModelMissingError("en_core_web_sm", "en-core-web-sm")

    path = write_jsonl(tmp_path / "a.jsonl", [json.dumps(r) for r in RECORDS])
    with pytest.raises(ModelMissingError):
        run(tmp_path / "c.db", [path], preparer=LocalPreparer(NoModel(), FakeEmbedder()))
    with open_store(tmp_path / "c.db") as store:
        assert store.errors() == []


# --- 11. every input not stored is named as it is recorded, and `rashomon errors` lists them ---


def test_ingest_tells_each_input_it_does_not_store(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [json.dumps(RECORDS[0]), SURROGATE, "{broken"])
    conflict = write_jsonl(tmp_path / "b.jsonl", [json.dumps({**RECORDS[0], "text": "Other."})])
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "scan.pdf").write_bytes(b"%PDF-1.4")
    told: list[tuple[str, str, int | None, str | None]] = []
    store = open_store(tmp_path / "c.db")
    with store:
        summary = ingest(
            store,
            [path, conflict, tmp_path / "news"],
            settings=SETTINGS,
            preparer=fake_preparer(),
            ingested_at="2024-06-01T00:00:00+00:00",
            on_reject=lambda kind, err, record: told.append((kind, err.where, err.line, record)),
        )
        assert (summary.rejected, summary.id_conflicts, summary.skipped) == (2, 1, 1)
        assert len(store.errors()) == len(told) == 4
    assert told == [
        ("rejected", str(path), 2, None),
        ("rejected", str(path), 3, None),
        ("id conflict", str(conflict), None, "kelm-fire"),
        ("skipped", str(tmp_path / "news" / "scan.pdf"), None, None),
    ]


def test_the_ingest_command_names_rejected_records_and_errors_lists_them(tmp_path: Path) -> None:
    from conftest import run_rashomon

    path = write_jsonl(tmp_path / "a.jsonl", [SURROGATE, '{"id": "x", "outlet": "Osk"}'])
    db = tmp_path / "c.db"
    result = run_rashomon("ingest", path, "--db", db, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    said = " ".join(result.stderr.split())
    assert f"rejected [R100] {path}:1: " in said
    assert "lone surrogate" in said
    assert f"rejected [R100] {path}:2: record has no text field" in said
    assert f"list them all with: rashomon errors --db {db}" in said
    listed = run_rashomon("errors", "--db", db, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["source"], r["line"], r["code"]) for r in rows] == [
        (str(path), 1, "R100"),
        (str(path), 2, "R100"),
    ]
    assert "record has no text field" in rows[1]["reason"]
    table = run_rashomon("errors", "--db", db)
    assert table.returncode == 0, table.stderr
    assert "record has no text field" in table.stdout
    assert "2 errors in" in table.stderr
    csv_rows = run_rashomon("errors", "--db", db, "--format", "csv").stdout.splitlines()
    assert csv_rows[0] == "source,line,record,code,reason"
    assert len(csv_rows) == 3


def test_the_ingest_command_names_the_first_twenty_and_counts_the_rest(tmp_path: Path) -> None:
    from conftest import run_rashomon

    lines = [json.dumps({"id": f"x{n}", "outlet": "Osk"}) for n in range(23)]
    path = write_jsonl(tmp_path / "a.jsonl", lines)
    result = run_rashomon("ingest", path, "--db", tmp_path / "c.db", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    said = " ".join(result.stderr.split())
    assert f"{path}:20: record has no text field" in said
    assert f"{path}:21:" not in said
    assert "3 more not shown; list them all with: rashomon errors --db" in said
