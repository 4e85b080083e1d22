"""OPML reading and writing: structure, leniency, safety, round trips."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

from cmdesk.core.opml import (
    OpmlDocument,
    OpmlError,
    OpmlFeed,
    OpmlSkipped,
    parse_opml,
    strip_credentials,
    write_opml,
)

# The repo's parent holds `shared/` beside it, here and in CI alike.
SHARED_OPML = Path(__file__).resolve().parents[3] / "shared" / "data" / "opml"


def opml(body: str, head: str = "<title>My feeds</title>") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<opml version="2.0">\n<head>{head}</head>\n<body>\n{body}\n</body>\n</opml>\n'
    ).encode("utf-8")


def round_trip(doc: OpmlDocument) -> OpmlDocument:
    return parse_opml(write_opml(doc.title, doc.folders, doc.feeds, now=0))


# ------------------------------------------------------------------ structure


def test_nested_folders_give_paths_and_parents_first():
    doc = parse_opml(
        opml(
            """
<outline text="Top" xmlUrl="https://top.example/feed" htmlUrl="https://top.example/"/>
<outline text="Tech" title="Tech">
  <outline text="Python" title="Python">
    <outline type="rss" text="PyPI" title="PyPI recent" xmlUrl="https://pypi.org/rss/updates.xml"/>
  </outline>
  <outline type="atom" text="LWN" xmlUrl="https://lwn.net/headlines/rss"/>
</outline>
<outline text="News">
  <outline text="Le Monde" xmlUrl="https://www.lemonde.fr/rss/une.xml"/>
</outline>"""
        )
    )
    assert doc.title == "My feeds"
    assert doc.feeds == (
        OpmlFeed("https://top.example/feed", "Top", "https://top.example/", ()),
        OpmlFeed("https://pypi.org/rss/updates.xml", "PyPI recent", None, ("Tech", "Python")),
        OpmlFeed("https://lwn.net/headlines/rss", "LWN", None, ("Tech",)),
        OpmlFeed("https://www.lemonde.fr/rss/une.xml", "Le Monde", None, ("News",)),
    )
    assert doc.folders == (("Tech",), ("Tech", "Python"), ("News",))
    assert doc.skipped == () and doc.repairs == ()


def test_empty_folders_are_kept():
    doc = parse_opml(
        opml(
            """
<outline text="Empty" title="Empty"/>
<outline text="Only broken"><outline text="Lost" type="rss"/></outline>
<outline text="Parent"><outline text="Child"></outline></outline>"""
        )
    )
    assert doc.feeds == ()
    assert doc.folders == (("Empty",), ("Only broken",), ("Parent",), ("Parent", "Child"))
    assert doc.skipped == (OpmlSkipped("Lost", "no_xml_url", 7),)


def test_outline_without_xml_url_is_reported_not_fatal():
    doc = parse_opml(
        opml(
            """<outline text="Lost feed" type="rss" htmlUrl="https://lost.example/"/>
<outline text="Bookmark" type="link" url="https://example.com/"/>
<outline text=""/>
<outline text="Kept" xmlUrl="https://kept.example/feed"/>"""
        )
    )
    assert [f.title for f in doc.feeds] == ["Kept"]
    assert doc.skipped == (
        OpmlSkipped("Lost feed", "no_xml_url", 5),
        OpmlSkipped("Bookmark", "no_xml_url", 6),
        OpmlSkipped("", "no_xml_url", 7),
    )


def test_duplicate_urls_first_wins_and_are_reported():
    doc = parse_opml(
        opml(
            """<outline text="First" xmlUrl="https://a.example/feed"/>
<outline text="Folder">
  <outline text="Second" xmlUrl="https://A.EXAMPLE/feed"/>
  <outline text="Third" xmlUrl="https://a.example/feed"/>
</outline>"""
        )
    )
    assert doc.feeds == (OpmlFeed("https://a.example/feed", "First", None, ()),)
    assert doc.folders == (("Folder",),)
    assert doc.skipped == (
        OpmlSkipped("Second", "duplicate", 7),
        OpmlSkipped("Third", "duplicate", 8),
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "bad_scheme"),
        ("file:///etc/passwd", "bad_scheme"),
        ("ftp://example.com/feed", "bad_scheme"),
        ("/relative/feed.xml", "bad_scheme"),
        ("data:text/xml,<rss/>", "bad_scheme"),
        ("http://", "bad_url"),
        ("http://[::1/feed", "bad_url"),
    ],
)
def test_non_http_urls_are_skipped(url, reason):
    doc = parse_opml(opml(f"<outline text='Bad' xmlUrl={quoteattr(url)}/>"))
    assert doc.feeds == ()
    assert doc.skipped == (OpmlSkipped("Bad", reason, 5),)


def test_feed_scheme_and_uppercase_http_are_accepted():
    doc = parse_opml(
        opml(
            """<outline text="a" xmlUrl="feed://a.example/rss"/>
<outline text="b" xmlUrl="feed:https://b.example/rss"/>
<outline text="c" xmlUrl="  HTTPS://c.example/rss  "/>"""
        )
    )
    assert [f.url for f in doc.feeds] == [
        "http://a.example/rss",
        "https://b.example/rss",
        "HTTPS://c.example/rss",
    ]


def test_feed_with_children_is_a_feed_and_its_children_stay_in_its_folder():
    doc = parse_opml(
        opml(
            """<outline text="Dir"><outline text="Parent" xmlUrl="https://p.example/feed">
  <outline text="Kid" xmlUrl="https://k.example/feed"/>
</outline></outline>"""
        )
    )
    assert [(f.title, f.folder) for f in doc.feeds] == [("Parent", ("Dir",)), ("Kid", ("Dir",))]
    assert doc.folders == (("Dir",),)


def test_title_falls_back_to_text_and_whitespace_is_collapsed():
    doc = parse_opml(
        opml(
            """<outline text="  Text\n  only " xmlUrl="https://a.example/"/>
<outline title="  " text="Blank title" xmlUrl="https://b.example/"/>
<outline xmlUrl="https://c.example/" type="rss"/>
<outline text="">
  <outline text="In untitled wrapper" xmlUrl="https://d.example/"/>
</outline>"""
        )
    )
    assert [(f.title, f.folder) for f in doc.feeds] == [
        ("Text only", ()),
        ("Blank title", ()),
        ("", ()),
        ("In untitled wrapper", ()),
    ]
    assert doc.folders == ()


def test_attribute_names_are_case_insensitive_and_type_is_free():
    doc = parse_opml(
        opml(
            """<outline TEXT="a" XMLURL="https://a.example/" HTMLURL="https://a.example/site"/>
<outline text="b" xmlurl="https://b.example/" type="whatever"/>"""
        )
    )
    assert doc.feeds == (
        OpmlFeed("https://a.example/", "a", "https://a.example/site", ()),
        OpmlFeed("https://b.example/", "b", None, ()),
    )


def test_category_attribute_is_a_folder_only_at_top_level():
    doc = parse_opml(
        opml(
            """<outline text="a" xmlUrl="https://a.example/" category="tag,/Tech/News"/>
<outline text="Dir"><outline text="b" xmlUrl="https://b.example/" category="/Other"/></outline>
<outline text="c" xmlUrl="https://c.example/" category="justatag"/>"""
        )
    )
    assert [f.folder for f in doc.feeds] == [("Tech", "News"), ("Dir",), ()]
    assert doc.folders == (("Tech",), ("Tech", "News"), ("Dir",))


def test_html_site_url_must_be_http():
    doc = parse_opml(opml('<outline text="a" xmlUrl="https://a.example/" htmlUrl="javascript:x"/>'))
    assert doc.feeds[0].site_url is None


def test_missing_head_and_body_are_tolerated():
    doc = parse_opml(b"<opml><body/></opml>")
    assert doc == OpmlDocument("", (), (), ())
    assert parse_opml(b"<opml/>").feeds == ()


# ------------------------------------------------------------------ leniency


def test_raw_ampersands_are_escaped_on_retry():
    doc = parse_opml(
        opml(
            """<outline text="Tom & Jerry &amp; co" xmlUrl="https://a.example/rss?a=1&b=2"/>
<outline text="Caf&eacute; &unknown; &#233;" xmlUrl="https://b.example/?x=1&amp;y=2"/>"""
        )
    )
    assert doc.repairs == ("bare_ampersands",)
    assert [(f.title, f.url) for f in doc.feeds] == [
        ("Tom & Jerry & co", "https://a.example/rss?a=1&b=2"),
        ("Café &unknown; é", "https://b.example/?x=1&y=2"),
    ]


def test_raw_quotes_and_html_in_attributes_are_repaired():
    doc = parse_opml(
        opml(
            """<outline text="Dir">
<outline text="Gazeta "K". News" title="Gazeta "K". News" description="<p>Hi</p> by <a href="https://x.example" target="_blank">X</a>." xmlUrl="https://k.example/rss" type="rss" />
<outline text="Line 6" description="a <br>
b" xmlUrl="https://l.example/rss"/>
<outline text="Fine &amp; valid" xmlUrl="https://f.example/rss"/>
</outline>"""
        )
    )
    assert doc.repairs == ("outline_attributes",)
    assert [f.title for f in doc.feeds] == ['Gazeta "K". News', "Line 6", "Fine & valid"]
    assert [f.url for f in doc.feeds][:2] == ["https://k.example/rss", "https://l.example/rss"]
    assert doc.folders == (("Dir",),)


def test_repair_keeps_line_numbers():
    doc = parse_opml(
        opml(
            """<outline text="a & b" description="x <br>
<br>
y"
   xmlUrl="https://a.example/"/>
<outline text="gone" type="rss"/>"""
        )
    )
    assert doc.skipped == (OpmlSkipped("gone", "no_xml_url", 9),)


def test_retry_happens_once_then_gives_up():
    with pytest.raises(OpmlError) as caught:
        parse_opml(opml('<outline text="a & b" xmlUrl="https://a.example/">'))
    assert str(caught.value).startswith("malformed OPML: mismatched tag at line ")
    assert caught.value.code == "malformed"


# ------------------------------------------------------------------ safety


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<opml><head><title>&lol9;</title></head><body/></opml>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml><body><outline text="&xxe;" xmlUrl="https://a.example/"/></body></opml>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<opml><body/></opml>"""

BROKEN_BEFORE_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY e "boom">]>
<opml><body><outline text="a & &e;" xmlUrl="https://a.example/"/></body></opml>"""


@pytest.mark.parametrize(
    "data", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, BROKEN_BEFORE_ENTITY]
)
def test_entity_declarations_are_refused(data):
    with pytest.raises(OpmlError, match="^OPML with entity declarations is refused$") as caught:
        parse_opml(data)
    assert caught.value.code == "entities"


def test_doctype_without_entities_is_fine():
    doc = parse_opml(b'<!DOCTYPE opml><opml><body><outline text="a" xmlUrl="http://a.example/"/></body></opml>')
    assert len(doc.feeds) == 1


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        b"<!doctype html>\n<html><head><meta charset=utf-8><title>Hi</title><body><p>x",
        b"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
        b"\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n<html><body>&nbsp;</body></html>",
    ],
)
def test_html_is_not_opml(data):
    with pytest.raises(OpmlError, match=r"^not an OPML file: root element is <html>$") as caught:
        parse_opml(data)
    assert caught.value.code == "not_opml"


def test_other_xml_is_not_opml():
    with pytest.raises(OpmlError, match=r"^not an OPML file: root element is <rss>$"):
        parse_opml(b'<rss version="2.0"><channel/></rss>')


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"\x00\x01\x02garbage\xff\xfe",
        b"just some text",
        b'{"feeds": []}',
        b"<opml><body><outline",
        bytes(range(256)) * 4,
    ],
)
def test_garbage_raises_a_one_line_opml_error(data):
    with pytest.raises(OpmlError) as caught:
        parse_opml(data)
    message = str(caught.value)
    assert message and "\n" not in message
    assert message.startswith(("malformed OPML: ", "not an OPML file: "))


def test_malformed_message_names_line_and_column():
    with pytest.raises(OpmlError, match=r"^malformed OPML: not well-formed \(invalid token\) at line 3, column 4$"):
        parse_opml(b"<opml>\n<body>\n<a <<\n</body></opml>")


# ------------------------------------------------------------------ encodings


def test_declared_encoding_is_honoured():
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><opml><body><outline text="Café" xmlUrl="https://a.example/"/></body></opml>'
    assert parse_opml(data.encode("latin-1")).feeds[0].title == "Café"
    data = data.replace("ISO-8859-1", "windows-1251").replace("Café", "Кафе")
    assert parse_opml(data.encode("cp1251")).feeds[0].title == "Кафе"


def test_utf8_bom_and_utf16_are_accepted():
    data = opml('<outline text="Ωmega" xmlUrl="https://a.example/"/>')
    assert parse_opml(b"\xef\xbb\xbf" + data).feeds[0].title == "Ωmega"
    utf16 = data.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert parse_opml(utf16).feeds[0].title == "Ωmega"
    assert parse_opml(b"  \n" + data).feeds[0].title == "Ωmega"


def test_invalid_utf8_falls_back_to_windows_1252():
    doc = parse_opml(b'<opml><body><outline text="Caf\xe9 \x93q\x94" xmlUrl="https://a.example/"/></body></opml>')
    assert doc.feeds[0].title == "Café \u201cq\u201d"
    assert doc.repairs == ("encoding_fallback",)


def test_unknown_encoding_is_an_error():
    with pytest.raises(OpmlError, match="unknown encoding 'klingon'") as caught:
        parse_opml(b'<?xml version="1.0" encoding="klingon"?><opml/>')
    assert caught.value.code == "encoding"


# ------------------------------------------------------------------ writing


def test_write_is_pretty_opml2_with_head_and_nested_folders():
    data = write_opml(
        "Mine",
        [("Tech",), ("Tech", "Empty"), ("Solo",)],
        [
            OpmlFeed("https://a.example/rss", "A", "https://a.example/", ("Tech",)),
            OpmlFeed("https://b.example/rss", "B", None, ()),
        ],
        now=0,
    )
    text = data.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>')
    root = ET.fromstring(data)
    assert root.findtext("head/title") == "Mine"
    assert root.findtext("head/dateCreated") == "Thu, 01 Jan 1970 00:00:00 GMT"
    tech = root.find("body/outline")
    assert tech.attrib == {"text": "Tech", "title": "Tech"}
    feed = tech.find("outline[@xmlUrl]")
    assert feed.attrib == {
        "type": "rss",
        "text": "A",
        "title": "A",
        "xmlUrl": "https://a.example/rss",
        "htmlUrl": "https://a.example/",
    }
    assert tech.find("outline[@text='Empty']").attrib == {"text": "Empty", "title": "Empty"}
    assert "htmlUrl" not in root.find("body/outline[@text='B']").attrib
    assert '\n      <outline type="rss" text="A"' in text  # indented
    assert parse_opml(data).folders == (("Tech",), ("Tech", "Empty"), ("Solo",))


def test_write_escapes_attribute_values():
    title = 'Tom & "Jerry" <b>\'s\'</b>\x01'
    url = 'https://a.example/rss?a=1&b="2"<'
    data = write_opml("T & <T>", [], [OpmlFeed(url, title, None, ('F "&" <x>',))], now=0)
    doc = parse_opml(data)
    assert doc.repairs == ()
    assert doc.title == "T & <T>"
    assert doc.feeds == (OpmlFeed(url, "Tom & \"Jerry\" <b>'s'</b>", None, ('F "&" <x>',)),)


def test_write_strips_credentials():
    data = write_opml(
        "t",
        [],
        [OpmlFeed("https://user:s3cret@a.example/rss", "A", "http://me@a.example:8080/x@y", ())],
        now=0,
    )
    assert b"s3cret" not in data and b"user" not in data and b"me@" not in data
    feed = parse_opml(data).feeds[0]
    assert feed.url == "https://a.example/rss"
    assert feed.site_url == "http://a.example:8080/x@y"


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://u:p@host/path", "https://host/path"),
        ("https://u:p@w@host:81/p?q=a@b#c@d", "https://host:81/p?q=a@b#c@d"),
        ("http://host/a@b", "http://host/a@b"),
        ("https://[::1]:8443/x", "https://[::1]:8443/x"),
        ("http://token@[::1]/x", "http://[::1]/x"),
        ("mailto:a@b.example", "mailto:a@b.example"),
    ],
)
def test_strip_credentials(url, clean):
    assert strip_credentials(url) == clean


def test_write_fills_in_missing_parent_folders():
    data = write_opml("t", [("A", "B", "C")], [OpmlFeed("https://x.example/", "x", None, ("Q", "R"))], now=0)
    doc = parse_opml(data)
    assert doc.folders == (("Q",), ("Q", "R"), ("A",), ("A", "B"), ("A", "B", "C"))


def test_write_keeps_feed_order_even_when_a_folder_comes_back():
    folders = (("X",),)
    feeds = (
        OpmlFeed("https://1.example/", "1", None, ("X",)),
        OpmlFeed("https://2.example/", "2", None, ()),
        OpmlFeed("https://3.example/", "3", None, ("X",)),
    )
    doc = parse_opml(write_opml("t", folders, feeds, now=0))
    assert (doc.feeds, doc.folders) == (feeds, folders)


def test_write_default_date_is_now():
    root = ET.fromstring(write_opml("t", [], []))
    assert root.findtext("head/dateCreated").endswith(" GMT")


# ------------------------------------------------------------------ round trips

NAMES = ["News", "Tech", "A & B", 'Say "hi"', "<b>", "Ça va", "日本", "  spaced  out ", "x/y", "News"]


def random_opml(rng: random.Random) -> bytes:
    """A random but well-formed OPML document with folders, feeds and junk."""
    counter = iter(range(10_000))

    def outlines(depth: int) -> str:
        parts = []
        for _ in range(rng.randint(0, 4)):
            kind = rng.random()
            name = quoteattr(rng.choice(NAMES))
            if kind < 0.45:
                n = next(counter) % rng.choice([5, 1000])  # sometimes duplicates
                site = f' htmlUrl="https://s{n}.example/"' if rng.random() < 0.5 else ""
                attr = rng.choice(["title", "text"])
                parts.append(f'<outline {attr}={name} xmlUrl="https://f{n}.example/rss?a=1&amp;b=2"{site}/>')
            elif kind < 0.55:
                parts.append(f"<outline text={name} xmlUrl={quoteattr(rng.choice(['javascript:x', 'file:///x']))}/>")
            elif kind < 0.62:
                parts.append(f"<outline text={name}/>")  # empty folder
            elif kind < 0.67:
                parts.append(f'<outline text={name} type="rss"/>')  # lost its xmlUrl
            elif depth < 4:
                parts.append(f"<outline text={name}>{outlines(depth + 1)}</outline>")
        return "\n".join(parts)

    return opml(outlines(0), head=f"<title>{escape(rng.choice(NAMES))}</title>")


def test_round_trip_property():
    rng = random.Random(20240501)
    for _ in range(300):
        doc = parse_opml(random_opml(rng))
        again = round_trip(doc)
        assert (again.title, again.feeds, again.folders) == (doc.title, doc.feeds, doc.folders)
        assert again.skipped == ()
        written = write_opml(doc.title, doc.folders, doc.feeds, now=0)
        assert write_opml(again.title, again.folders, again.feeds, now=0) == written


def shared_opml_files():
    if not SHARED_OPML.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{SHARED_OPML} is missing"))]
    files = sorted(SHARED_OPML.rglob("*.opml"))
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no .opml under {SHARED_OPML}"))]
    return [pytest.param(path, id=str(path.relative_to(SHARED_OPML))) for path in files]


@pytest.mark.parametrize("path", shared_opml_files())
def test_shared_opml_files_parse_and_round_trip(path):
    data = path.read_bytes()
    doc = parse_opml(data)
    assert doc.feeds
    # Repairs must not lose an outline: each xmlUrl is a feed or a reported skip.
    assert len(doc.feeds) + len(doc.skipped) == data.count(b"xmlUrl=")
    again = round_trip(doc)
    assert (again.title, again.feeds, again.folders) == (doc.title, doc.feeds, doc.folders)
    assert again.skipped == () and again.repairs == ()
