"""The monthly report: PDF text, self-contained HTML, CSV rows, empty month, CLI."""

import csv
import re

import pytest
from pypdf import PdfReader

from cmdesk.core.kpis import Period
from cmdesk.report.export import export_month, output_paths
from cmdesk.services.stats import StatsService
from tests.report.fixture_store import NOW, UTC, build_fixture_store

ROI_SETTINGS = {"roi.hourly_cost": 40, "roi.hours_per_month": 20, "roi.tool_costs": 100, "roi.value_per_reply": 50,
                "roi.value_per_positive": 20, "roi.value_per_lead": 300, "brand.name": "Acme Corp"}


@pytest.fixture
def stats(tmp_path):
    fx = build_fixture_store(tmp_path / "cmdesk.sqlite3")
    s = StatsService(fx.db_path, clock=lambda: NOW)
    for k, v in ROI_SETTINGS.items():
        s.settings.set(k, v)
    return s


def _pdf_text(path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


def test_pdf_has_kpis_formula_inputs_and_page_numbers(stats, tmp_path):
    res = export_month(stats, Period.month(2024, 3), formats=("pdf",), out=tmp_path / "r.pdf", lang="en", tz=UTC)
    (pdf,) = res.files
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 2
    text = _pdf_text(pdf)
    assert "Acme Corp" in text and "March 2024" in text and "February 2024" in text
    assert "Mentions 9 3 +6 (+200.0%)" in text
    assert "Response rate 71.4% 50.0% +21.4 pts" in text
    assert "Median response time 1 h 00 2 h 00" in text
    assert "ROI % = (value − cost) / cost × 100" in text
    assert "cost = hourly cost × hours + tool costs + other costs" in text
    assert "ROI = +3.3%" in text
    assert "Total cost 900.00 EUR" in text and "Total value 930.00 EUR" in text
    assert "roi.other_costs" in text and "missing" in text  # a missing input is shown as missing
    assert "Methodology" in text and "needs a reply" in text
    n = len(reader.pages)
    assert f"Page 1 / {n}" in text and f"Page {n} / {n}" in text


def test_pdf_in_french(stats, tmp_path):
    res = export_month(stats, Period.month(2024, 3), formats=("pdf",), out=tmp_path / "r.pdf", lang="fr", tz=UTC)
    text = _pdf_text(res.files[0])
    assert "Synthèse mensuelle" in text and "mars 2024" in text
    assert "ROI % = (valeur − coût) / coût × 100" in text
    assert "Taux de réponse" in text and "manquant" in text


def test_html_is_self_contained(stats, tmp_path):
    res = export_month(stats, Period.month(2024, 3), formats=("html",), out=tmp_path, lang="en", tz=UTC)
    (html_path,) = res.files
    page = html_path.read_text(encoding="utf-8")
    srcs = re.findall(r'<img src="([^"]+)"', page)
    assert len(srcs) == 4 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert "<link" not in page and "<script" not in page
    assert '<a href="https://c.com/post/M5">Acme outage: angry thread</a>' in page
    assert "ROI % = (value − cost) / cost × 100" in page


def test_csv_one_row_per_mention_and_kpis(stats, tmp_path):
    res = export_month(stats, Period.month(2024, 3), formats=("csv",), out=tmp_path, lang="en", tz=UTC)
    mentions_csv, kpis_csv = res.files
    raw = mentions_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8
    with open(mentions_csv, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 9 == res.mention_rows
    first = rows[0]
    assert first["Date"] == "2024-03-01 09:00" and first["Terms"] == "Acme" and first["Source"] == "a.com"
    assert first["Response time (s)"] == "600" and first["Replied at"] == "2024-03-01 09:15"
    assert first["URL"] == "https://a.com/post/M1" and first["State"] == "replied"
    with open(kpis_csv, encoding="utf-8-sig", newline="") as fh:
        kpis = {(r[0], r[1]): r for r in csv.reader(fh)}
    assert kpis[("kpi", "mentions")][3:6] == ["9", "3", "6"]
    assert kpis[("roi_input", "other_costs")][3] == "missing"
    assert kpis[("roi", "total_cost")][3] == "900"


def test_french_csv_uses_semicolons(stats, tmp_path):
    res = export_month(stats, Period.month(2024, 3), formats=("csv",), out=tmp_path, lang="fr", tz=UTC)
    with open(res.files[0], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert len(rows) == 10 and rows[0][0] == "Date"


def test_empty_month_gives_a_valid_report_saying_so(stats, tmp_path):
    res = export_month(stats, Period.month(2023, 6), out=tmp_path, lang="en", tz=UTC)
    assert len(res.files) == 4
    text = _pdf_text(next(f for f in res.files if f.suffix == ".pdf"))
    assert "There was no activity in this period" in text
    assert "no activity" in next(f for f in res.files if f.suffix == ".html").read_text(encoding="utf-8")
    with open(next(f for f in res.files if f.name.endswith("-mentions.csv")), encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) == 1  # the header only


def test_output_paths():
    p = Period.month(2024, 3)
    assert output_paths(None, ("pdf",), "Acme Corp", p)["pdf"][0].name == "acme-corp-report-2024-03.pdf"
    from pathlib import Path
    single = output_paths(Path("/x/out.csv"), ("csv",), "", p)["csv"]
    assert [q.name for q in single] == ["out.csv", "out-kpis.csv"]


def test_cli_report_and_settings(tmp_path, capsys, monkeypatch):
    from cmdesk.cli import main
    fx = build_fixture_store(tmp_path / "profile" / "cmdesk.sqlite3")
    profile = str(fx.db_path.parent)
    assert main(["settings", "set", "roi.hourly_cost", "40", "--profile", profile]) == 0
    assert main(["settings", "get", "roi.hourly_cost", "--profile", profile]) == 0
    assert capsys.readouterr().out.strip().endswith("40")
    assert main(["settings", "set", "roi.hourly_cost", "abc", "--profile", profile]) == 1
    assert "takes a number" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["report", "--month", "2024-03", "--format", "all", "--out", str(out), "--lang", "fr",
                 "--profile", profile, "--json"]) == 0
    import json
    data = json.loads(capsys.readouterr().out)
    assert data["month"] == "2024-03" and len(data["files"]) == 4 and data["mention_rows"] >= 8
    assert "hours" in data["missing_roi_inputs"]
    assert main(["report", "--month", "2024-3x", "--profile", profile]) == 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_mentions_csv_from_sql_rows_matches_the_row_by_row_rendering(stats, tmp_path, lang):
    """The export writes the CSV straight from SQL rows (times formatted in SQL): it must say exactly
    what rendering each `MentionExportRow` in Python says, DST change included (Paris, 31 March 2024)."""
    from zoneinfo import ZoneInfo

    from cmdesk.report.csv import write_mentions_csv

    paris = ZoneInfo("Europe/Paris")
    res = export_month(stats, Period.month(2024, 3), formats=("csv",), out=tmp_path / "sql", lang=lang, tz=paris)
    expected = tmp_path / "rows.csv"
    n = write_mentions_csv(stats.export_rows(Period.month(2024, 3).start, Period.month(2024, 3).end, tz=paris),
                           expected, lang=lang, tz=paris)
    assert res.mention_rows == n > 0
    assert res.files[0].read_bytes() == expected.read_bytes()


def test_mentions_csv_quotes_like_the_csv_module(stats, tmp_path):
    """Titles with quotes, line breaks and delimiters, authors with semicolons, a fractional reach."""
    from cmdesk.report.csv import write_mentions_csv
    from cmdesk.store.database import connect

    conn = connect(stats.db_path)
    with conn:
        conn.execute("UPDATE items SET title = 'He said \"buy\",\nthen; left\r' WHERE id ="
                     " (SELECT item_id FROM mentions ORDER BY published_at LIMIT 1 OFFSET 8)")
        conn.execute("UPDATE mentions SET author = 'a;b \"c\"', reach = 2.5 WHERE id ="
                     " (SELECT id FROM mentions ORDER BY published_at LIMIT 1 OFFSET 8)")
    conn.close()
    march = Period.month(2024, 3)
    for lang in ("en", "fr"):
        res = export_month(stats, march, formats=("csv",), out=tmp_path / lang, lang=lang, tz=UTC)
        expected = tmp_path / f"rows-{lang}.csv"
        write_mentions_csv(stats.export_rows(march.start, march.end, tz=UTC), expected, lang=lang, tz=UTC)
        got = res.files[0].read_bytes()
        assert got == expected.read_bytes()
        assert (b'"He said ""buy"",\nthen; left\r"' in got) and (b"2,5" in got if lang == "fr" else b"2.5" in got)
