"""Reading input files: encodings, front matter, sidecars, rejections with reasons."""

from __future__ import annotations

import codecs

import pytest

from pressreview.read import read_corpus

TEXT = "Größe und Grüße aus Köln. Die Börse zeigt sich begeistert – „Kursfeuerwerk“ für Aktionäre.\n"


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16", b""), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE), ("cp1252", b""),
])
def test_encodings_are_detected(tmp_path, encoding, prefix):
    (tmp_path / "a.txt").write_bytes(prefix + TEXT.encode(encoding))
    docs, rejected = read_corpus(tmp_path)
    assert rejected == []
    assert docs[0].text == TEXT
    assert "\ufeff" not in docs[0].text


def test_latin1_text_is_read(tmp_path):
    text = "Größe und Grüße aus Köln, ein längerer Satz über Bäume, Flüsse und Straßen in Österreich.\n"
    (tmp_path / "a.txt").write_bytes(text.encode("latin-1"))
    docs, rejected = read_corpus(tmp_path)
    assert docs[0].text == text


def test_newlines_and_nfc(tmp_path):
    (tmp_path / "a.txt").write_bytes("Zeile eins.\r\nZeile zwei.\rZeile drei mit Ka\u0308se.  \n".encode())
    docs, _ = read_corpus(tmp_path)
    assert docs[0].text == "Zeile eins.\nZeile zwei.\nZeile drei mit Käse.\n"


@pytest.mark.parametrize("content,reason", [
    (b"", "empty file"),
    (b"  \n\n \t\n", "empty file"),
    (bytes(range(256)) * 20, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    (b"---\ntitle: [unclosed\n---\nText.\n", "front matter is not valid YAML"),
    (b"---\nlanguage: fr\n---\nText.\n", "'language' must be 'de' or 'en'"),
    (b"---\n- a\n- b\n---\nText.\n", "front matter must be a mapping"),
    (b"---\ntitle: Nur Kopf\n---\n\n", "no article text"),
])
def test_bad_files_are_rejected_with_a_reason_and_others_go_on(tmp_path, content, reason):
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_text("Ein guter Artikel.\n", encoding="utf-8")
    docs, rejected = read_corpus(tmp_path)
    assert [d.source_path for d in docs] == ["good.txt"]
    assert len(rejected) == 1 and rejected[0].source_path == "bad.txt"
    assert reason in rejected[0].reason


def test_front_matter_and_sidecar(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: Aus dem Kopf\ndate: 2025-09-18\nextra: 1\n---\n# Überschrift\n\nText.\n")
    (tmp_path / "b.txt").write_text("---\ntitle: Kopf\n---\nText.\n")
    (tmp_path / "b.yml").write_text("title: Vom Beiwagen\nlanguage: en\n")
    docs, rejected = read_corpus(tmp_path)
    assert rejected == []
    a, b = docs
    assert a.meta["title"] == "Aus dem Kopf" and a.meta["date"] == "2025-09-18"
    assert any("unknown key 'extra'" in w for w in a.warnings)
    assert a.text.startswith("# Überschrift")
    assert b.meta["title"] == "Vom Beiwagen" and b.meta["language"] == "en"
    assert b.meta["_sidecar_keys"] == ["language", "title"]


def test_bad_sidecar_rejects_its_article(tmp_path):
    (tmp_path / "a.txt").write_text("Text.\n")
    (tmp_path / "a.yml").write_text("title: [\n")
    docs, rejected = read_corpus(tmp_path)
    assert docs == [] and "sidecar a.yml is not valid YAML" in rejected[0].reason


def test_awkward_file_names_and_order(tmp_path):
    for name in ("z.txt", "mit Leerzeichen & Ümlaut.txt", "sub/ä.md", ".hidden.txt", "notes.yml", "x.html"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("Text.\n")
    docs, rejected = read_corpus(tmp_path)
    assert [d.source_path for d in docs] == ["mit Leerzeichen & Ümlaut.txt", "sub/ä.md", "z.txt"]


def test_sha256_is_of_the_input_bytes(tmp_path):
    import hashlib

    data = codecs.BOM_UTF8 + b"Text.\r\n"
    (tmp_path / "a.txt").write_bytes(data)
    docs, _ = read_corpus(tmp_path)
    assert docs[0].sha256 == hashlib.sha256(data).hexdigest()
