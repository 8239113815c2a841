"""The search index at scale (issue 8): searches answered from the trigram index alone, and
index entries of deleted pastes that are taken out later (migration 0004), black box."""

import uuid

from conftest import Server, create_paste, paste_ids, run_cli


def word() -> str:
    """An ASCII marker without 'i' (hex digits and 'z'): answered from the index alone."""
    return "zz" + uuid.uuid4().hex[:12]


def search(srv, term: str) -> tuple[list[int], str]:
    r = srv.get("/all/", params={"q": term})
    assert r.status_code == 200, r.text[:500]
    return paste_ids(r.text), r.text


def test_search_lists_and_counts_the_matches(make_server):
    srv = make_server()
    w = word()
    made = [create_paste(srv, title=f"t{n}", body=f"line {n}\n{w.upper()} here").id
            for n in range(3)]
    create_paste(srv, title="other", body="nothing")
    ids, page = search(srv, w)
    assert sorted(ids) == sorted(made)
    assert "3 pastes" in page
    ids, page = search(srv, w[:-1] + "y" if w[-1] != "y" else w[:-1] + "x")
    assert ids == []


def test_reimported_ids_do_not_match_the_text_they_replaced(make_server, tmp_path):
    """import --force deletes every paste and writes the dump's, with the same ids: the
    index entries of the deleted text must be gone before the new text is indexed."""
    srv = make_server()
    old, new = word(), word()
    first = create_paste(srv, title="first", body=f"old text {old}").id
    second = create_paste(srv, title="second", body="stays").id
    dump = tmp_path / "d.jsonl"
    assert srv.cli("export", dump).returncode == 0
    srv.stop()
    text = dump.read_text(encoding="utf-8")
    assert text.count(old) == 1
    dump.write_text(text.replace(old, new), encoding="utf-8")  # same length, same size
    r = run_cli("import", dump, "--force", "--database-url", srv.database_url)
    assert r.returncode == 0, r.stderr

    srv2 = Server(tmp_path / "again", database_url=srv.database_url)
    try:
        srv2.wait_ready()
        assert search(srv2, old)[0] == []
        assert search(srv2, new)[0] == [first]
        assert search(srv2, "stays")[0] == [second]
    finally:
        assert srv2.stop() == 0, srv2.describe()
