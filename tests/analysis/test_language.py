"""Language identification of mentions (py3langid wrapper)."""

from __future__ import annotations

import threading
import time

import pytest

from cmdesk.analysis import language
from cmdesk.analysis.language import DEFAULT_LANGUAGES, MIN_CONFIDENCE, detect_language


@pytest.mark.parametrize(
    "lang, text",
    [
        ("fr", "Merci @Acme pour la réactivité du SAV, problème réglé en 10 minutes"),
        ("fr", "Toujours pas reçu ma commande, c'est une honte"),
        ("fr", "Quelqu'un sait si Acme livre en Belgique ?"),
        ("fr", "L'appli plante à chaque ouverture, c'est n'importe quoi"),
        ("en", "Still waiting for my refund, three weeks now"),
        ("en", "Does anyone know if Acme ships to Canada?"),
        ("en", "the globex app is lowkey really good now"),
        ("en", "Worst customer service ever, never ordering again"),
        ("de", "Danke für die schnelle Lieferung, alles bestens!"),
        ("de", "Die App stürzt ständig ab, total nervig"),
        ("de", "Wann öffnet der neue Laden in Berlin?"),
        ("es", "Gracias por todo, muy buen servicio"),
        ("es", "Mi pedido llegó roto y nadie responde"),
        ("es", "¿Alguien sabe si hacen envíos a México?"),
        ("it", "Il servizio clienti non risponde mai, che vergogna"),
        ("pt", "O atendimento foi ótimo, recomendo muito"),
        ("nl", "De levering was snel en alles werkt prima"),
    ],
)
def test_short_realistic_sentences(lang, text):
    detected, confidence = detect_language(text)
    assert detected == lang, (text, detected, confidence)
    assert MIN_CONFIDENCE <= confidence <= 1.0


def test_emoji_urls_and_handles_do_not_change_the_answer():
    assert detect_language("Livraison reçue en 24h, nickel 👍😍 https://acme.example/x @acme #acme")[0] == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😍😍😍",
        "👍",
        "https://acme.example/some/path?utm_source=x",
        "www.acme.example",
        "@acme @globex",
        "#acme",
        "ok",
        "lol",
        "Acme",
        "10/10 !!!",
        "???",
    ],
)
def test_too_little_text_is_unknown(text):
    detected, confidence = detect_language(text)
    assert detected is None
    assert 0.0 <= confidence < 1.0


@pytest.mark.parametrize(
    "text",
    [None, 42, b"bytes are not text", "\x00\x01\x02", "\ud800\udfff lone surrogates", "a" * 200_000, "é" * 5000, "\u202e\u200b"],
)
def test_odd_input_never_raises(text):
    detected, confidence = detect_language(text)
    assert detected is None or detected in DEFAULT_LANGUAGES
    assert 0.0 <= confidence <= 1.0


def test_candidates_restrict_the_answer():
    text = "Gracias por todo, muy buen servicio"
    assert detect_language(text)[0] == "es"
    detected, _ = detect_language(text, candidates=["fr", "en"])
    assert detected in ("fr", "en", None)
    # a language outside the default set can be asked for
    assert detect_language("Tack för snabb leverans, allt fungerar bra", candidates=["sv", "en", "de"])[0] == "sv"


def test_candidates_edge_cases():
    assert detect_language("Merci beaucoup pour votre aide", candidates=["fr"]) == ("fr", 1.0)
    assert detect_language("Merci beaucoup pour votre aide", candidates=["xx", "zz"]) == (None, 0.0)
    assert detect_language("Merci beaucoup pour votre aide", candidates=[]) == (None, 0.0)
    assert detect_language("Merci beaucoup pour votre aide", candidates=["FR ", "xx", "en"])[0] == "fr"


def test_lazy_initialisation_is_thread_safe(monkeypatch):
    monkeypatch.setattr(language, "_base", None)
    monkeypatch.setattr(language, "_identifiers", {})
    loads = []
    real = language._load_base

    def counting_load():
        loads.append(1)
        return real()

    monkeypatch.setattr(language, "_load_base", counting_load)
    results = []
    barrier = threading.Barrier(6)

    def work():
        barrier.wait()
        results.append(detect_language("Le service client ne répond jamais, quelle galère"))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loads) == 1
    assert [r[0] for r in results] == ["fr"] * 6


def test_speed_sanity():
    texts = [
        "Merci @Acme pour la réactivité du SAV, problème réglé en 10 minutes 👏",
        "Globex delivery was late AGAIN. Never ordering from them again.",
        "Danke für die schnelle Lieferung, alles bestens!",
        "Mi pedido llegó roto y nadie responde",
    ] * 250
    language.preload()
    start = time.perf_counter()
    for text in texts:
        detect_language(text)
    rate = len(texts) / (time.perf_counter() - start)
    print(f"\ndetect_language: {rate:,.0f} items/s")
    # a loose floor (it does several thousand per second on a laptop core)
    assert rate > 500
