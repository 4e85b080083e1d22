"""Sentiment analysis: each rule on a small hand-made lexicon, the shipped
lexicons on typical phrases, explanations, and accuracy on the labelled set."""

from __future__ import annotations

import math
import threading
from collections import Counter
from pathlib import Path

import pytest

from cmdesk.core.sentiment import (
    LABELS,
    NEUTRAL_THRESHOLD,
    REASONS,
    LexiconError,
    SentimentCue,
    SentimentLexicon,
    SentimentResult,
    analyse,
    explain,
    tokenize,
)
from cmdesk.resources import resource_path

DATA = Path(__file__).resolve().parents[1] / "data" / "sentiment_fr_en.tsv"
MIN_ACCURACY = 0.75

EN = """\
good\t2
bad\t-2
great\t3
slow\t-1
awful\t-3
love\t3
refund\t1
works\t1
waste of money\t-3
hands down\t3
thanks\t2
"""
FR = """\
bon\t1
bien\t1
déçu\t-2
nul\t-3
génial\t3
baissé\t-2
baisse\t0
marche\t1
aime\t2
merci\t2
pas terrible\t-2
au top\t3
de la merde\t-3
répond\t1
plante\t-2
rapide\t1
ça déchire\t3
"""
MODIFIERS = """\
# a comment
negator\ten\tnot\t-0.75
negator\ten\tn't\t-0.75
negator\ten\tno\t-0.75
negator\tfr\tpas\t-0.75
negator\tfr\tjamais\t-0.75
negator\tfr\tsans\t-0.75
negator_ne\tfr\tplus\t-0.75
negator_ne\tfr\tpersonne\t-0.75
intensifier\ten\tvery\t1.5
intensifier\tfr\ttrès\t1.5
intensifier\tfr\tgrave\t1.5\tafter
intensifier\tfr\tdu tout\t1.2\tafter
dampener\ten\ta bit\t0.5
dampener\tfr\tun peu\t0.5
contrast\ten\tbut\t1.5
contrast\tfr\tmais\t1.5
irony\t*\t🙃\t-0.75
emoji\t*\t😍\t3
emoji\t*\t👍\t2
emoji\t*\t😡\t-3
emoji\t*\t:)\t1.5
emoji\t*\t:(\t-2
"""


@pytest.fixture(scope="module")
def small() -> SentimentLexicon:
    return SentimentLexicon.from_text({"en": EN, "fr": FR}, MODIFIERS)


@pytest.fixture(scope="module")
def shipped() -> SentimentLexicon:
    return SentimentLexicon.load(resource_path("lexicons"))


def reasons(result: SentimentResult) -> list[str]:
    return [c.reason for c in result.cues]


def cue(result: SentimentResult, reason: str) -> SentimentCue:
    found = [c for c in result.cues if c.reason == reason]
    assert found, f"no {reason!r} cue in {result.cues}"
    return found[0]


# -- results and cues ------------------------------------------------------


def test_result_shape_and_normalisation(small):
    r = analyse("good", "en", small)
    assert r.label == "positive"
    assert r.cues == (SentimentCue("good", 2.0, "lexicon"),)
    assert r.score == pytest.approx(2 / math.sqrt(4 + 15), abs=1e-4)
    assert -1.0 <= r.score <= 1.0


def test_cue_weights_add_up_to_the_score(shipped):
    text = "Franchement PAS déçu du tout, l'appli est vraiment au top mais le SAV... bof ?! 😍"
    r = analyse(text, "fr", shipped)
    assert all(c.reason in REASONS for c in r.cues)
    assert r.score == pytest.approx(r.total / math.sqrt(r.total**2 + 15), abs=2e-3)


def test_neutral_text_has_no_cues(small):
    r = analyse("The shop opens at nine", "en", small)
    assert (r.score, r.label, r.cues) == (0.0, "neutral", ())


def test_labels_follow_the_threshold(small):
    assert LABELS == ("positive", "neutral", "negative")
    assert analyse("awful", "en", small).label == "negative"
    # a weight of 0.5 is below the neutral threshold: 0.5/sqrt(15.25) ≈ 0.13
    lex = SentimentLexicon.from_text({"en": "meh\t-0.5\n"})
    r = analyse("meh", "en", lex)
    assert abs(r.score) < NEUTRAL_THRESHOLD and r.label == "neutral"


# -- negation --------------------------------------------------------------


def test_negation_flips_a_positive_word(small):
    r = analyse("not good", "en", small)
    assert r.label == "negative"
    assert reasons(r) == ["lexicon", "negated"]
    assert cue(r, "negated").text == "not"
    assert r.total == pytest.approx(-1.5)


def test_negated_negative_is_milder_praise(small):
    r = analyse("not bad", "en", small)
    # -2 x -0.75 x 2/3
    assert r.total == pytest.approx(1.0)
    assert r.label == "positive"


def test_negated_mild_positive_is_still_a_complaint(small):
    # "works" is weak praise (+1) but "doesn't work" is a real complaint
    r = analyse("it doesn't works", "en", small)
    assert r.total == pytest.approx(-1.2)
    assert r.label == "negative"


def test_contraction_nt_negates(small):
    assert [t.key for t in tokenize("don't")] == ["do", "n't"]
    assert analyse("it isn't good", "en", small).label == "negative"


def test_negation_scope_stops_at_punctuation_and_after_three_words(small):
    assert analyse("not today, good service", "en", small).label == "positive"
    assert analyse("not one two three good", "en", small).label == "positive"
    assert analyse("not one two good", "en", small).label == "negative"


def test_french_ne_pas_around_the_word(small):
    r = analyse("ça ne marche pas", "fr", small)
    assert r.label == "negative"
    assert cue(r, "negated").text == "pas"


def test_french_ne_pas_before_the_word(small):
    r = analyse("je ne suis pas déçu", "fr", small)
    assert r.label == "positive"
    assert r.total == pytest.approx(1.0)


def test_french_bare_pas(small):
    assert analyse("c'est pas bon", "fr", small).label == "negative"
    # spoken French: nothing to negate after "pas", so the word before it
    assert analyse("j'aime pas", "fr", small).label == "negative"


def test_french_plus_negates_only_after_ne(small):
    assert analyse("l'appli ne plante plus", "fr", small).label == "positive"
    # comparative "plus": no "ne", no negation
    r = analyse("plus rapide", "fr", small)
    assert r.label == "positive" and "negated" not in reasons(r)


def test_french_negative_subject(small):
    r = analyse("personne ne répond", "fr", small)
    assert r.label == "negative"
    assert cue(r, "negated").text == "personne"


def test_french_jamais_and_sans(small):
    assert analyse("jamais déçu", "fr", small).label == "positive"
    assert analyse("livré sans bon de commande", "fr", small).label == "negative"


def test_litotes_with_enough(shipped):
    assert analyse("Can't recommend them enough", "en", shipped).label == "positive"
    assert analyse("not good enough", "en", shipped).label == "negative"


# -- intensity ---------------------------------------------------------------


def test_intensifier(small):
    r = analyse("very good", "en", small)
    assert r.total == pytest.approx(3.0)
    assert cue(r, "intensified").text == "very"
    assert r.score > analyse("good", "en", small).score


def test_dampener(small):
    r = analyse("a bit slow", "en", small)
    assert r.total == pytest.approx(-0.5)
    assert cue(r, "dampened").text == "a bit"
    assert analyse("un peu déçu", "fr", small).total == pytest.approx(-1.0)


def test_intensifier_after_the_word(small):
    r = analyse("ça déchire grave", "fr", small)
    assert r.total == pytest.approx(4.5)
    assert cue(r, "intensified").text == "grave"


def test_intensifier_then_negation(small):
    r = analyse("pas déçu du tout", "fr", small)
    assert reasons(r) == ["lexicon", "intensified", "negated"]
    assert r.total == pytest.approx(-2 * 1.2 * -0.75 * 2 / 3)


def test_capitals_emphasise(small):
    r = analyse("AWFUL service", "en", small)
    assert r.total == pytest.approx(-3.9)
    assert cue(r, "intensified").text == "AWFUL"


def test_shouting_everything_emphasises_nothing(small):
    assert analyse("THIS IS AWFUL", "en", small).total == pytest.approx(-3.0)


def test_stretched_letters(small):
    r = analyse("merciiiii", "fr", small)
    assert r.total == pytest.approx(2.0 * 1.15)
    assert r.label == "positive"


# -- emoji, punctuation, clauses ---------------------------------------------


@pytest.mark.parametrize(
    "text, weight",
    [("😍", 3.0), ("👍", 2.0), ("👍🏽", 2.0), ("😡", -3.0), (":)", 1.5), (":(", -2.0), ("nice :-(", None)],
)
def test_emoji_and_emoticons(small, text, weight):
    r = analyse(text, None, small)
    if weight is None:
        assert r.cues == ()  # ":-(" is not in this small lexicon
    else:
        assert r.cues == (SentimentCue(text, weight, "emoji"),)


def test_emoji_with_variation_selector():
    lex = SentimentLexicon.from_text({"en": ""}, "emoji\t*\t❤\t2.5\n")
    assert analyse("❤️", "en", lex).total == pytest.approx(2.5)
    assert analyse("❤", "en", lex).total == pytest.approx(2.5)


def test_exclamation_amplifies(small):
    r = analyse("good!!!", "en", small)
    assert cue(r, "exclamation").weight == pytest.approx(0.9)
    assert cue(r, "exclamation").text == "!!!"
    assert r.score > analyse("good", "en", small).score
    # towards the sign of the text, and capped at four
    assert analyse("awful!!!!!!!!", "en", small).total == pytest.approx(-3 - 1.2)
    # nothing to amplify
    assert analyse("hello!!!", "en", small).cues == ()


def test_but_clause_weighs_the_second_part(small):
    r = analyse("good but slow", "en", small)
    assert r.total == pytest.approx(2 * 0.5 - 1 * 1.5)
    assert cue(r, "but_clause").text == "but"
    assert analyse("slow but good", "en", small).score > 0
    r = analyse("génial mais nul", "fr", small)
    assert r.label == "negative" and cue(r, "but_clause").text == "mais"


def test_but_at_the_start_of_a_sentence(small):
    r = analyse("Great coffee. But slow.", "en", small)
    assert r.total == pytest.approx(3 * 0.5 - 1.5)


def test_questions_are_damped(small):
    question = analyse("is it good?", "en", small)
    statement = analyse("it is good.", "en", small)
    assert abs(question.score) < abs(statement.score)
    assert question.label == "neutral"
    assert cue(question, "question").text == "?"


def test_irony_marker_turns_praise_into_blame(small):
    r = analyse("great, thanks 🙃", "en", small)
    assert r.label == "negative"
    assert r.cues[0].reason == "negated" and r.cues[0].text == "🙃"


# -- irony and complaint questions (small lexicon plus the rule words) --------

RULES = MODIFIERS + """\
gratitude\ten\tthanks\t-0.75
gratitude\tfr\tmerci\t-0.75
retort\ten\tsure\t-1
retort\tfr\tévidemment\t-1
question\ten\twhy\t-0.8
question\ten\tis it normal that\t-1
question\tfr\tpourquoi\t-0.8
question\tfr\ton fait comment\t-1
stock\ten\tgreat\t1
stock\ten\tguys\t1
stock\tfr\tgénial\t1
stock\ten\tjob\t1
stock\tfr\tbien\t1
intensifier\ten\treally\t1.3
intensifier\ten\tstill\t1.1
negator\ten\tstill no\t-0.75
negator\ten\tnever\t-0.75
"""
RULES_EN = EN + "still no\t-1.5\nissues\t-1\nlate\t-1\noutage\t-2\nfixing\t1.5\nfast\t1\n"


@pytest.fixture(scope="module")
def rules() -> SentimentLexicon:
    return SentimentLexicon.from_text({"en": RULES_EN, "fr": FR}, RULES)


def test_new_modifier_kinds_are_read(rules):
    assert analyse("why??", "en", rules).label == "negative"
    with pytest.raises(LexiconError, match="unknown kind"):
        SentimentLexicon.from_text({"en": ""}, "sarcasm\ten\tsure\t-1\n")


def test_thanks_for_a_bad_thing_is_ironic(rules):
    r = analyse("thanks Acme for the awful update", "en", rules)
    assert r.label == "negative"
    assert r.cues[0] == SentimentCue("thanks \u2026 for", pytest.approx(2 * -0.75 - 2), "negated")
    assert r.total == pytest.approx(-1.5 - 3)
    assert analyse("merci pour ce bug nul", "fr", rules).label == "negative"
    # sincere: a good thing, or something good later in the sentence
    assert analyse("thanks Acme for the good update", "en", rules).label == "positive"
    assert analyse("thanks for fixing the outage so fast", "en", rules).label == "positive"
    # the bad thing too far from "for" is not what the thanks is for
    assert analyse("thanks for the one two three four outage", "en", rules).total > -2


def test_stock_praise_after_blame_is_ironic(rules):
    r = analyse("The update is awful. Great job guys.", "en", rules)
    assert r.label == "negative"
    assert r.cues[0].reason == "negated" and r.cues[0].text == "Great job guys"
    assert analyse("c'est nul, merci bien", "fr", rules).label == "negative"
    assert analyse("Ça plante encore. Génial.", "fr", rules).label == "negative"
    # praise with its own subject, after a contrast, or after good news stays praise
    assert analyse("The old app was bad. The new one is great!", "en", rules).label == "positive"
    assert analyse("It was slow at first, but it works now. Great job guys.", "en", rules).label == "positive"
    assert analyse("The first one was awful. Still great.", "en", rules).total > -1
    # no blame before it, or a verdict rather than a stock compliment: sincere
    assert analyse("Great job guys.", "en", rules).label == "positive"
    assert analyse("The first one was awful. Love.", "en", rules).total == pytest.approx(0)
    # plain thanks after bad news may be sincere
    assert analyse("Le site plante. Merci.", "fr", rules).cues[0].reason == "lexicon"


def test_one_word_retort_after_a_complaint(rules):
    r = analyse("Late again. Sure.", "en", rules)
    assert r.label == "negative"
    assert SentimentCue("Sure", -1.0, "negated") in r.cues
    r = analyse("Awful and slow, love the new look. Sure.", "en", rules)
    assert r.label == "negative" and cue(r, "negated").text == "Sure"
    assert analyse("Livraison en retard et colis nul. Évidemment.", "fr", rules).total < -3
    # alone, after praise, or answering a question: no retort
    assert analyse("Sure.", "en", rules).cues == ()
    assert analyse("Good food. Sure.", "en", rules).label == "positive"
    assert analyse("Is it slow? Sure.", "en", rules).total > -1


def test_complaint_questions(rules):
    r = analyse("Why is my bill this high?", "en", rules)
    assert r.label == "neutral" or r.total == pytest.approx(-0.8)
    assert SentimentCue("Why", -0.8, "question") in r.cues
    # "??" is angrier; an address before the question word is fine
    r = analyse("Acme, why is it so slow??", "en", rules)
    assert r.label == "negative" and SentimentCue("why", pytest.approx(-1.2), "question") in r.cues
    assert analyse("Is it normal that my order is late?", "en", rules).label == "negative"
    assert analyse("Plus de réseau. On fait comment ??", "fr", rules).label == "negative"
    # ordinary questions stay neutral; "why" inside a sentence opens nothing
    assert analyse("Does Acme ship to Belgium?", "en", rules).cues == ()
    assert analyse("Lequel est le plus rapide ?", "fr", rules).label == "neutral"
    assert analyse("Tell me why you love it.", "en", rules).label == "positive"
    assert analyse("I wonder if we know why?", "en", rules).cues == ()


def test_cues_add_up_with_the_irony_rules(rules):
    for text in (
        "thanks Acme for the awful update!! 😡",
        "The update is awful. Great job guys, really 👍👍",
        "Late again. Sure.",
        "Acme, why is it so slow??",
    ):
        r = analyse(text, "en", rules)
        assert all(c.reason in REASONS for c in r.cues)
        assert r.score == pytest.approx(r.total / math.sqrt(r.total**2 + 15), abs=2e-3), text


def test_negation_reaches_a_bad_word_past_determiners(rules):
    r = analyse("never had a single outage", "en", rules)
    assert r.label == "positive" and cue(r, "negated").text == "never"
    # good words are not reached further than before
    assert analyse("never one two three good", "en", rules).label == "positive"


def test_a_complaining_negator_is_no_complaint_about_bad_things(rules):
    assert analyse("still no refund", "en", rules).label == "negative"
    r = analyse("two years in, still no issues", "en", rules)
    assert r.total > 0 and all(c.text != "still no" or c.reason == "negated" for c in r.cues)


# -- the shipped lexicons on complaints and praise without adjectives ---------


@pytest.mark.parametrize(
    "lang, text, label",
    [
        ("en", "Ordered a desk in May and still nothing.", "negative"),
        ("en", "Week three and still no tracking number from Parcelo.", "negative"),
        ("en", "Deleted my account and uninstalled the app.", "negative"),
        ("en", "Time to look elsewhere: we're looking for alternatives.", "negative"),
        ("en", "Their premium tier? Hard pass.", "negative"),
        ("en", "They cancelled my booking without any explanation.", "negative"),
        ("en", "Called four times and nobody ever calls back.", "negative"),
        ("en", "My smart plug randomly stops working at night.", "negative"),
        ("en", "Got billed twice for the same month.", "negative"),
        ("en", "Not ordering from them again.", "negative"),
        ("en", "Paid extra for priority and got it for nothing.", "negative"),
        ("en", "The voucher code they emailed me doesn't exist.", "negative"),
        ("fr", "Commande passée il y a un mois, toujours rien.", "negative"),
        ("fr", "Toujours pas de date pour le technicien.", "negative"),
        ("fr", "J'ai désinstallé leur appli hier soir.", "negative"),
        ("fr", "Je vais voir ailleurs, c'est décidé.", "negative"),
        ("fr", "Le suivi des commandes laisse à désirer.", "negative"),
        ("fr", "Deux heures au téléphone, épuisant.", "negative"),
        ("fr", "Abonnement résilié sans explication.", "negative"),
        ("fr", "Personne n'est joignable au siège.", "negative"),
        ("fr", "Ma box ne fonctionne plus depuis mardi.", "negative"),
        ("fr", "Je ne recommande pas ce prestataire.", "negative"),
        ("en", "This little café is now my go-to.", "positive"),
        ("en", "Their sourdough is the real deal.", "positive"),
        ("en", "Can't say enough good things about the night staff.", "positive"),
        ("en", "Can't believe how quick the install was.", "positive"),
        ("en", "Three years and never had a single billing error.", "positive"),
        ("en", "The new scheduler saved us hours every week.", "positive"),
        ("fr", "Une adresse à retenir pour les soirs de match.", "positive"),
        ("fr", "On s'est régalés du début à la fin.", "positive"),
        ("fr", "L'outil nous fait gagner un temps fou.", "positive"),
        ("fr", "Jamais eu de problème avec leur livraison.", "positive"),
        ("fr", "On est passés à leur outil et on ne reviendrait pas en arrière.", "positive"),
        ("en", "The bank launches fixed-rate savings accounts in May.", "neutral"),
        ("en", "Share this post for a chance to win a tablet.", "neutral"),
        ("en", "Owners can request a replacement battery online.", "neutral"),
        ("fr", "Un colis met en moyenne deux jours à arriver.", "neutral"),
        ("fr", "Il y a moyen de réserver pour douze ?", "neutral"),
        ("fr", "La nouvelle version ajoute un mode hors ligne.", "neutral"),
        ("en", "Do they deliver on Sundays?", "neutral"),
        ("fr", "Laquelle des deux offres est la moins chère ?", "neutral"),
    ],
)
def test_shipped_lexicons_on_mentions_without_adjectives(shipped, lang, text, label):
    r = analyse(text, lang, shipped)
    assert r.label == label, (text, r.cues)


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "Thanks Parcelo for losing my parcel."),
        ("fr", "Merci Voltéo pour la coupure de ce matin."),
        ("en", "Two hours on hold, then they hung up. Great job guys 👏"),
        ("fr", "Colis perdu, pas un mot du transporteur. Bravo."),
        ("fr", "Deux heures de retard, merci bien."),
        ("en", "The refund was due last month and is still missing. Sure."),
        ("en", "Why does the app log me out every day??"),
        ("fr", "Pourquoi le site est encore en panne ??"),
        ("fr", "Est-ce normal que ma facture double ?"),
        ("en", "Is it normal that my order shows delivered but nothing came?"),
    ],
)
def test_shipped_lexicons_read_irony_and_complaint_questions(shipped, lang, text):
    r = analyse(text, lang, shipped)
    assert r.label == "negative", (text, r.cues)


def test_shipped_lexicons_keep_sincere_praise_after_a_problem(shipped):
    for text in (
        "The old dashboard was clunky. The new one is great!",
        "My card broke, they sent a new one in a day. Impressed.",
        "Our parcel got lost. They found it within the hour. Great job guys.",
        "Thanks for fixing the outage so quickly!",
    ):
        r = analyse(text, "en", shipped)
        assert r.score > 0 and "negated" not in reasons(r), (text, r.cues)


def test_ratings(small):
    assert analyse("9/10", "en", small).label == "positive"
    assert analyse("2/10 would not buy", "en", small).label == "negative"
    assert analyse("1 star", "en", small).label == "negative"
    assert analyse("open 24/7", "en", small).cues == ()


# -- tokens: elision, accents, expressions -------------------------------------


def test_french_elision():
    assert [t.key for t in tokenize("l'appli d'Acme qu'il n'aime")] == [
        "l'",
        "appli",
        "d'",
        "acme",
        "qu'",
        "il",
        "n'",
        "aime",
    ]
    # typographic apostrophe, and words that keep theirs
    assert [t.key for t in tokenize("L’appli aujourd'hui quelqu'un")] == [
        "l'",
        "appli",
        "aujourd'hui",
        "quelqu'un",
    ]


def test_elided_words_are_matched(small):
    assert analyse("j'aime", "fr", small).label == "positive"
    assert analyse("Merci d'avoir répondu, l’appli est géniale", "fr", small).label == "positive"


def test_urls_and_handles_are_ignored(small):
    r = analyse("@good_support see https://example.com/awful-bad", "en", small)
    assert r.cues == ()
    assert analyse("#awful", "en", small).label == "negative"


def test_accents_are_optional(small):
    for text in ("déçu", "decu", "DÉÇU", "DECU", "décu"):
        assert analyse(text, "fr", small).total < 0, text


def test_real_word_without_accent_is_not_the_accented_one(small):
    # "baisse" (a price cut) is listed with 0 so it is not read as "baissé"
    assert analyse("Globex baisse ses prix", "fr", small).cues == ()
    assert analyse("la qualité a baissé", "fr", small).label == "negative"


def test_expressions_win_over_their_words(small):
    r = analyse("c'est pas terrible", "fr", small)
    assert r.cues == (SentimentCue("pas terrible", -2.0, "lexicon"),)
    assert analyse("de la merde", "fr", small).total == pytest.approx(-3)
    assert analyse("a waste of money", "en", small).total == pytest.approx(-3)
    assert analyse("best coffee in town hands down", "en", small).total == pytest.approx(3)
    assert analyse("au top", "fr", small).label == "positive"


def test_language_selects_the_lexicon(small):
    # "bon" is French only, "good" English only
    assert analyse("bon", "en", small).cues == ()
    assert analyse("good", "fr", small).cues == ()
    assert analyse("good", "fr-FR", small).cues == ()
    for lang in (None, "de", "", "xx"):
        assert analyse("bon good", lang, small).total == pytest.approx(3)


def test_languages_with_opposite_signs_cancel_out():
    lex = SentimentLexicon.from_text({"en": "sale\t1\n", "fr": "sale\t-2\n"})
    assert analyse("sale", None, lex).cues == ()
    assert analyse("sale", "fr", lex).total == pytest.approx(-2)


# -- explanations -----------------------------------------------------------------


def test_explanation_of_a_negated_word(shipped):
    lines = explain(analyse("Je ne suis pas déçu", "fr", shipped))
    assert "'déçu' \u22122.0 negated by 'pas' → +1.0" in lines
    assert lines[-1].startswith("total +1.0 → score +0.25")


def test_explanations_of_irony_and_complaint_questions(rules):
    text = "\n".join(explain(analyse("The update is awful. Great job guys. Why??", "en", rules)))
    assert "irony marker 'Great job guys'" in text
    assert "'Why' opens a complaint question" in text
    assert "question '??': sentiment damped" not in text  # nothing to damp
    text = "\n".join(explain(analyse("thanks Acme for the awful update", "en", rules)))
    assert "irony marker 'thanks \u2026 for'" in text


def test_explanations_name_every_rule(small):
    r = analyse("Not bad, VERY good but a bit slow?! 😍 🙃", "en", small)
    text = "\n".join(explain(r))
    for fragment in (
        "'bad' \u22122.0 negated by 'Not'",
        "intensified by 'VERY'",
        "dampened by 'a bit'",
        "emoji '😍' +3.0",
        "'but': what follows counts more",
        "question '?!'",
        "irony marker '🙃'",
        "'!' amplifies",
    ):
        assert fragment in text, (fragment, text)


# -- lexicon files ------------------------------------------------------------------


def test_shipped_lexicons_load(shipped):
    assert shipped.languages == ("en", "fr")
    assert shipped.weight("déçue", "fr") < 0
    assert shipped.weight("deçus", "fr") < 0
    assert shipped.weight("arnaque", "fr") <= -3
    assert shipped.weight("nickel", "fr") > 0
    assert shipped.weight("scam", "en") <= -3
    assert shipped.weight("customer service", "en") is None


@pytest.mark.parametrize(
    "lexicons, modifiers, message",
    [
        ({"en": "good 2\n"}, "", "expected 'word<TAB>weight'"),
        ({"en": "good\tvery\n"}, "", "not a number"),
        ({"en": "good\t5\n"}, "", r"outside \[-4, 4\]"),
        ({"en": "good\tnan\n"}, "", r"outside \[-4, 4\]"),
        ({"en": ""}, "booster\ten\tvery\t1.3\n", "unknown kind"),
        ({"en": ""}, "negator\ten\tnot\n", "expected 'kind"),
        ({"en": ""}, "intensifier\ten\taf\t1.3\tbehind\n", "position"),
    ],
)
def test_malformed_lexicons_are_reported(lexicons, modifiers, message):
    with pytest.raises(LexiconError, match=message):
        SentimentLexicon.from_text(lexicons, modifiers)


def test_load_needs_a_lexicon(tmp_path):
    (tmp_path / "modifiers.tsv").write_text("", encoding="utf-8")
    with pytest.raises(LexiconError):
        SentimentLexicon.load(tmp_path)


def test_load_reads_a_folder(tmp_path):
    (tmp_path / "en.tsv").write_text(EN, encoding="utf-8")
    (tmp_path / "modifiers.tsv").write_text(MODIFIERS, encoding="utf-8")
    lex = SentimentLexicon.load(tmp_path)
    assert analyse("not good", "en", lex).label == "negative"


# -- robustness ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   ", None, 42, "\x00\x01", "\ud800 broken surrogate", "!!!???...", "🙃", "'" * 50, "n't", "- - -", ":) " * 2000],
)
def test_odd_input_never_raises(shipped, text):
    r = analyse(text, "fr", shipped)
    assert -1.0 <= r.score <= 1.0 and r.label in LABELS


def test_long_text_is_fine(shipped):
    r = analyse("génial " * 5000, "fr", shipped)
    assert 0.99 < r.score <= 1.0


def test_shared_lexicon_across_threads():
    lex = SentimentLexicon.from_text({"en": EN, "fr": FR}, MODIFIERS)  # tables not built yet
    texts = ["not good", "très bon", "good but slow", "pas déçu", "😍"] * 20
    expected = [analyse(t, None, SentimentLexicon.from_text({"en": EN, "fr": FR}, MODIFIERS)) for t in texts]
    results: dict[int, list] = {}

    def work(n):
        results[n] = [analyse(t, None, lex) for t in texts]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results.values())


# -- the labelled data set ------------------------------------------------------------


def load_labelled(path: Path = DATA) -> list[tuple[str, str, str]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        assert header == ["lang", "label", "text"]
        for n, line in enumerate(f, 2):
            lang, label, text = line.rstrip("\n").split("\t")
            assert lang in ("fr", "en") and label in LABELS and text.strip(), n
            rows.append((lang, label, text))
    return rows


def test_labelled_set_is_big_and_balanced():
    rows = load_labelled()
    assert len(rows) >= 300
    per_lang = Counter(lang for lang, _, _ in rows)
    assert per_lang["fr"] >= 150 and per_lang["en"] >= 150
    assert len({text for _, _, text in rows}) == len(rows)
    for lang in ("fr", "en"):
        labels = Counter(label for lg, label, _ in rows if lg == lang)
        assert min(labels.values()) >= 0.2 * per_lang[lang], labels


def confusion_report(rows, shipped) -> dict[str, float]:
    accuracy = {}
    for lang in ("en", "fr"):
        matrix = Counter()
        total = correct = 0
        for lg, label, text in rows:
            if lg != lang:
                continue
            predicted = analyse(text, lang, shipped).label
            matrix[label, predicted] += 1
            total += 1
            correct += predicted == label
        accuracy[lang] = correct / total
        print(f"\n{lang}: accuracy {accuracy[lang]:.3f} ({correct}/{total})")
        corner = "true / predicted"
        print(f"  {corner:<18}" + "".join(f"{p:>10}" for p in LABELS))
        for t in LABELS:
            print(f"  {t:<18}" + "".join(f"{matrix[t, p]:>10}" for p in LABELS))
    return accuracy


def test_accuracy_per_language_on_the_labelled_set(shipped):
    accuracy = confusion_report(load_labelled(), shipped)
    for lang, value in accuracy.items():
        assert value >= MIN_ACCURACY, f"{lang}: accuracy {value:.3f} < {MIN_ACCURACY}"


# Two sets written after the lexicons, by people who had not seen them:
# sentiment_dev.tsv was used to improve the rules (so it flatters them);
# sentiment_heldout_test.tsv was never looked at while tuning: it is the honest
# figure (EN 0.78, FR 0.84 when written). Do not tune on it.
HELD_OUT = DATA.parent / "sentiment_heldout_test.tsv"
DEV = DATA.parent / "sentiment_dev.tsv"


@pytest.mark.parametrize("path", [DEV, HELD_OUT], ids=["dev", "held-out"])
def test_accuracy_on_sets_written_without_seeing_the_lexicons(shipped, path):
    rows = load_labelled(path)
    assert len(rows) >= 300 and {lang for lang, _, _ in rows} == {"fr", "en"}
    accuracy = confusion_report(rows, shipped)
    for lang, value in accuracy.items():
        assert value >= MIN_ACCURACY, f"{path.name} {lang}: accuracy {value:.3f} < {MIN_ACCURACY}"
