"""A labelled corpus of FR and EN items for the watch-term matcher.

    from mention_corpus import generate
    terms, items = generate(2000, seed=0)   # [(term id, query)], [(MatchDoc, {term ids})]

Every item is ordinary French or English filler text (about 1 KB) into which
brand, product and competitor names are written in the forms the query
language defines (case and accents, œ/ß, French elision with ' and ’,
hashtags, handles, punctuation around words, possessives, domains and URLs,
hyphenated compounds, phrases) together with near misses (acmeville, macme,
plurals, hashtag or handle where the query wants the other, the two halves of
a phrase apart or reversed, a domain with a space, excluded words).

The expected term ids are computed from how the item was built, never by the
matcher: each inserted form declares the facts it creates ("the word acme is
in the title", "acme com is written together", "#acme is a hashtag", ...),
and each term carries a specification, written independently of its query
text, that is evaluated over those facts, the item's language and its hosts.
Filler words never contain a word of any term (checked when the module loads).
"""

from __future__ import annotations

import random
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cmdesk.core.query import MatchDoc  # noqa: E402

__all__ = ["generate", "HAND_TERMS"]

# --------------------------------------------------------------------------- filler

FR_WORDS = """
le la les un une des du de au aux et ou mais donc car ni que qui quoi dont où ce cette ces
mon ton son notre votre leur mes tes ses nos vos leurs je tu il elle nous vous ils elles on
est sont était été être avoir avait ont fait faire dit dire va aller vient venir peut pouvoir
veut vouloir doit devoir sait savoir voit voir prend prendre met mettre trouve trouver donne
très plus moins bien mal assez trop toujours jamais souvent parfois déjà encore aussi ainsi
alors après avant pendant depuis toujours ici là partout ensemble vraiment simplement enfin
aujourd'hui hier demain matin soir semaine mois année jour heure minute moment temps fois
équipe réponse question problème solution produit commande livraison colis retard remboursement
facture abonnement compte application site page écran mise jour version nouvelle nouveau
prix tarif promotion réduction magasin boutique achat vente qualité expérience conseil avis
réseau message courriel téléphone appel attente délai semaine rapide lent cher gratuit
clients utilisateurs personnes gens ami amie collègues famille enfants parents voisins
content contente déçu déçue ravi ravie furieux satisfait surpris inquiet heureux triste
merci bravo hélas malheureusement franchement honnêtement évidemment pourtant cependant
ville région pays France Paris Lyon Marseille Bordeaux Lille Nantes Toulouse Bretagne
été hiver printemps automne pluie soleil neige vent chaleur froid mer montagne campagne
l'écran l'équipe l'application l'année d'abord d'ailleurs qu'il qu'elle c'est n'est
s'il jusqu'à lorsqu'on j'ai j'aime m'a t'as l’équipe d’accord qu’on c’était
français anglais européen marché entreprise société startup industrie secteur innovation
grand grande petit petite beau belle bon bonne mauvais mauvaise vieux jeune premier dernier
article journal presse lecture blog vidéo photo image lien source actualité information
""".split()

EN_WORDS = """
the a an and or but so because if when while where what which who whom whose this that these
those my your his her its our their i you he she it we they me him us them is are was were
be been being have has had do does did will would can could should may might must shall
very more less quite too always never often sometimes already still also just really only
then after before during since here there everywhere together simply finally today yesterday
tomorrow morning evening week month year day hour minute moment time times
team answer question problem solution product order delivery parcel delay refund invoice
subscription account app website page screen update version new old price pricing deal
discount shop store purchase sale quality experience advice review network message email
phone call waiting fast slow expensive free customers users people friends colleagues family
kids parents neighbours happy unhappy disappointed delighted angry satisfied surprised
worried glad sad thanks great sadly honestly frankly obviously however though anyway
city region country London Boston Seattle Chicago Denver Austin Texas California Europe
summer winter spring autumn rain sun snow wind heat cold sea mountain countryside
it's don't can't won't isn't I'm you're we've they'll that's there's let's
market company startup industry sector innovation big small nice good bad first last
article newspaper press reading blog video photo picture link source news information
""".split()

SOCIAL = ["#news", "#marketing", "#tech", "#retail", "#cx", "@support_team", "@newsdesk", "#ux", "@redaction"]
PUNCT_AFTER = ["", "", "", "", "", ",", ",", ".", "!", "?", ":", ";", "…"]

# --------------------------------------------------------------------------- specifications
# ("word", tok) ("hashtag", tok) ("handle", tok)
# ("seq", "a b c", (attached_b, attached_c)): the words in a row; where the
#     pattern says True the word must be written against the previous one
#     (punctuation only, no space), elsewhere anything may separate them
# ("title", spec) ("and", *specs) ("or", *specs) ("not", spec) ("lang", codes) ("site", domain)


def W(t): return ("word", t)
def H(t): return ("hashtag", t)
def AT(t): return ("handle", t)
def P(*ts): return ("seq", " ".join(ts), (False,) * (len(ts) - 1))
def J(*ts): return ("seq", " ".join(ts), (True,) * (len(ts) - 1))
def SEQ(ts, pattern): return ("seq", " ".join(ts), tuple(pattern))
def TITLE(s): return ("title", s)
def AND(*s): return ("and",) + s
def OR(*s): return ("or",) + s
def NOT(s): return ("not", s)
def LANG(*c): return ("lang", frozenset(c))
def SITE(d): return ("site", d)


# Hand-written terms: the query a user would type, and what it means.
HAND_TERMS: list[tuple[str, tuple]] = [
    ("acme", W("acme")),
    ('"acme corp" OR acmecorp', OR(P("acme", "corp"), W("acmecorp"))),
    ("acme -jobs -\"offre d'emploi\"", AND(W("acme"), NOT(W("jobs")), NOT(SEQ(["offre", "d", "emploi"], [False, True])))),
    ("#acme", H("acme")),
    ("@acme", AT("acme")),
    ("acme lang:fr", AND(W("acme"), LANG("fr"))),
    ("title:acme", TITLE(W("acme"))),
    ('"service client" (acme OR zentrix)', AND(P("service", "client"), OR(W("acme"), W("zentrix")))),
    ('zentrix OR "zen trix"', OR(W("zentrix"), P("zen", "trix"))),
    ("e-commerce acme", AND(J("e", "commerce"), W("acme"))),
    ("acme.com", J("acme", "com")),
    ('"acme cœur"', P("acme", "coeur")),
    ("Großmarkt", W("grossmarkt")),
    ("acme -(jobs OR recrutement)", AND(W("acme"), NOT(OR(W("jobs"), W("recrutement"))))),
    ("acme site:acme.com", AND(W("acme"), SITE("acme.com"))),
    ("acme -site:reddit.com", AND(W("acme"), NOT(SITE("reddit.com")))),
    ("(acme OR zentrix) lang:en", AND(OR(W("acme"), W("zentrix")), LANG("en"))),
    ('title:"acme corp"', TITLE(P("acme", "corp"))),
    ("@acme_support", AT("acme_support")),
    ("ACMÉ -lang:en", AND(W("acme"), NOT(LANG("en")))),
    ("zentrix -acme", AND(W("zentrix"), NOT(W("acme")))),
    ("\"l'acme\"", J("l", "acme")),
    ("acme AND corp", AND(W("acme"), W("corp"))),
    ('"zen trix" OR zentrix -recrutement lang:fr,en', OR(P("zen", "trix"), AND(W("zentrix"), NOT(W("recrutement")), LANG("fr", "en")))),
    ("e-commerce OR \"e commerce\"", OR(J("e", "commerce"), P("e", "commerce"))),
]

# --------------------------------------------------------------------------- forms


@dataclass
class Piece:
    text: str
    token: str | None = None  # the normalised word this piece spells, None for punctuation
    sigil: str = ""  # "#" or "@" when the piece is a sigil right before a word


def _plain_fold(s: str) -> str:
    """Only to vet the filler vocabulary (not to label anything)."""
    s = unicodedata.normalize("NFKD", s).casefold()
    return "".join(c for c in s if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


def _vocab_tokens(words) -> set[str]:
    out = set()
    for w in words:
        cur = ""
        for c in _plain_fold(w):
            if c.isalnum():
                cur += c
            else:
                if cur:
                    out.add(cur)
                cur = ""
        if cur:
            out.add(cur)
    return out


_ACCENTS = {"a": "àâá", "e": "éèêë", "i": "îï", "o": "ôö", "u": "ùûü", "c": "ç", "n": "ñ", "y": "ÿ"}


def spell(tok: str, rnd: random.Random) -> str:
    """A written form of a normalised word: case, accents, ligatures."""
    s = tok
    r = rnd.random()
    if "oe" in s and rnd.random() < 0.5:
        s = s.replace("oe", "œ")
    if "ss" in s and rnd.random() < 0.5:
        s = s.replace("ss", "ß")
    if r < 0.3 and len(tok) > 2:
        idx = [i for i, c in enumerate(s) if c in _ACCENTS]
        if idx:
            i = rnd.choice(idx)
            s = s[:i] + rnd.choice(_ACCENTS[s[i]]) + s[i + 1 :]
    r = rnd.random()
    if r < 0.45:
        s = s[:1].upper() + s[1:]
    elif r < 0.6:
        s = s.upper()  # "ß".upper() is "SS": still the same word
    return s


class Form:
    """A written fragment: chunks separated by spaces, each a list of pieces."""

    def __init__(self, *chunks: list[Piece]):
        self.chunks = [c for c in chunks if c]

    def text(self) -> str:
        return " ".join("".join(p.text for p in c) for c in self.chunks)

    def facts(self) -> set[tuple]:
        """What this fragment puts in a field: words, hashtags and handles, and
        every run of two or more consecutive words with which of them are
        written against the previous one."""
        out: set[tuple] = set()
        seq: list[str] = []
        att: list[bool] = []
        for chunk in self.chunks:
            first = True  # the next word is the first of this chunk
            pending = ""
            prev: Piece | None = None
            for p in chunk:
                if p.token is None:
                    assert not any(c.isalnum() for c in p.text), p.text
                    # a sigil counts at the start of a chunk or after punctuation
                    pending = p.sigil if (p.sigil and (prev is None or prev.token is None)) else ""
                else:
                    out.add(("word", p.token))
                    if pending:
                        out.add(("hashtag" if pending == "#" else "handle", p.token))
                    pending = ""
                    seq.append(p.token)
                    att.append(not first)
                    first = False
                prev = p
        for i in range(len(seq)):
            for j in range(i + 2, len(seq) + 1):
                out.add(("seq", " ".join(seq[i:j]), tuple(att[i + 1 : j])))
        return out


def T(tok: str, rnd: random.Random) -> Piece:
    return Piece(spell(tok, rnd), tok)


def S(text: str) -> Piece:
    return Piece(text)


def SIG(sigil: str) -> Piece:
    return Piece(sigil, None, sigil)


def _wrap(rnd: random.Random, inner: list[Piece]) -> list[list[Piece]]:
    """Punctuation around a chunk: (x) "x" «x» « x » x! x's ..."""
    r = rnd.randrange(14)
    if r == 0:
        return [[S("(")] + inner + [S(")")]]
    if r == 1:
        return [[S('"')] + inner + [S('"')]]
    if r == 2:
        return [[S("«")] + inner + [S("»")]]
    if r == 3:
        return [[S("«")], inner, [S("»")]]  # « x » with spaces
    if r == 4:
        return [[S("“")] + inner + [S("”")]]
    if r == 5:
        return [inner + [S(rnd.choice(["!", "?", ",", ".", ":", ";", "…", "!!", "?!"]))]]
    if r == 6:
        return [[S("[")] + inner + [S("]")]]
    if r == 7:
        return [inner + [S("\u00a0!")]]  # French spacing before "!"
    return [inner]


def word_form(tok: str, rnd: random.Random) -> Form:
    """A form in which `tok` is a word (any of the accepted spellings)."""
    r = rnd.randrange(20)
    if r < 6:
        return Form(*_wrap(rnd, [T(tok, rnd)]))
    if r < 9:
        el = rnd.choice(["l'", "l’", "d'", "d’", "qu'", "qu’", "L'", "D’", "lorsqu'", "jusqu’"])
        return Form(*_wrap(rnd, [Piece(el[:-1], _plain_fold(el[:-1])), S(el[-1]), T(tok, rnd)]))
    if r < 11:
        return Form(*_wrap(rnd, [SIG("#"), T(tok, rnd)]))
    if r < 13:
        return Form(*_wrap(rnd, [SIG("@"), T(tok, rnd)]))
    if r < 15:
        return Form([T(tok, rnd), S(rnd.choice(["'", "’"])), Piece("s", "s")])
    if r < 16:
        return Form([T(tok, rnd), S("."), Piece("com", "com")])
    if r < 17:
        return Form([Piece("https", "https"), S("://"), Piece("www", "www"), S("."), T(tok, rnd), S("."),
                     Piece("fr", "fr"), S("/"), Piece("blog", "blog")])
    if r < 18:
        return Form([T(tok, rnd), S(rnd.choice(["-", "‑", "–"])), Piece("Bot", "bot")])
    if r < 19:
        return Form([S("\""), Piece("Pro", "pro"), S("-"), T(tok, rnd), S("\"")])
    return Form([T(tok, rnd)], [S("(")] + [Piece("ex", "ex")] + [S(")")])


def word_miss(tok: str, rnd: random.Random) -> Form:
    """A near miss: contains `tok` only inside a longer word."""
    r = rnd.randrange(6)
    if r == 0:
        return Form([Piece(spell(tok, rnd) + "ville", tok + "ville")])
    if r == 1:
        return Form([Piece("m" + tok, "m" + tok)])
    if r == 2:
        return Form([Piece(spell(tok, rnd) + "s", tok + "s")])
    if r == 3:
        return Form([SIG("#"), Piece(tok + "fr", tok + "fr")])
    if r == 4:
        return Form([SIG("@"), Piece(tok + "_fr", tok + "_fr")])
    return Form([Piece("not" + tok, "not" + tok), S("."), Piece("com", "com")])


def hashtag_form(tok, rnd): return Form(*_wrap(rnd, [SIG("#"), T(tok, rnd)]))
def handle_form(tok, rnd): return Form(*_wrap(rnd, [SIG("@"), T(tok, rnd)]))


def sigil_miss(tok: str, want: str, rnd: random.Random) -> Form:
    other = "@" if want == "#" else "#"
    r = rnd.randrange(3)
    if r == 0:
        return Form([SIG(other), T(tok, rnd)])
    if r == 1:
        return Form(*_wrap(rnd, [T(tok, rnd)]))
    return Form([Piece("team", "team"), S("@"), T(tok, rnd), S("."), Piece("com", "com")])


def seq_form(toks: list[str], pattern: tuple[bool, ...], rnd: random.Random) -> Form:
    """The words in a row; where the pattern asks, written against the previous word."""
    style = rnd.randrange(10)
    if style == 0:  # every word a hashtag (only when nothing must be attached)
        if not any(pattern):
            return Form(*[[SIG("#"), T(t, rnd)] for t in toks])
    chunks: list[list[Piece]] = [[]]
    if style == 1 or (style == 2 and any(pattern)):
        chunks[0] += [Piece("https", "https"), S("://"), Piece("www", "www"), S(".")]
    for i, t in enumerate(toks):
        if i:
            glue = pattern[i - 1] or style == 3  # style 3: everything written together
            if glue:
                chunks[-1].append(S(rnd.choice(["-", ".", "/", "’", "'", "‑", "–"])))
            else:
                if style == 4:  # punctuation between the words is ignored
                    chunks[-1].append(S(rnd.choice([",", ":", " -", "…"]).strip()))
                chunks.append([])
        chunks[-1].append(T(t, rnd))
    if style == 1:
        chunks[-1] += [S("/"), Piece("fr", "fr")]
    if style == 5:
        chunks[0].insert(0, S("“"))
        chunks[-1].append(S("”"))
    if style in (6, 7) and len(chunks) == 1:
        return Form(*_wrap(rnd, chunks[0]))
    chunks[-1].append(S(rnd.choice(PUNCT_AFTER)))
    return Form(*chunks)


def seq_miss(toks: list[str], pattern: tuple[bool, ...], rnd: random.Random) -> list[Form]:
    r = rnd.randrange(4)
    if r == 0:  # reversed
        return [Form(*[[T(t, rnd)] for t in reversed(toks)])]
    if r == 1:  # the words apart (filler between them)
        return [Form([T(t, rnd)]) for t in toks]
    if r == 2 and any(pattern):  # spaces where they must be written together
        return [Form([T(toks[0], rnd), S(".")], *[[T(t, rnd)] for t in toks[1:]])]
    # glued into one word
    return [Form([Piece("".join(spell(t, rnd) for t in toks), "".join(toks))])]


# --------------------------------------------------------------------------- generated terms

_CONS = "bdfgklprstvz"
_VOW = "aeiou"


def _pseudo_words(rnd: random.Random, n: int, forbidden: set[str]) -> list[str]:
    out: list[str] = []
    seen = set(forbidden)
    while len(out) < n:
        w = "".join(rnd.choice(_CONS) + rnd.choice(_VOW) for _ in range(rnd.choice((3, 3, 4))))
        if rnd.random() < 0.2:
            w += rnd.choice("nrx")
        # keep distractors (w+"s", "m"+w, w+"ville") away from every other word
        if w in seen or w + "s" in seen or w[:-1] in seen:
            continue
        seen.add(w)
        out.append(w)
    return out


SITES = ["acme.com", "reddit.com", "lemonde.fr", "example.org", "news.example.org", "medium.com"]
HOSTS = ["acme.com", "www.acme.com", "blog.acme.com", "notacme.com", "acme.com.example.net", "reddit.com",
         "www.reddit.com", "old.reddit.com", "notreddit.com", "www.lemonde.fr", "lemonde.fr.example.org",
         "example.org", "news.example.org", "medium.com", "techcrunch.com", "twitter.com", "mastodon.social"]


def _generated_terms(rnd: random.Random, count: int, forbidden: set[str]) -> list[tuple[str, tuple]]:
    words = iter(_pseudo_words(rnd, count * 4, forbidden))
    out: list[tuple[str, tuple]] = []
    shapes = ["word", "phrase", "or", "excl", "lang", "lang2", "hashtag", "handle", "title", "site", "group",
              "exclphrase", "dot", "hyphen", "complex", "notlang", "titlephrase", "accent", "and"]
    for i in range(count):
        shape = shapes[i % len(shapes)]
        a, b, c, x = next(words), next(words), next(words), next(words)
        if shape == "word":
            out.append((a.capitalize(), W(a)))
        elif shape == "phrase":
            out.append((f'"{a} {b}"', P(a, b)))
        elif shape == "or":
            out.append((f"{a} OR {b}", OR(W(a), W(b))))
        elif shape == "excl":
            out.append((f"{a} -{x}", AND(W(a), NOT(W(x)))))
        elif shape == "lang":
            lang = rnd.choice(["fr", "en"])
            out.append((f"{a} lang:{lang}", AND(W(a), LANG(lang))))
        elif shape == "lang2":
            out.append((f"lang:fr,en {a}", AND(LANG("fr", "en"), W(a))))
        elif shape == "hashtag":
            out.append((f"#{a}", H(a)))
        elif shape == "handle":
            out.append((f"@{a}", AT(a)))
        elif shape == "title":
            out.append((f"title:{a}", TITLE(W(a))))
        elif shape == "site":
            d = rnd.choice(SITES)
            out.append((f"{a} site:{d}", AND(W(a), SITE(d))))
        elif shape == "group":
            out.append((f"({a} OR {b}) {c}", AND(OR(W(a), W(b)), W(c))))
        elif shape == "exclphrase":
            out.append((f'{a} -"{x} {b}"', AND(W(a), NOT(P(x, b)))))
        elif shape == "dot":
            out.append((f"{a}.{b}", J(a, b)))
        elif shape == "hyphen":
            out.append((f"{a}-{b}", J(a, b)))
        elif shape == "complex":  # NOT > AND > OR: "a b" OR (c AND NOT x)
            out.append((f'"{a} {b}" OR {c} -{x}', OR(P(a, b), AND(W(c), NOT(W(x))))))
        elif shape == "notlang":
            out.append((f"{a} -lang:en", AND(W(a), NOT(LANG("en")))))
        elif shape == "titlephrase":
            out.append((f'title:"{a} {b}"', TITLE(P(a, b))))
        elif shape == "accent":
            accented = a[:1].upper() + a[1:].replace("e", "é", 1).replace("a", "â", 1)
            out.append((accented, W(a)))
        elif shape == "and":
            out.append((f"{a} AND {b}", AND(W(a), W(b))))
    return out


# --------------------------------------------------------------------------- evaluation


def evaluate(spec: tuple, facts: dict[str, set], lang: str | None, hosts: tuple[str, ...],
             field: str | None = None) -> bool:
    """What a term means, over what the generator put in the item."""
    kind = spec[0]
    if kind in ("word", "hashtag", "handle"):
        key = (kind, spec[1])
        if field is not None:
            return key in facts[field]
        return key in facts["title"] or key in facts["text"]
    if kind == "seq":
        fields = [field] if field is not None else ["title", "text"]
        want = spec[2]
        for f in fields:
            for fact in facts[f]:
                if fact[0] == "seq" and fact[1] == spec[1] and all(a or not w for a, w in zip(fact[2], want)):
                    return True
        return False
    if kind == "title":
        return evaluate(spec[1], facts, lang, hosts, "title")
    if kind == "and":
        return all(evaluate(s, facts, lang, hosts, field) for s in spec[1:])
    if kind == "or":
        return any(evaluate(s, facts, lang, hosts, field) for s in spec[1:])
    if kind == "not":
        return not evaluate(spec[1], facts, lang, hosts, field)
    if kind == "lang":
        return lang in spec[1]
    if kind == "site":
        return any(h == spec[1] or h.endswith("." + spec[1]) for h in hosts)
    raise ValueError(kind)


def _atoms(spec: tuple, negated: bool = False):
    kind = spec[0]
    if kind in ("word", "hashtag", "handle", "seq"):
        yield spec, negated
    elif kind == "title":
        yield from _atoms(spec[1], negated)
    elif kind in ("and", "or"):
        for s in spec[1:]:
            yield from _atoms(s, negated)
    elif kind == "not":
        yield from _atoms(spec[1], not negated)


def _forms_for(atom: tuple, hit: bool, rnd: random.Random) -> list[Form]:
    kind, value = atom[0], atom[1]
    if kind == "word":
        return [word_form(value, rnd) if hit else word_miss(value, rnd)]
    if kind == "hashtag":
        return [hashtag_form(value, rnd) if hit else sigil_miss(value, "#", rnd)]
    if kind == "handle":
        return [handle_form(value, rnd) if hit else sigil_miss(value, "@", rnd)]
    if kind == "seq":
        toks = value.split(" ")
        return [seq_form(toks, atom[2], rnd)] if hit else seq_miss(toks, atom[2], rnd)
    raise ValueError(kind)


# --------------------------------------------------------------------------- items

def _check_vocabulary(terms: list[tuple[str, tuple]]) -> None:
    reserved: set[str] = set()
    for _q, spec in terms:
        for atom, _neg in _atoms(spec):
            reserved.update(t for t in atom[1].split(" ") if len(t) > 1)
    clash = (_vocab_tokens(FR_WORDS + EN_WORDS + SOCIAL) & reserved) - {"com"}
    if clash:
        raise AssertionError(f"filler words collide with term words: {sorted(clash)}")


def _filler(rnd: random.Random, words: list[str], n: int) -> list[str]:
    """n filler words with punctuation, sentences capitalised, a few hashtags and handles."""
    out = []
    cap = True
    picks = rnd.choices(words, k=n)
    puncts = rnd.choices(PUNCT_AFTER, k=n)
    for w, p in zip(picks, puncts):
        if rnd.random() < 0.02:
            w = rnd.choice(SOCIAL)
        if cap:
            w = w[:1].upper() + w[1:]
            cap = False
        if p in (".", "!", "?", "…"):
            cap = True
        out.append(w + p)
    return out


def _url(host: str, rnd: random.Random) -> str:
    shown = host.upper() if rnd.random() < 0.1 else host
    port = ":8443" if rnd.random() < 0.05 else ""
    return f"https://{shown}{port}/{rnd.choice(['p', 'post', 'a/b'])}/{rnd.randrange(10**6)}"


def generate(n: int, seed: int = 0) -> tuple[list[tuple[int, str]], list[tuple[MatchDoc, set[int]]]]:
    """(terms as (id, query), items as (MatchDoc, expected term ids)), deterministic for a seed."""
    rnd = random.Random(seed)
    forbidden = _vocab_tokens(FR_WORDS + EN_WORDS + SOCIAL)
    for _q, spec in HAND_TERMS:
        for atom, _neg in _atoms(spec):
            forbidden.update(atom[1].split(" "))
    specs = list(HAND_TERMS) + _generated_terms(random.Random(1000 + seed), 200 - len(HAND_TERMS), forbidden)
    _check_vocabulary(specs)
    terms = [(i + 1, q) for i, (q, _s) in enumerate(specs)]
    items: list[tuple[MatchDoc, set[int]]] = []
    for _ in range(n):
        lang = rnd.choices(["fr", "en", None], [0.55, 0.4, 0.05])[0]
        words = FR_WORDS if (lang == "fr" or (lang is None and rnd.random() < 0.5)) else EN_WORDS
        lang_shown = lang and rnd.choice([lang, lang, lang, lang.upper(), f"{lang}-{rnd.choice(['FR', 'CA', 'US', 'GB'])}"])
        host = rnd.choice(HOSTS)
        source = rnd.choice(HOSTS)
        title_words = _filler(rnd, words, rnd.randint(6, 10))
        text_words = _filler(rnd, words, rnd.randint(140, 165))
        facts = {"title": set(), "text": set()}
        slots = {"title": [], "text": []}  # (index among filler words, form text)
        n_events = rnd.choices([0, 1, 2, 3], [0.35, 0.35, 0.18, 0.12])[0]
        for _e in range(n_events):
            idx = rnd.randrange(len(specs)) if rnd.random() < 0.75 else rnd.randrange(len(HAND_TERMS))
            spec = specs[idx][1]
            for atom, negated in _atoms(spec):
                if rnd.random() > (0.35 if negated else 0.85):
                    continue
                hit = rnd.random() < 0.8
                for form in _forms_for(atom, hit, rnd):
                    fld = "title" if rnd.random() < 0.25 else "text"
                    facts[fld] |= form.facts()
                    slots[fld].append(form.text())
        doc_fields = {}
        for fld, filler in (("title", title_words), ("text", text_words)):
            # Each form goes between two filler words, never next to another form.
            positions = sorted(rnd.sample(range(1, len(filler)), min(len(slots[fld]), len(filler) - 1)))
            out: list[str] = []
            forms = slots[fld]
            fi = 0
            for i, w in enumerate(filler):
                if fi < len(forms) and fi < len(positions) and positions[fi] == i:
                    out.append(forms[fi])
                    fi += 1
                out.append(w)
            for rest in forms[fi:]:  # more forms than gaps: at the end, separated by filler
                out.append(rest)
                out.append(rnd.choice(words))
            doc_fields[fld] = " ".join(out)
        hosts = tuple(h.lower() for h in (host, source))
        doc = MatchDoc(title=doc_fields["title"], text=doc_fields["text"], lang=lang_shown,
                       url=_url(host, rnd), source_url=_url(source, rnd))
        # Every term needs a word, so an item where nothing was written matches none.
        expected = (
            {tid for (tid, _q), (_q2, spec) in zip(terms, specs) if evaluate(spec, facts, lang, hosts)}
            if facts["title"] or facts["text"] else set()
        )
        items.append((doc, expected))
    return terms, items
