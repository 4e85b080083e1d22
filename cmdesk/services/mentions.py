"""The mention engine's use cases: watch terms, matching, triage, replies, alerts.

New items are matched while a refresh stores them (`MentionIngest`, called
inside each feed's write transaction); adding or editing a term re-scans the
stored history through the FTS index, then checks candidates exactly.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import urlsplit

from cmdesk.analysis.language import detect_language
from cmdesk.core.dedup import DuplicateIndex
from cmdesk.core.models import (
    SENTIMENT_LABELS, TERM_KINDS, Alert, Mention, MentionFilter, MentionPage, MentionState, ReplyDraft,
    ReplyTemplate, WatchTerm, term_color,
)
from cmdesk.core.query import MatchDoc, Query, QuerySyntaxError, TermMatcher, parse_query, tokenize
from cmdesk.core.recipes import RecipeFeed, recipes_for
from cmdesk.core.sentiment import SentimentLexicon, SentimentResult, analyse
from cmdesk.core.spikes import daily_counts, detect_spike
from cmdesk.core.templates import KNOWN_VARIABLES, TemplateProblemCode, render_template, validate_template
from cmdesk.resources import resource_path
from cmdesk.store.database import connect, write_transaction
from cmdesk.store.feeds import FeedRepository
from cmdesk.store.items import SearchSyntaxError
from cmdesk.store.mentions import MentionRepository, TermNameTaken

# What the analysers read of an item: the opening says the language and the tone.
LANG_SAMPLE = 800
SENTIMENT_SAMPLE = 2000


class MentionServiceError(Exception):
    """A user-facing failure; the message is one clear line."""


_LEXICON: SentimentLexicon | None = None


def sentiment_lexicon() -> SentimentLexicon:
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = SentimentLexicon.load(resource_path("lexicons"))
    return _LEXICON


def source_of(url: str | None, fallback: str | None = None) -> str:
    """The domain a mention comes from, without "www."."""
    for candidate in (url, fallback):
        if not candidate:
            continue
        try:
            host = (urlsplit(candidate).hostname or "").lower()
        except ValueError:
            continue
        if host:
            return host[4:] if host.startswith("www.") else host
    return ""


def compile_query(text: str) -> Query:
    try:
        return parse_query(text)
    except QuerySyntaxError as exc:
        raise MentionServiceError(f"query error: {exc}") from None


_COLOR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def _checked_color(color: str | None) -> str | None:
    """A chip colour as #rgb or #rrggbb (lowercased), None for none; else an error."""
    if color is None or not color.strip():
        return None
    color = color.strip()
    if not _COLOR_RE.fullmatch(color):
        raise MentionServiceError(f"not a colour: {color!r} (write it as #rrggbb, e.g. #2563eb)")
    return color.lower()


DEFAULT_SOURCE_WEIGHT = 1.0  # reach of a mention whose source has no weight set


class _DuplicateIndexCache:
    """One duplicate index per store, kept between refreshes and brought up to
    date with the mentions added since (loading 100k rows each time costs ~1 s)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_db: dict[str, tuple[DuplicateIndex, int]] = {}

    def index_for(self, repo: MentionRepository) -> "_LockedIndex":
        key = repo.conn.execute("PRAGMA database_list").fetchone()[2] or f"memory:{id(repo.conn)}"
        return _LockedIndex(self, key, repo)

    def _sync(self, key: str, repo: MentionRepository, before_id: int) -> DuplicateIndex:
        index, last = self._by_db.get(key, (None, 0))
        if index is not None and before_id == last + 1:
            return index  # nothing was added behind our back
        if index is None or before_id <= last:
            # first use, or ids were reused after a rolled-back transaction: start over
            index, last = DuplicateIndex(), 0
        # Mentions with neither a URL nor a fingerprint can join no group: skipped.
        rows = repo.dedup_keys(after_id=last, before_id=before_id)
        index.load(rows)
        last = max(last, before_id - 1)
        self._by_db[key] = (index, last)
        return index

    def _advance(self, key: str, index: DuplicateIndex, mention_id: int) -> None:
        _old, last = self._by_db.get(key, (index, 0))
        self._by_db[key] = (index, max(last, mention_id))

    def forget(self) -> None:
        with self._lock:
            self._by_db.clear()


class _LockedIndex:
    def __init__(self, cache: _DuplicateIndexCache, key: str, repo: MentionRepository):
        self.cache, self.key, self.repo = cache, key, repo

    def add(self, mention_id: int, url: str | None, text: str):
        """The mention's DuplicateEntry (group, canonical URL, fingerprint)."""
        with self.cache._lock:
            index = self.cache._sync(self.key, self.repo, before_id=mention_id)
            entry = index.add_entry(mention_id, url, text)
            self.cache._advance(self.key, index, mention_id)
            return entry


DUPLICATES = _DuplicateIndexCache()


class _Analyzer:
    """Builds the stored fields of a new mention from an item row."""

    def __init__(self, repo: MentionRepository):
        self.repo = repo
        self.weights = repo.source_weights()
        self.dups = DUPLICATES.index_for(repo)
        self.lexicon = sentiment_lexicon()

    def create(self, row: tuple, term_ids: Sequence[int], now: int, lang: str | None = None) -> int:
        item_id, feed_id, title, text, url, author, sort_at, site = row
        body = f"{title}\n{text}"
        if lang is None:
            lang = detect_language(body[:LANG_SAMPLE])[0]
        if lang is not None and lang not in self.lexicon.languages:
            # Only French and English have lexicons: another language gets no guess.
            sentiment = SentimentResult(0.0, "neutral", ())
        else:
            sentiment = analyse(body[:SENTIMENT_SAMPLE], lang, self.lexicon)
        source = source_of(url, site)
        mid = self.repo.insert_mention(
            item_id=item_id, feed_id=feed_id, found_at=now, published_at=sort_at, lang=lang,
            score=round(sentiment.score, 4), label=sentiment.label,
            cues=[(c.text, round(c.weight, 3), c.reason) for c in sentiment.cues],
            source=source, author=author or "", reach=self.weights.get(source, DEFAULT_SOURCE_WEIGHT),
            canonical_url=None, fingerprint=None, dup_group=None,
        )
        entry = self.dups.add(mid, url, body)
        self.repo.set_duplicate_entry(mid, entry.group, entry.canonical_url, entry.fingerprint)
        self.repo.link_terms(mid, term_ids)
        return mid


class _LangAwareMatcher:
    """Matches items against all active terms, detecting the language only when
    a term with a `lang:` filter could match (detection is the costly part)."""

    def __init__(self, terms: Sequence[WatchTerm]):
        plain, with_lang = [], []
        self.lang_tokens: set[str] = set()
        for t in terms:
            try:
                q = parse_query(t.query)
            except QuerySyntaxError:
                continue  # a term saved before a grammar change: skipped, shown in error by the UI
            if "lang:" in t.query.lower():
                with_lang.append((t.id, q))
                for p in q.positive_terms():
                    self.lang_tokens.update(tokenize(p))
            else:
                plain.append((t.id, q))
        self.plain = TermMatcher(plain) if plain else None
        self.with_lang = TermMatcher(with_lang) if with_lang else None
        self.empty = not plain and not with_lang

    def match(self, title: str, text: str, url: str | None, site: str | None) -> tuple[list[int], str | None]:
        """(matching term ids, detected language or None when not needed)."""
        hits: list[int] = []
        lang = None
        doc = MatchDoc(title=title, text=text, lang=None, url=url, source_url=site)
        if self.plain is not None:
            hits += self.plain.match(doc)
        if self.with_lang is not None:
            tokens = set(tokenize(title)) | set(tokenize(text))
            if tokens & self.lang_tokens:
                lang = detect_language(f"{title}\n{text}"[:LANG_SAMPLE])[0]
                hits += self.with_lang.match(MatchDoc(title=title, text=text, lang=lang, url=url, source_url=site))
        return sorted(set(hits)), lang


class MentionIngest:
    """The refresh hook: turns each feed's new items into mentions, in the same transaction."""

    def __init__(self, conn):
        self.repo = MentionRepository(conn)
        self.terms = self.repo.list_terms(active_only=True)
        self.matcher = _LangAwareMatcher(self.terms)
        self._analyzer: _Analyzer | None = None

    def __call__(self, item_ids: Sequence[int], now: int) -> list[int]:
        if self.matcher.empty or not item_ids:
            return []
        created = []
        for row in self.repo.items_for_matching(item_ids):
            item_id, feed_id, title, text, url, author, sort_at, site = row
            term_ids, lang = self.matcher.match(title, text, url, site)
            if not term_ids:
                continue
            if self._analyzer is None:
                self._analyzer = _Analyzer(self.repo)
            existing = self.repo.mention_id_for_item(item_id)
            if existing is not None:
                self.repo.link_terms(existing, term_ids)
                continue
            created.append(self._analyzer.create(row, term_ids, now, lang))
        return created


@dataclass(frozen=True)
class RescanResult:
    term: WatchTerm
    matched: int
    new_mentions: int
    removed: int


@dataclass(frozen=True)
class SourceWeight:
    """A source domain of mentions and its reach weight (`custom`: set by the user)."""

    source: str
    mentions: int
    weight: float
    custom: bool


class MentionService:
    """Use cases on watch terms and mentions. Opens a short-lived connection per call."""

    def __init__(self, db_path: Path, *, clock: Callable[[], float] = time.time):
        self.db_path = Path(db_path)
        self.clock = clock

    def _conn(self):
        return connect(self.db_path)

    def now(self) -> int:
        return int(self.clock())

    # -- terms -----------------------------------------------------------
    def add_term(self, name: str, query: str, *, kind: str = "brand", color: str | None = None,
                 active: bool = True, notify: bool = False) -> RescanResult:
        name = name.strip()
        if not name:
            raise MentionServiceError("a watch term needs a name")
        if kind not in TERM_KINDS:
            raise MentionServiceError(f"unknown kind {kind!r} (one of: {', '.join(TERM_KINDS)})")
        compile_query(query)
        color = _checked_color(color)
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            with write_transaction(conn):
                try:
                    color = color or term_color(kind, [t.color for t in repo.list_terms()])
                    term = repo.add_term(name, kind, query.strip(), color=color,
                                         active=active, notify=notify, now=self.now())
                except TermNameTaken:
                    raise MentionServiceError(f"a watch term named {name!r} already exists") from None
            return self._rescan(conn, term)
        finally:
            conn.close()

    def edit_term(self, term_id: int, **fields) -> RescanResult:
        if "kind" in fields and fields["kind"] not in TERM_KINDS:
            raise MentionServiceError(f"unknown kind {fields['kind']!r} (one of: {', '.join(TERM_KINDS)})")
        if "query" in fields:
            compile_query(fields["query"])
            fields["query"] = fields["query"].strip()
        if "color" in fields:
            fields["color"] = _checked_color(fields["color"])
            if fields["color"] is None:
                raise MentionServiceError("give a colour, e.g. #2563eb")
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            if repo.get_term(term_id) is None:
                raise MentionServiceError(f"no watch term with id {term_id}")
            with write_transaction(conn):
                try:
                    term = repo.update_term(term_id, now=self.now(), **fields)
                except TermNameTaken as exc:
                    raise MentionServiceError(f"a watch term named {exc} already exists") from None
            if not fields.keys() & {"query", "active"}:
                # Name, kind, colour, notify: what matches is unchanged, no re-scan
                # (ticking "notify" must not walk a year of history).
                return RescanResult(term=term, matched=repo.term_counts().get(term_id, 0), new_mentions=0,
                                    removed=0)
            return self._rescan(conn, term)
        finally:
            conn.close()

    def remove_term(self, term_id: int) -> WatchTerm:
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            term = repo.get_term(term_id)
            if term is None:
                raise MentionServiceError(f"no watch term with id {term_id}")
            with write_transaction(conn):
                repo.delete_term(term_id)
                repo.delete_untouched_orphans()
            return term
        finally:
            conn.close()

    def list_terms(self) -> list[tuple[WatchTerm, int]]:
        """Every term with its number of mentions."""
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            counts = repo.term_counts()
            return [(t, counts.get(t.id, 0)) for t in repo.list_terms()]
        finally:
            conn.close()

    def get_term(self, ref: str | int) -> WatchTerm:
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            term = repo.get_term(int(ref)) if str(ref).isdigit() else repo.term_by_name(str(ref))
        finally:
            conn.close()
        if term is None:
            raise MentionServiceError(f"no watch term {ref!r}")
        return term

    def preview_term(self, query: str, limit: int = 50) -> list[tuple[int, str]]:
        """Stored items a query would match: (item id, title), newest first, without saving anything."""
        q = compile_query(query)
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            out = []
            for row in repo.fts_candidates(q.fts_prefilter()):
                item_id, _feed, title, text, url, _author, sort_at, site = row
                lang = detect_language(f"{title}\n{text}"[:LANG_SAMPLE])[0] if "lang:" in query.lower() else None
                if q.matches(MatchDoc(title=title, text=text, lang=lang, url=url, source_url=site)):
                    out.append((sort_at, item_id, title))
            out.sort(reverse=True)
            return [(i, t) for _s, i, t in out[:limit]]
        finally:
            conn.close()

    def _rescan(self, conn, term: WatchTerm) -> RescanResult:
        repo = MentionRepository(conn)
        matched_items: list[tuple[tuple, str | None]] = []
        if term.active:
            q = parse_query(term.query)
            needs_lang = "lang:" in term.query.lower()
            try:
                candidates = list(repo.fts_candidates(q.fts_prefilter()))
            except Exception as exc:  # an FTS expression the index refuses: say so, keep data
                raise MentionServiceError(f"cannot scan stored items for {term.name!r}: {exc}") from None
            for row in candidates:
                _item, _feed, title, text, url, _author, _sort, site = row
                lang = detect_language(f"{title}\n{text}"[:LANG_SAMPLE])[0] if needs_lang else None
                if q.matches(MatchDoc(title=title, text=text, lang=lang, url=url, source_url=site)):
                    matched_items.append((row, lang))
        now = self.now()
        new = 0
        with write_transaction(conn):
            analyzer = None
            keep: list[int] = []
            for row, lang in matched_items:
                existing = repo.mention_id_for_item(row[0])
                if existing is not None:
                    repo.link_terms(existing, [term.id])
                    keep.append(existing)
                    continue
                if analyzer is None:
                    analyzer = _Analyzer(repo)
                keep.append(analyzer.create(row, [term.id], now, lang))
                new += 1
            repo.unlink_term(term.id, keep_mention_ids=keep)
            removed = repo.delete_untouched_orphans()
        return RescanResult(term=term, matched=len(matched_items), new_mentions=new, removed=removed)

    # -- listing ---------------------------------------------------------
    def list_mentions(self, f: MentionFilter = MentionFilter(), *, limit: int = 100,
                      cursor: tuple[int, int] | None = None) -> MentionPage:
        if f.sentiment is not None and f.sentiment not in SENTIMENT_LABELS:
            raise MentionServiceError(f"unknown sentiment {f.sentiment!r} (one of: {', '.join(SENTIMENT_LABELS)})")
        conn = self._conn()
        try:
            return MentionRepository(conn).list(f, limit=limit, cursor=cursor)
        except SearchSyntaxError as exc:
            raise MentionServiceError(str(exc)) from None
        finally:
            conn.close()

    def count_mentions(self, f: MentionFilter = MentionFilter()) -> int:
        conn = self._conn()
        try:
            return MentionRepository(conn).count(f)
        finally:
            conn.close()

    def get_mention(self, mention_id: int) -> Mention:
        conn = self._conn()
        try:
            m = MentionRepository(conn).get(mention_id)
        finally:
            conn.close()
        if m is None:
            raise MentionServiceError(f"no mention with id {mention_id}")
        return m

    def duplicates_of(self, mention_id: int) -> list[Mention]:
        conn = self._conn()
        try:
            return MentionRepository(conn).duplicates_of(mention_id)
        finally:
            conn.close()

    # -- triage ----------------------------------------------------------
    def _check_ids(self, repo: MentionRepository, ids: Sequence[int]) -> None:
        missing = sorted(set(ids) - repo.existing_ids(list(ids)))
        if missing:
            raise MentionServiceError(f"no mention with id {', '.join(map(str, missing))}")

    def set_state(self, mention_ids: Sequence[int], state: MentionState | str) -> int:
        """Change the state of one or many mentions (one undo step); returns how many changed."""
        try:
            state = MentionState(state)
        except ValueError:
            raise MentionServiceError(
                f"unknown state {state!r} (one of: {', '.join(s.value for s in MentionState)})") from None
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            self._check_ids(repo, mention_ids)
            with write_transaction(conn):
                return repo.set_state(list(mention_ids), state, now=self.now(), batch=repo.next_batch())
        finally:
            conn.close()

    def mark_replied(self, mention_ids: Sequence[int]) -> int:
        return self.set_state(mention_ids, MentionState.REPLIED)

    def undo(self) -> list[int]:
        """Revert the last triage change (all mentions it touched); returns their ids."""
        conn = self._conn()
        try:
            with write_transaction(conn):
                return MentionRepository(conn).undo_last_batch()
        finally:
            conn.close()

    def set_starred(self, mention_ids: Sequence[int], starred: bool = True) -> None:
        self._simple(mention_ids, lambda r: r.set_starred(list(mention_ids), starred))

    def add_tags(self, mention_ids: Sequence[int], tags: Sequence[str]) -> None:
        clean = [t.strip() for t in tags if t.strip()]
        self._simple(mention_ids, lambda r: r.add_tags(list(mention_ids), clean))

    def remove_tags(self, mention_ids: Sequence[int], tags: Sequence[str]) -> None:
        self._simple(mention_ids, lambda r: r.remove_tags(list(mention_ids), list(tags)))

    def set_note(self, mention_id: int, note: str) -> None:
        self._simple([mention_id], lambda r: r.set_note(mention_id, note))

    def set_sentiment(self, mention_id: int, label: str | None) -> None:
        """Correct the sentiment by hand (None goes back to the analyser's label)."""
        if label is not None and label not in SENTIMENT_LABELS:
            raise MentionServiceError(f"unknown sentiment {label!r} (one of: {', '.join(SENTIMENT_LABELS)})")
        self._simple([mention_id], lambda r: r.set_sentiment_override(mention_id, label))

    def list_sources(self) -> list[SourceWeight]:
        """Every source domain with mentions, its mention count and reach weight."""
        conn = self._conn()
        try:
            rows = MentionRepository(conn).sources()
        finally:
            conn.close()
        return [SourceWeight(src, n, DEFAULT_SOURCE_WEIGHT if w is None else w, w is not None) for src, n, w in rows]

    def set_source_weight(self, source: str, weight: float) -> int:
        """Set the reach weight of a source domain; its mentions (past and
        future) take it. Returns how many mentions were updated."""
        if not source.strip():
            raise MentionServiceError("give a source domain")
        if not (weight >= 0) or weight > 1_000_000:  # also refuses NaN
            raise MentionServiceError("a source weight must be a number from 0 to 1,000,000")
        conn = self._conn()
        try:
            with write_transaction(conn):
                return MentionRepository(conn).set_source_weight(source.strip().lower(), weight)
        finally:
            conn.close()

    def _simple(self, ids, action) -> None:
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            self._check_ids(repo, ids)
            with write_transaction(conn):
                action(repo)
        finally:
            conn.close()

    # -- templates and drafts --------------------------------------------
    def add_template(self, name: str, body: str, lang: str | None = None) -> ReplyTemplate:
        name = name.strip()
        if not name:
            raise MentionServiceError("a template needs a name")
        problems = validate_template(body)
        if problems:
            raise MentionServiceError("template error: " + "; ".join(_template_problem(p) for p in problems)
                                      + f" (variables: {', '.join('{' + v + '}' for v in KNOWN_VARIABLES)})")
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            if repo.template_by_name(name) is not None:
                raise MentionServiceError(f"a template named {name!r} already exists")
            with write_transaction(conn):
                return repo.add_template(name, body, lang, self.now())
        finally:
            conn.close()

    def list_templates(self) -> list[ReplyTemplate]:
        conn = self._conn()
        try:
            return MentionRepository(conn).list_templates()
        finally:
            conn.close()

    def template_values(self, mention: Mention, repo: MentionRepository) -> dict[str, str | None]:
        terms = [repo.get_term(t) for t in mention.term_ids]
        terms = [t for t in terms if t is not None]
        # The `brand.name` setting (asked at first run), else the first brand term.
        brand = (FeedRepository(repo.conn).get_setting("brand.name") or "").strip()
        if not brand:
            brands = [t.name for t in repo.list_terms() if t.kind == "brand"]
            brand = brands[0] if brands else ""
        return {
            "author": mention.author or None,
            "brand": brand or None,
            "title": mention.title or None,
            "link": mention.url,
            "source": mention.source or mention.feed_title or None,
            "term": terms[0].name if terms else None,
        }

    def draft_from_template(self, mention_id: int, template: str | int) -> ReplyDraft:
        """Fill a template for a mention and save it as the mention's draft."""
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            mention = repo.get(mention_id)
            if mention is None:
                raise MentionServiceError(f"no mention with id {mention_id}")
            tpl = repo.get_template(int(template)) if str(template).isdigit() else repo.template_by_name(str(template))
            if tpl is None:
                raise MentionServiceError(f"no template {template!r}")
            body = render_template(tpl.body, self.template_values(mention, repo))
            with write_transaction(conn):
                repo.save_draft(mention_id, body, tpl.id, self.now())
            return repo.get_draft(mention_id)
        finally:
            conn.close()

    def save_draft(self, mention_id: int, body: str, template_id: int | None = None) -> ReplyDraft:
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            self._check_ids(repo, [mention_id])
            with write_transaction(conn):
                repo.save_draft(mention_id, body, template_id, self.now())
            return repo.get_draft(mention_id)
        finally:
            conn.close()

    def get_draft(self, mention_id: int) -> ReplyDraft | None:
        conn = self._conn()
        try:
            return MentionRepository(conn).get_draft(mention_id)
        finally:
            conn.close()

    # -- alerts and recipes ----------------------------------------------
    def check_spikes(self, *, tz: dt.tzinfo | None = None) -> list[Alert]:
        """Compare today's count of each active term with its trailing 28 days; store spikes."""
        tz = tz or dt.datetime.now().astimezone().tzinfo
        now = self.now()
        today = dt.datetime.fromtimestamp(now, tz).date()
        start = today - dt.timedelta(days=28)
        since = int(dt.datetime.combine(start, dt.time(), tz).timestamp())
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            # Days before cmdesk first fetched anything are not quiet days, they
            # are unknown: only the days since count as history, so a new
            # profile (fewer than MIN_HISTORY_DAYS) raises no spike.
            first = repo.watching_since()
            if first is None:
                return []
            known = (today - dt.datetime.fromtimestamp(first, tz).date()).days
            history_days = max(0, min(28, known))
            created = []
            with write_transaction(conn):
                for term in repo.list_terms(active_only=True):
                    counts = daily_counts(repo.daily_counts(term.id, since), start, 29, tz)
                    verdict = detect_spike(counts[-1], counts[28 - history_days:-1])
                    if verdict.is_spike and repo.add_alert(term.id, today.isoformat(), verdict.count, verdict.mean,
                                                           verdict.threshold, now):
                        created.append(term.id)
            return [a for a in repo.list_alerts() if a.term_id in created and a.day == today.isoformat()]
        finally:
            conn.close()

    def list_alerts(self, *, unseen_only: bool = False) -> list[Alert]:
        conn = self._conn()
        try:
            return MentionRepository(conn).list_alerts(unseen_only=unseen_only)
        finally:
            conn.close()

    def recipes(self, term_ref: str | int, **options) -> list[RecipeFeed]:
        term = self.get_term(term_ref)
        alternatives = compile_query(term.query).search_alternatives()
        try:
            return recipes_for(alternatives, **options)
        except ValueError as exc:
            raise MentionServiceError(str(exc)) from None

    # -- inbox (GUI) helpers -----------------------------------------------
    def mention_text(self, mention_id: int, max_chars: int = 20000) -> "MentionText":
        """The item's title and text with where each of the mention's terms occurs."""
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            m = repo.get(mention_id)
            if m is None:
                raise MentionServiceError(f"no mention with id {mention_id}")
            title, text = repo.item_text(m.item_id) or (m.title, m.excerpt)
            text = text[:max_chars]
            spans: list[tuple[int, str, int, int]] = []
            for tid in m.term_ids:
                term = repo.get_term(tid)
                if term is None:
                    continue
                try:
                    q = parse_query(term.query)
                except QuerySyntaxError:
                    continue
                doc = MatchDoc(title=title, text=text, lang=m.lang, url=m.url, source_url=None)
                spans += [(tid, fld, s, e) for fld, s, e in q.spans(doc)]
            return MentionText(mention_id, title, text, tuple(sorted(spans, key=lambda s: (s[1], s[2], s[3]))))
        finally:
            conn.close()

    def mention_facets(self) -> "MentionFacets":
        """Values the inbox filters offer: sources (busiest first), languages, tags."""
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            return MentionFacets(tuple(repo.distinct_sources()), tuple(repo.distinct_langs()),
                                 tuple(repo.all_tags()))
        finally:
            conn.close()

    def newer_mentions(self, f: MentionFilter, after_id: int, *, limit: int = 500) -> list[Mention]:
        """Mentions matching `f` found after the mention `after_id` (ids grow), newest first."""
        conn = self._conn()
        try:
            return MentionRepository(conn).list_newer(f, after_id, limit=limit)
        except SearchSyntaxError as exc:
            raise MentionServiceError(str(exc)) from None
        finally:
            conn.close()

    def render_reply(self, mention_id: int, body: str) -> str:
        """A draft or template body with the mention's variables filled in."""
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            m = repo.get(mention_id)
            if m is None:
                raise MentionServiceError(f"no mention with id {mention_id}")
            return render_template(body, self.template_values(m, repo))
        finally:
            conn.close()

    def update_template(self, template_id: int, name: str, body: str, lang: str | None = None) -> ReplyTemplate:
        name = name.strip()
        if not name:
            raise MentionServiceError("a template needs a name")
        problems = validate_template(body)
        if problems:
            raise MentionServiceError("template error: " + "; ".join(_template_problem(p) for p in problems))
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            other = repo.template_by_name(name)
            if other is not None and other.id != template_id:
                raise MentionServiceError(f"a template named {name!r} already exists")
            if repo.get_template(template_id) is None:
                raise MentionServiceError(f"no template with id {template_id}")
            with write_transaction(conn):
                repo.update_template(template_id, name, body, lang, self.now())
            return repo.get_template(template_id)
        finally:
            conn.close()

    def delete_template(self, template_id: int) -> bool:
        conn = self._conn()
        try:
            with write_transaction(conn):
                return MentionRepository(conn).delete_template(template_id)
        finally:
            conn.close()

    def item_snippets(self, item_ids: Sequence[int], length: int = 140) -> dict[int, str]:
        """The opening of each item's text, one line (for lists of untitled posts)."""
        conn = self._conn()
        try:
            repo = MentionRepository(conn)
            out = {}
            for item_id in item_ids:
                title_text = repo.item_text(item_id)
                if title_text:
                    out[item_id] = " ".join(title_text[1].split())[:length]
            return out
        finally:
            conn.close()


@dataclass(frozen=True)
class MentionText:
    mention_id: int
    title: str
    text: str
    spans: tuple[tuple[int, str, int, int], ...]  # (term id, "title" | "text", start, end)


@dataclass(frozen=True)
class MentionFacets:
    sources: tuple[tuple[str, int], ...]
    langs: tuple[str, ...]
    tags: tuple[str, ...]


def _template_problem(p) -> str:
    where = f"at position {p.position}"
    if p.code is TemplateProblemCode.UNKNOWN_VARIABLE:
        return f"unknown variable {{{p.name}}} {where}"
    if p.code is TemplateProblemCode.INVALID_VARIABLE:
        return f"invalid variable {where}"
    if p.code is TemplateProblemCode.UNCLOSED_BRACE:
        return f"'{{' {where} is never closed (write {{{{ for a literal brace)"
    return f"'}}' {where} closes nothing (write }}}} for a literal brace)"
