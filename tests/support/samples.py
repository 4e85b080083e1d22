"""One small sample per feed format, each with two items mentioning Acme."""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>RSS sample</title><link>https://rss.example/</link>
<item><title>Acme launches a rocket</title><link>https://rss.example/1</link><guid>r1</guid>
<dc:creator>Ann</dc:creator><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate>
<description>Short &lt;b&gt;summary&lt;/b&gt;</description><content:encoded><![CDATA[<p>Full text about Acme.</p>]]></content:encoded></item>
<item><title>Second</title><link>https://rss.example/2</link><description>Acme again</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom sample</title>
<link rel="alternate" href="https://atom.example/"/><id>urn:atom</id><updated>2026-11-03T10:00:00Z</updated>
<entry><title>Acme launches a rocket</title><id>urn:a1</id><link href="https://atom.example/1"/>
<updated>2026-11-03T10:00:00Z</updated><author><name>Bob</name></author><summary>About Acme</summary></entry>
<entry><title>Second</title><id>urn:a2</id><link rel="alternate" href="/2"/><updated>2026-11-02T10:00:00+01:00</updated>
<content type="html">&lt;p&gt;Acme again&lt;/p&gt;</content></entry>
</feed>"""

RDF = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF sample</title><link>https://rdf.example/</link></channel>
<item rdf:about="https://rdf.example/1"><title>Acme launches a rocket</title><link>https://rdf.example/1</link>
<dc:date>2026-11-03T10:00:00Z</dc:date><description>About Acme</description></item>
<item rdf:about="https://rdf.example/2"><title>Second</title><link>https://rdf.example/2</link><description>Acme again</description></item>
</rdf:RDF>"""

JSON = """{"version": "https://jsonfeed.org/version/1.1", "title": "JSON sample", "home_page_url": "https://json.example/",
"items": [
 {"id": "j1", "url": "https://json.example/1", "title": "Acme launches a rocket", "content_html": "<p>About Acme</p>",
  "date_published": "2026-11-03T10:00:00Z", "authors": [{"name": "Cy"}]},
 {"id": "j2", "url": "https://json.example/2", "title": "Second", "content_text": "Acme again"}
]}"""

SAMPLES = {
    "rss": (RSS, "application/rss+xml"),
    "atom": (ATOM, "application/atom+xml"),
    "rdf": (RDF, "application/rdf+xml"),
    "json": (JSON, "application/feed+json"),
}
