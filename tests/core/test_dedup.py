"""Duplicate detection: redirect unwrapping, canonical URLs, SimHash and the index."""

from __future__ import annotations

import base64
import random
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from cmdesk.core.dedup import (
    MIN_WORDS,
    DuplicateEntry,
    DuplicateIndex,
    canonical_url,
    hamming_distance,
    near_duplicate,
    text_fingerprint,
    unwrap_redirect,
)

# Verbatim from a real Google Alerts Atom feed (feedjira's fixture).
REAL_ALERT_LINK = (
    "https://www.google.com/url?rct=j&sa=t&url=https://investorplace.com/2019/07/slack-stock-truly-compelling/"
    "&ct=ga&cd=CAIyHGU4ZTJkZjQ3OTVkYmIzMTc6Y28uanA6ZW46SlA&usg=AFQjCNEZXRySX8eW_IyksUe5d7lidLUXxg"
)


def google_news_link(target: str, amp: str | None = None) -> str:
    """An older-style Google News article link: base64url protobuf with the URL in field 4."""
    body = target.encode()
    payload = b"\x08\x13\x22" + _varint(len(body)) + body
    if amp:
        amp_b = amp.encode()
        payload += b"\xd2\x01" + _varint(len(amp_b)) + amp_b
    token = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"https://news.google.com/rss/articles/{token}?oc=5"


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


# -- unwrap_redirect ----------------------------------------------------------

def test_real_google_alerts_link_unwraps():
    assert unwrap_redirect(REAL_ALERT_LINK) == "https://investorplace.com/2019/07/slack-stock-truly-compelling/"


def test_every_link_of_a_real_google_alerts_feed_unwraps(shared_data):
    path = shared_data / "feeds" / "feedjira" / "google_alerts_atom.xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [e.get("href") for e in ET.parse(path).getroot().iterfind("a:entry/a:link", ns)]
    assert len(links) >= 10
    for link in links:
        assert link.startswith("https://www.google.com/url?")
        # Independent oracle: the text between "url=" and "&ct=" (how people do it by hand).
        expected = link.split("&url=", 1)[1].split("&ct=", 1)[0]
        assert unwrap_redirect(link) == expected
        assert "google.com" not in canonical_url(link)


def test_alert_target_with_its_own_raw_query_keeps_it():
    link = "https://www.google.com/url?rct=j&sa=t&url=https://example.com/article?id=12&page=2&ct=ga&cd=XYZ&usg=AFQ"
    assert unwrap_redirect(link) == "https://example.com/article?id=12&page=2"


def test_alert_target_percent_encoded_is_decoded():
    link = (
        "https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fwww.lemonde.fr%2Feconomie%2Farticle%3Fid%3D7%26x%3Dy"
        "&ct=ga&cd=CAI&usg=AFQ"
    )
    assert unwrap_redirect(link) == "https://www.lemonde.fr/economie/article?id=7&x=y"


def test_alert_target_with_clear_scheme_and_encoded_query_is_decoded():
    # Google Alerts' usual shape: the scheme in clear, "?", "=" and "&" encoded.
    link = ("https://www.google.com/url?rct=j&sa=t&url=https://www.youtube.com/watch%3Fv%3DvnXmLpQt5nk"
            "%26utm_source%3Dalert&ct=ga&cd=CAIyGg&usg=AOvVaw")
    assert unwrap_redirect(link) == "https://www.youtube.com/watch?v=vnXmLpQt5nk&utm_source=alert"
    assert canonical_url(link) == canonical_url("https://www.youtube.com/watch?v=vnXmLpQt5nk")


def test_alert_link_html_escaped_ampersands():
    link = "https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://example.org/a&amp;ct=ga&amp;usg=AFQ"
    assert unwrap_redirect(link) == "https://example.org/a"


@pytest.mark.parametrize(
    "link, target",
    [
        ("https://www.google.com/url?q=https://example.com/page&sa=U&ved=2ahUKE&usg=AOvVaw", "https://example.com/page"),
        ("https://www.google.fr/url?sa=t&url=https%3A%2F%2Fexample.fr%2F&source=web", "https://example.fr/"),
        ("https://google.co.uk/url?q=http://example.co.uk/x", "http://example.co.uk/x"),
        ("https://www.google.com.br/url?q=https://g1.globo.com/a.ghtml&sa=D", "https://g1.globo.com/a.ghtml"),
        (
            "https://news.google.com/news/url?sa=t&fd=R&ct2=us&usg=AFQjCN&url=https://www.reuters.com/article/x",
            "https://www.reuters.com/article/x",
        ),
        (
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.example.com%2Fstory%3Fa%3D1&h=AT0abc&s=1",
            "https://www.example.com/story?a=1",
        ),
        ("https://lm.facebook.com/l.php?u=https%3A%2F%2Fexample.com%2F&h=x", "https://example.com/"),
        (
            "https://alerts.talkwalker.com/alerts/redirect?url=https%3A%2F%2Fwww.example.com%2Fnews%2F1&t=abc",
            "https://www.example.com/news/1",
        ),
        ("https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fexample.com%2Fp&urlhash=abc", "https://example.com/p"),
        ("https://www.youtube.com/redirect?event=video_description&q=https%3A%2F%2Facme.io%2F", "https://acme.io/"),
        ("https://out.reddit.com/t3_abc?url=https%3A%2F%2Fexample.com%2Fq&token=Aq", "https://example.com/q"),
        (
            "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample.com%2Fm&data=05%7C01",
            "https://example.com/m",
        ),
        ("https://duckduckgo.com/l/?uddg=https%3A%2F%2Fexample.com%2Fd&rut=abc", "https://example.com/d"),
        ("https://www.google.com/amp/s/www.example.com/2024/story.amp", "https://www.example.com/2024/story.amp"),
        ("https://www-example-com.cdn.ampproject.org/c/s/www.example.com/amp/story", "https://www.example.com/amp/story"),
    ],
)
def test_known_redirectors(link, target):
    assert unwrap_redirect(link) == target


def test_nested_wrappers_are_all_removed():
    inner = "https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fexample.com%2Fdeep%3Fk%3Dv&ct=ga"
    outer = "https://l.facebook.com/l.php?u=" + quote(inner, safe="") + "&h=AT1"
    outermost = "https://www.google.com/url?q=" + quote(outer, safe="") + "&sa=U"
    assert unwrap_redirect(outermost) == "https://example.com/deep?k=v"


def test_double_encoded_target():
    link = "https://www.google.com/url?q=https%253A%252F%252Fexample.com%252Fz&sa=U"
    assert unwrap_redirect(link) == "https://example.com/z"


@pytest.mark.parametrize(
    "link",
    [
        "https://www.google.com/url?q=javascript:alert(1)&sa=U",
        "https://www.google.com/url?q=/search%3Fq%3Dacme&sa=U",  # relative: not a web URL
        "https://l.facebook.com/l.php?u=file%3A%2F%2F%2Fetc%2Fpasswd",
        "https://l.facebook.com/l.php?u=data%3Atext%2Fhtml%2C%3Cscript%3E",
        "https://www.google.com/url?sa=t&ct=ga",  # no target at all
        "https://l.facebook.com/l.php?u=https%3A%2F%2F",  # no host
    ],
)
def test_non_web_targets_keep_the_wrapper(link):
    assert unwrap_redirect(link) == link


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/search?url=https://other.example/",  # ?url= on an unknown host
        "https://blog.example.org/share?u=https%3A%2F%2Fx.example%2F",
        "https://www.google.com/search?q=https://example.com/",  # not /url
        "https://www.facebook.com/acme/posts/123?u=https%3A%2F%2Fx.example",  # not /l.php
        "https://googlex.com/url?q=https://example.com/",  # look-alike host
        "mailto:someone@example.com",
        "not a url at all",
    ],
)
def test_other_urls_are_left_alone(link):
    assert unwrap_redirect(link) == link


def test_unwrap_strips_spaces_and_handles_empty():
    assert unwrap_redirect("") == ""
    assert unwrap_redirect("  https://example.com/a  ") == "https://example.com/a"


def test_google_news_article_with_url_in_clear_is_decoded():
    target = "https://www.bbc.co.uk/news/world-europe-68395050"
    link = google_news_link(target, amp="https://www.bbc.co.uk/news/world-europe-68395050.amp")
    assert link.startswith("https://news.google.com/rss/articles/CBMi")
    assert unwrap_redirect(link) == target
    assert unwrap_redirect(link.replace("/rss/articles/", "/articles/")) == target


def test_google_news_article_with_long_url_uses_two_byte_length():
    target = "https://www.example.com/" + "section/" * 20 + "story-with-a-long-slug"
    assert len(target) > 127
    assert unwrap_redirect(google_news_link(target)) == target


def test_google_news_opaque_article_id_is_kept():
    # 2024+ links: the payload is an opaque id ("AU_yqL..."), no URL inside.
    token = base64.urlsafe_b64encode(b"\x08\x13\x22\x30AU_yqLNotAUrlJustAnOpaqueIdentifierXYZ0123456").decode().rstrip("=")
    link = f"https://news.google.com/rss/articles/{token}?oc=5"
    assert unwrap_redirect(link) == link
    garbage = "https://news.google.com/rss/articles/!!!notbase64!!!"
    assert unwrap_redirect(garbage) == garbage


def test_google_news_payload_with_a_javascript_url_is_kept():
    # Only http(s) counts, even in clear.
    body = b"javascript:alert(1)"
    token = base64.urlsafe_b64encode(b"\x08\x13\x22" + bytes([len(body)]) + body).decode().rstrip("=")
    link = f"https://news.google.com/rss/articles/{token}"
    assert unwrap_redirect(link) == link


# -- canonical_url ------------------------------------------------------------

@pytest.mark.parametrize(
    "url, canon",
    [
        ("HTTPS://WWW.Example.COM/Path", "https://example.com/Path"),  # path case kept
        ("http://example.com/a", "https://example.com/a"),  # scheme folded: a dedup key
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com/a/b/", "https://example.com/a/b"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://example.com/a"),
        ("https://example.com/a?UTM_Source=rss&id=3", "https://example.com/a?id=3"),
        ("https://example.com/a?fbclid=IwAR3x&gclid=abc&mc_cid=1&mc_eid=2", "https://example.com/a"),
        ("https://www.bbc.com/news/x?at_medium=RSS&at_campaign=KARANGA", "https://bbc.com/news/x"),
        ("https://example.com/a?b=2&a=1&c=3", "https://example.com/a?a=1&b=2&c=3"),
        ("https://example.com/a?b=2&a=1&b=1", "https://example.com/a?a=1&b=1&b=2"),
        ("https://example.com/a?q=hello+world", "https://example.com/a?q=hello%20world"),
        ("https://example.com/a?q=hello%20world", "https://example.com/a?q=hello%20world"),
        ("https://example.com/%7euser/%c3%a9t%c3%a9", "https://example.com/~user/%C3%A9t%C3%A9"),
        ("https://user:secret@example.com/a", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://twitter.com/acme/status/1?ref_src=twsrc%5Etfw&s=20&t=abc", "https://x.com/acme/status/1"),
        ("https://mobile.twitter.com/acme/status/1", "https://x.com/acme/status/1"),
        ("https://x.com/acme/status/1?ref=home", "https://x.com/acme/status/1"),
        ("https://example.com/page?ref=home", "https://example.com/page?ref=home"),  # ref kept off X
        ("https://example.com/2024/story/amp", "https://example.com/2024/story"),
        ("https://example.com/2024/story/amp/", "https://example.com/2024/story"),
        ("https://www.bbc.co.uk/news/world-123.amp", "https://bbc.co.uk/news/world-123"),
        ("https://example.com/story?amp=1", "https://example.com/story"),
        ("https://example.com/story?amp", "https://example.com/story"),
        ("https://example.com/story?outputType=amp", "https://example.com/story"),
        ("https://amp.theguardian.com/world/2024/x", "https://theguardian.com/world/2024/x"),
        ("https://example.com/amplifier", "https://example.com/amplifier"),  # not an AMP marker
        ("https://[2001:db8::1]:443/a", "https://[2001:db8::1]/a"),
        ("https://example.com/#!/profile/7", "https://example.com/#!/profile/7"),  # hash-bang route kept
        ("https://example.com/a?flag", "https://example.com/a?flag"),
    ],
)
def test_canonical_url(url, canon):
    assert canonical_url(url) == canon


def test_canonical_url_unwraps_first():
    assert canonical_url(REAL_ALERT_LINK) == "https://investorplace.com/2019/07/slack-stock-truly-compelling"
    wrapped = (
        "https://www.google.com/url?rct=j&sa=t&url=https%3A%2F%2Fwww.example.com%2Fstory%2Famp%2F%3Futm_source%3Dga"
        "&ct=ga&usg=AFQ"
    )
    assert canonical_url(wrapped) == canonical_url("https://example.com/story") == "https://example.com/story"


def test_same_story_through_many_doors_has_one_key():
    doors = [
        "https://www.example.com/2024/05/acme-launch/",
        "http://example.com/2024/05/acme-launch?utm_source=twitter&utm_medium=social",
        "https://www.google.com/url?rct=j&sa=t&url=https://www.example.com/2024/05/acme-launch/&ct=ga&usg=AF",
        google_news_link("https://www.example.com/2024/05/acme-launch/"),
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com%2F2024%2F05%2Facme-launch%2F%3Ffbclid%3DIw&h=AT",
        "https://www.example.com/2024/05/acme-launch/amp/",
        "https://www.google.com/amp/s/www.example.com/2024/05/acme-launch/amp/",
        "https://www.example.com/2024/05/acme-launch/#comments",
    ]
    keys = {canonical_url(d) for d in doors}
    assert keys == {"https://example.com/2024/05/acme-launch"}


@pytest.mark.parametrize("url", ["", "   ", "not a url", "ftp://example.com/file", "javascript:void(0)"])
def test_canonical_url_of_non_web_input_is_returned_as_is(url):
    assert canonical_url(url) == url.strip()


def test_canonical_url_is_idempotent():
    samples = [
        "https://WWW.example.com/a/b/?utm_source=x&z=1&a=%2F",
        "https://x.com/a?s=20",
        REAL_ALERT_LINK,
        "https://example.com/q?name=J%C3%A9r%C3%B4me&x=a+b",
    ]
    for s in samples:
        once = canonical_url(s)
        assert canonical_url(once) == once


def test_canonical_url_never_raises_on_hostile_input():
    for s in ["https://[::1", "https://exa mple.com/", "http://:80", "https://example.com:99999/", "https://%zz/"]:
        assert isinstance(canonical_url(s), str)
        assert isinstance(unwrap_redirect(s), str)


# -- fingerprints -------------------------------------------------------------

PRESS_RELEASE = """Acme Corp today announced the general availability of Acme Cloud Desk, a
collaboration platform that brings chat, video meetings and shared documents into a single
workspace for small and medium businesses. The launch follows an eighteen month beta during
which more than four thousand companies in twelve countries tested the product and shaped
its roadmap. "Our customers told us they were tired of switching between a dozen tools to
get a simple project done," said Marie Dupont, chief executive officer of Acme Corp. "Cloud
Desk gives every team one place to talk, decide and deliver, and it runs in any browser."
The platform includes end to end encryption for meetings, offline editing for documents,
and integrations with the accounting and customer relationship tools most used by
independent retailers. Pricing starts at six euros per user per month, with a free plan for
teams of up to five people. Acme Cloud Desk is available immediately in English, French,
German and Spanish, with Italian and Portuguese versions planned before the end of the year.
The company also announced a partnership with a network of regional resellers who will offer
on site training and migration services to customers moving from older systems. Analysts
expect the market for integrated collaboration suites aimed at smaller firms to grow by
nearly a fifth each year until the end of the decade, driven by hybrid work and the rising
cost of maintaining separate subscriptions."""

ABOUT_ACME = """About Acme Corp: Founded in 2009 and headquartered in Lyon, Acme Corp builds
software that helps small businesses work together. Its products are used by more than
two hundred thousand people in forty countries. Media contact: press office, Acme Corp."""


def test_press_release_republished_with_different_boilerplate_is_a_near_duplicate():
    site_a = (
        "LYON, France, May 14, 2024 /PRNewswire/ -- " + PRESS_RELEASE + "\n\n" + ABOUT_ACME + "\n"
        "Share this:\nTwitter\nFacebook\nLinkedIn\n"
        "The post Acme Corp launches Acme Cloud Desk for small businesses appeared first on TechWire Daily.\n"
        "Contact: newsroom@techwire.example https://techwire.example/acme-cloud-desk"
    )
    site_b = (
        "Photo: Acme Corp\nBy Staff Writer\n" + PRESS_RELEASE + "\n\n" + ABOUT_ACME + "\n"
        "Tags: acme, collaboration, saas\n"
        "\u00a9 2024 Business Insider France. Tous droits r\u00e9serv\u00e9s.\n"
        "Read more \u00bb"
    )
    fa, fb = text_fingerprint(site_a), text_fingerprint(site_b)
    assert near_duplicate(fa, fb), hamming_distance(fa, fb)
    # The boilerplate is ignored outright, not merely outweighed.
    clean = text_fingerprint(PRESS_RELEASE + "\n\n" + ABOUT_ACME)
    assert fa == clean and fb == clean
    idx = DuplicateIndex()
    assert idx.add(1, "https://techwire.example/acme-cloud-desk", site_a) == 1
    assert idx.add(2, "https://www.businessinsider.example/fr/acme-lance-cloud-desk", site_b) == 1


def test_boilerplate_stripping_keeps_real_text():
    # A sentence that merely contains "read more" or "tags" in its middle is content.
    a = "We should all read more books this summer, says the Acme librarian in her weekly column."
    b = "We should all read fewer books this summer, says the Acme librarian in her weekly column."
    assert text_fingerprint(a) != text_fingerprint(b)
    assert text_fingerprint("Tags are useful: " + a) != text_fingerprint(a)  # not at line start with a label


def test_two_different_releases_sharing_the_about_paragraph_are_not_near_duplicates():
    other = """Acme Corp today reported first quarter revenue of forty two million euros, up
nineteen percent from the same period last year, driven by strong subscription growth in
Germany and Spain. Operating margin improved to eleven percent as the company reduced its
data centre costs and completed the integration of two acquisitions made last autumn. The
board confirmed its outlook for the full year and approved a share buyback programme. Chief
financial officer Paul Martin said the company would keep investing in product development
while remaining disciplined on hiring."""
    fa = text_fingerprint(PRESS_RELEASE + "\n\n" + ABOUT_ACME)
    fb = text_fingerprint(other + "\n\n" + ABOUT_ACME)
    assert not near_duplicate(fa, fb)
    assert hamming_distance(fa, fb) > 8


def test_fingerprint_ignores_case_accents_punctuation_and_spacing():
    a = "L'\u00e9quipe d'Acme a lanc\u00e9 son nouveau produit \u00e0 Paris, hier soir, devant la presse."
    b = "l'EQUIPE   d'acme a LANCE son nouveau produit a paris hier soir devant la presse !!!"
    assert text_fingerprint(a) == text_fingerprint(b)


def test_fingerprint_is_64_bit_unsigned_and_stable():
    fp = text_fingerprint(PRESS_RELEASE)
    assert 0 <= fp < 1 << 64
    assert fp == text_fingerprint(PRESS_RELEASE)  # no per-process hash seed
    assert text_fingerprint("") == 0
    assert text_fingerprint("   \n ") == 0


def test_word_order_matters_through_shingles():
    words = PRESS_RELEASE.split()
    shuffled = list(words)
    random.Random(7).shuffle(shuffled)
    assert not near_duplicate(text_fingerprint(" ".join(words)), text_fingerprint(" ".join(shuffled)))


def _random_doc(rng: random.Random, vocab: list[str], n: int) -> list[str]:
    return [rng.choice(vocab) for _ in range(n)]


def test_simhash_statistics():
    """Unrelated texts are never near, copies always are, small edits mostly are."""
    rng = random.Random(2024)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9))) for _ in range(5000)]
    unrelated = [
        hamming_distance(
            text_fingerprint(" ".join(_random_doc(rng, vocab, 120))),
            text_fingerprint(" ".join(_random_doc(rng, vocab, 120))),
        )
        for _ in range(300)
    ]
    assert min(unrelated) > 10
    assert 24 < sum(unrelated) / len(unrelated) < 40  # about 32: independent bits
    edits = []
    for _ in range(200):
        doc = _random_doc(rng, vocab, 400)
        edited = list(doc)
        edited[rng.randrange(len(doc))] = rng.choice(vocab)
        edits.append(hamming_distance(text_fingerprint(" ".join(doc)), text_fingerprint(" ".join(edited))))
    # One word in 400 changes 3 of ~400 shingles: a few bits on average.
    assert sum(edits) / len(edits) < 3.5
    assert sum(d <= 3 for d in edits) / len(edits) > 0.6


def test_hamming_and_near_duplicate_accept_signed_values():
    a = (1 << 64) - 1  # all ones
    signed = a - (1 << 64)  # -1, as SQLite stores it
    assert hamming_distance(a, signed) == 0
    assert near_duplicate(0, 0b111)
    assert not near_duplicate(0, 0b1111)
    assert near_duplicate(0, 0b1111, max_distance=4)
    assert not near_duplicate(0, 0b1, max_distance=0)


def test_fingerprint_speed():
    text = PRESS_RELEASE * 3
    start = time.perf_counter()
    for _ in range(200):
        text_fingerprint(text)
    per_doc_ms = (time.perf_counter() - start) / 200 * 1000
    assert per_doc_ms < 20, per_doc_ms  # generous: about 3 ms here


# -- DuplicateIndex -----------------------------------------------------------

LONG_A = PRESS_RELEASE
LONG_B = """The city council voted on Tuesday evening to extend the tram line to the northern
districts, a project that has been discussed for more than ten years and will cost an
estimated three hundred million euros over the next decade according to the mayor."""


def test_first_member_key_is_the_group():
    idx = DuplicateIndex()
    assert idx.add(10, "https://example.com/a", LONG_A) == 10
    assert idx.add(11, "https://example.com/b", LONG_B) == 11
    assert len(idx) == 2 and 10 in idx and 12 not in idx


def test_same_canonical_url_joins_even_with_different_text():
    idx = DuplicateIndex()
    idx.add(1, "https://www.example.com/story/?utm_source=rss", "Short title")
    alert = "https://www.google.com/url?rct=j&sa=t&url=https://example.com/story&ct=ga&usg=AFQ"
    assert idx.add(2, alert, "A different snippet of this story, quoted by Google Alerts with bold words") == 1
    assert idx.group_of(2) == 1


def test_near_duplicate_text_joins_across_urls():
    idx = DuplicateIndex()
    idx.add(1, "https://site-a.example/acme-cloud-desk", "The post x appeared first on A.\n" + LONG_A)
    assert idx.add(2, "https://site-b.example/news/12345", LONG_A + "\nRead more") == 1
    assert idx.add(3, None, LONG_A) == 1
    assert idx.add(4, "https://site-c.example/other", LONG_B) == 4


def test_short_texts_group_only_by_url():
    idx = DuplicateIndex()
    short = "Acme launches Cloud Desk today"  # 5 words
    assert len(short.split()) < MIN_WORDS
    assert idx.add(1, "https://a.example/1", short) == 1
    assert idx.add(2, "https://b.example/2", short) == 2  # same text, too short to trust
    assert idx.add(3, "https://a.example/1/", short) == 1
    entry = idx.entry(2)
    assert entry is not None and entry.fingerprint is None


def test_no_url_and_short_text_is_its_own_group():
    idx = DuplicateIndex()
    assert idx.add(1, None, "hi") == 1
    assert idx.add(2, None, "hi") == 2
    assert idx.add(3, "", "") == 3


def test_add_entry_returns_what_to_store():
    idx = DuplicateIndex()
    e = idx.add_entry(5, "https://www.example.com/a?utm_medium=x", LONG_A)
    assert isinstance(e, DuplicateEntry)
    assert e == DuplicateEntry(5, "https://example.com/a", text_fingerprint(LONG_A), 5)
    assert idx.add_entry(5, "https://other.example/", LONG_B) == e  # a known key keeps its entry


def test_groups_never_merge_and_url_wins():
    idx = DuplicateIndex()
    idx.add(1, "https://a.example/x", LONG_A)
    idx.add(2, "https://b.example/y", LONG_B)
    # URL of group 2, text of group 1: the URL decides.
    assert idx.add(3, "https://b.example/y", LONG_A) == 2
    assert idx.group_of(1) == 1 and idx.group_of(2) == 2


def test_url_first_seen_through_near_duplicate_maps_to_that_group():
    idx = DuplicateIndex()
    idx.add(1, "https://a.example/x", LONG_A)
    idx.add(2, "https://b.example/copy", LONG_A)  # joins 1 by text
    assert idx.add(3, "https://b.example/copy?utm_source=feed", "short") == 1


def test_nearest_candidate_wins_then_earliest():
    idx = DuplicateIndex()
    base = 0x0123_4567_89AB_CDEF
    idx.load([(1, None, base ^ 0b111, 1), (2, None, base ^ 0b1, 2), (3, None, base ^ 0b10, 3)])
    # distances to base: 3, 1, 1 -> the earliest of the nearest (key 2)
    assert idx._nearest_group(base) == 2  # noqa: SLF001 - the tie rule itself


def test_load_rebuilds_and_continues():
    live = DuplicateIndex()
    texts = {1: LONG_A, 2: LONG_B, 3: LONG_A + "\nContinue reading", 4: "tiny"}
    urls = {1: "https://a.example/1", 2: "https://b.example/2", 3: "https://c.example/3", 4: "https://b.example/2"}
    rows = []
    for key in sorted(texts):
        e = live.add_entry(key, urls[key], texts[key])
        # stored as SQLite would: signed 64-bit
        fp = None if e.fingerprint is None else (e.fingerprint - (1 << 64) if e.fingerprint >= 1 << 63 else e.fingerprint)
        rows.append((e.key, e.canonical_url, fp, e.group))
    assert [r[3] for r in rows] == [1, 2, 1, 2]

    rebuilt = DuplicateIndex()
    rebuilt.load(rows)
    assert len(rebuilt) == 4
    for key in texts:
        assert rebuilt.group_of(key) == live.group_of(key)
    # New mentions group the same way in both.
    for idx in (live, rebuilt):
        assert idx.add(5, "https://d.example/5", "Photo: AFP\n" + LONG_A) == 1
        assert idx.add(6, "https://www.b.example/2/?fbclid=1", "x") == 2
        assert idx.add(7, None, LONG_B) == 2


def test_load_accepts_rows_without_group_or_url():
    idx = DuplicateIndex()
    idx.load([(1, None, None, None), (2, "", text_fingerprint(LONG_A), None)])
    assert idx.group_of(1) == 1 and idx.group_of(2) == 2
    assert idx.add(3, None, LONG_A) == 2


def test_max_distance_is_bounded_by_banding():
    with pytest.raises(ValueError):
        DuplicateIndex(max_distance=4)
    with pytest.raises(ValueError):
        DuplicateIndex(max_distance=-1)


def test_index_finds_every_fingerprint_within_distance_3():
    """Banding must not miss: all 1-, 2- and 3-bit neighbours are found, 4-bit ones are not."""
    rng = random.Random(99)
    idx = DuplicateIndex()
    bases = [rng.getrandbits(64) for _ in range(300)]
    idx.load([(k, None, fp, k) for k, fp in enumerate(bases, start=1)])
    for k, fp in enumerate(bases, start=1):
        bits = rng.sample(range(64), 4)
        near = fp ^ (1 << bits[0]) ^ (1 << bits[1]) ^ (1 << bits[2])
        far = near ^ (1 << bits[3])
        assert idx._nearest_group(near) == k  # noqa: SLF001
        assert idx._nearest_group(far) is None  # noqa: SLF001


def test_index_is_sub_linear():
    """Adding to a large index costs about the same as adding to a small one."""
    rng = random.Random(5)

    def cost(n: int) -> float:
        idx = DuplicateIndex()
        idx.load([(k, f"https://e.example/{k}", rng.getrandbits(64), k) for k in range(n)])
        probes = [rng.getrandbits(64) for _ in range(2000)]
        start = time.perf_counter()
        for p in probes:
            idx._nearest_group(p)  # noqa: SLF001
        return time.perf_counter() - start

    small, large = cost(1_000), cost(100_000)
    # A linear scan would be ~100x slower; buckets of 100k/65536 keys stay tiny.
    assert large < small * 10 + 0.05, (small, large)
