"""The monthly report's own strings and number formats, in English and French.

The report runs headless (no Qt translator loaded), so it carries a small
catalogue of its own; `Catalog(lang)` gives texts and formatters.
"""

from __future__ import annotations

import time as _time
from datetime import date, datetime, tzinfo

LANGS = ("en", "fr")

_EN = {
    "report_title": "Monthly summary",
    "generated": "Generated on {date}",
    "period": "Period: {period} (compared with {previous})",
    "timezone": "Days are counted in the time zone {tz}.",
    "no_activity": "There was no activity in this period: no mention was published.",
    "sec_kpis": "Key figures",
    "sec_charts": "Charts",
    "sec_volume": "Mentions per day and per watch term (rings mark spikes)",
    "sec_sov": "Share of voice (mentions)",
    "sec_sentiment": "Sentiment per day",
    "sec_sources": "Top sources",
    "sec_top_mentions": "Top mentions (by reach proxy)",
    "sec_authors": "Top authors",
    "sec_terms": "Mentions per watch term",
    "sec_responses": "Responses",
    "sec_spikes": "Spikes",
    "sec_feeds": "Feed health",
    "sec_roi": "Return on investment",
    "sec_method": "Methodology",
    "col_kpi": "Indicator", "col_current": "This period", "col_previous": "Previous period", "col_change": "Change",
    "col_term": "Watch term", "col_kind": "Kind", "col_mentions": "Mentions", "col_reach": "Reach",
    "col_date": "Date", "col_title": "Title", "col_source": "Source", "col_author": "Author",
    "col_sentiment": "Sentiment", "col_state": "State", "col_day": "Day", "col_count": "Count",
    "col_usual": "Usual", "col_threshold": "Threshold", "col_terms": "Terms", "col_url": "URL",
    "col_replied_at": "Replied at", "col_response_time": "Response time (s)", "col_id": "ID", "col_tags": "Tags",
    "col_found_at": "Found at", "col_line": "Line", "col_quantity": "Quantity", "col_unit": "Unit value",
    "col_amount": "Amount", "col_section": "Section", "col_key": "Key", "col_change_pct": "Change (%)",
    "col_unit_kind": "Unit",
    "kpi_mentions": "Mentions", "kpi_reach": "Reach (proxy)", "kpi_brand_share": "Share of voice (mentions)",
    "kpi_brand_share_reach": "Share of voice (reach)", "kpi_positive": "Positive mentions",
    "kpi_neutral": "Neutral mentions", "kpi_negative": "Negative mentions", "kpi_net_sentiment": "Net sentiment",
    "kpi_unique_sources": "Unique sources", "kpi_unique_authors": "Unique authors",
    "kpi_needing_reply": "Mentions needing a reply", "kpi_replied": "Replied mentions",
    "kpi_response_rate": "Response rate", "kpi_median_response_s": "Median response time",
    "kpi_p90_response_s": "90th percentile response time", "kpi_backlog": "Backlog at period end",
    "kpi_spikes": "Spike days", "kpi_leads": "Leads",
    "kind_brand": "brand", "kind_product": "product", "kind_competitor": "competitor", "kind_person": "person",
    "kind_topic": "topic",
    "sentiment_positive": "positive", "sentiment_neutral": "neutral", "sentiment_negative": "negative",
    "state_new": "new", "state_to_reply": "to reply", "state_replied": "replied", "state_done": "done",
    "state_ignored": "ignored", "state_spam": "spam",
    "no_data": "No data", "none": "None",
    "no_spikes": "No spike in this period.",
    "feeds_line": "{feeds} feeds, {in_error} in error, {disabled} disabled; {errors} failed fetches logged in the period.",
    "feeds_failing": "Feeds in error now:",
    "responses_line": ("{replied} of {needing} mentions needing a reply were replied ({rate}); median response "
                       "time {median}, 90th percentile {p90}; backlog at period end: {backlog}."),
    "roi_formula_title": "Formula",
    "roi_formula": "ROI % = (value − cost) / cost × 100",
    "roi_cost_formula": "cost = hourly cost × hours + tool costs + other costs",
    "roi_value_formula": ("value = replied mentions × value per reply + positive mentions × value per positive"
                          " + leads × value per lead + reach / 1000 × CPM"),
    "roi_inputs": "Inputs (from the settings)",
    "roi_lines": "Calculation",
    "roi_total_cost": "Total cost", "roi_total_value": "Total value", "roi_net": "Net value",
    "roi_result": "ROI",
    "roi_not_computable": "cannot be computed (no cost or no value could be computed, or the cost is 0)",
    "roi_partial": ("Incomplete: the lines with a missing input are left out of the totals (they are not counted"
                    " as zero). Missing: {missing}."),
    "roi_complete": "Every input was given.",
    "roi_set_hint": "Set an input with: cmdesk settings set KEY VALUE",
    "missing": "missing",
    "line_labour": "Labour (hourly cost × hours)", "line_tools": "Tool costs", "line_other": "Other costs",
    "line_replies": "Replied mentions × value per reply", "line_positives": "Positive mentions × value per positive",
    "line_leads": "Leads × value per lead", "line_ad_value": "Reach / 1000 × CPM (advertising value)",
    "input_hourly_cost": "Hourly cost", "input_hours": "Hours in the month", "input_tool_costs": "Tool costs",
    "input_other_costs": "Other costs", "input_value_per_reply": "Value per replied mention",
    "input_value_per_positive": "Value per positive mention", "input_value_per_lead": "Value per lead",
    "input_cpm": "CPM (per 1,000 reach)", "input_lead_tag": "Lead tag", "input_currency": "Currency",
    "method": [
        "A mention counts in the period when it was published in it; days are local days in the time zone above. "
        "The previous period is the previous calendar month.",
        "Reach is a proxy: each mention weighs its source's weight (1 unless you changed it).",
        "Share of voice = mentions matched by brand watch terms / (brand + competitor mentions). A mention that "
        "matches both counts on both sides.",
        "Net sentiment = (positive − negative) / all mentions. Sentiment is the automatic label unless you "
        "corrected it by hand.",
        "A mention needs a reply when it is in the state \u201cto reply\u201d or \u201creplied\u201d, or the "
        "triage history shows it was moved to one of them. Response rate = replied mentions / mentions needing "
        "a reply, counted on the mentions of the period whatever the reply date.",
        "Response time = reply time − time cmdesk found the mention. The median is the middle value; the 90th "
        "percentile is the value at rank ⌈0.9 × n⌉ of the sorted times.",
        "Backlog = mentions found before the end of the period whose state at the end was new or to reply.",
        "A spike is a day where a term's mentions reach at least 5 and exceed the mean of its previous 28 days "
        "by more than 3 standard deviations.",
        "Leads are the period's mentions carrying the lead tag. ROI uses only the inputs you set; a missing "
        "input is shown as missing and its line left out, never counted as zero.",
    ],
    "page": "Page {n}",
    "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"],
}

_FR = {
    "report_title": "Synthèse mensuelle",
    "generated": "Produit le {date}",
    "period": "Période : {period} (comparée à {previous})",
    "timezone": "Les jours sont comptés dans le fuseau horaire {tz}.",
    "no_activity": "Aucune activité sur cette période : aucune mention n'a été publiée.",
    "sec_kpis": "Chiffres clés",
    "sec_charts": "Graphiques",
    "sec_volume": "Mentions par jour et par terme de veille (les cercles marquent les pics)",
    "sec_sov": "Part de voix (mentions)",
    "sec_sentiment": "Tonalité par jour",
    "sec_sources": "Principales sources",
    "sec_top_mentions": "Mentions principales (par audience estimée)",
    "sec_authors": "Principaux auteurs",
    "sec_terms": "Mentions par terme de veille",
    "sec_responses": "Réponses",
    "sec_spikes": "Pics",
    "sec_feeds": "État des flux",
    "sec_roi": "Retour sur investissement",
    "sec_method": "Méthode",
    "col_kpi": "Indicateur", "col_current": "Cette période", "col_previous": "Période précédente",
    "col_change": "Évolution", "col_term": "Terme de veille", "col_kind": "Type", "col_mentions": "Mentions",
    "col_reach": "Audience", "col_date": "Date", "col_title": "Titre", "col_source": "Source",
    "col_author": "Auteur", "col_sentiment": "Tonalité", "col_state": "État", "col_day": "Jour",
    "col_count": "Nombre", "col_usual": "Habituel", "col_threshold": "Seuil", "col_terms": "Termes",
    "col_url": "URL", "col_replied_at": "Répondu le", "col_response_time": "Délai de réponse (s)", "col_id": "ID",
    "col_tags": "Étiquettes", "col_found_at": "Trouvé le", "col_line": "Poste", "col_quantity": "Quantité",
    "col_unit": "Valeur unitaire", "col_amount": "Montant", "col_section": "Section", "col_key": "Clé",
    "col_change_pct": "Évolution (%)", "col_unit_kind": "Unité",
    "kpi_mentions": "Mentions", "kpi_reach": "Audience (estimée)", "kpi_brand_share": "Part de voix (mentions)",
    "kpi_brand_share_reach": "Part de voix (audience)", "kpi_positive": "Mentions positives",
    "kpi_neutral": "Mentions neutres", "kpi_negative": "Mentions négatives", "kpi_net_sentiment": "Tonalité nette",
    "kpi_unique_sources": "Sources distinctes", "kpi_unique_authors": "Auteurs distincts",
    "kpi_needing_reply": "Mentions appelant une réponse", "kpi_replied": "Mentions répondues",
    "kpi_response_rate": "Taux de réponse", "kpi_median_response_s": "Délai de réponse médian",
    "kpi_p90_response_s": "Délai de réponse (90e centile)", "kpi_backlog": "En attente en fin de période",
    "kpi_spikes": "Jours de pic", "kpi_leads": "Prospects",
    "kind_brand": "marque", "kind_product": "produit", "kind_competitor": "concurrent", "kind_person": "personne",
    "kind_topic": "sujet",
    "sentiment_positive": "positive", "sentiment_neutral": "neutre", "sentiment_negative": "négative",
    "state_new": "nouvelle", "state_to_reply": "à répondre", "state_replied": "répondue", "state_done": "traitée",
    "state_ignored": "ignorée", "state_spam": "indésirable",
    "no_data": "Aucune donnée", "none": "Aucun",
    "no_spikes": "Aucun pic sur cette période.",
    "feeds_line": ("{feeds} flux, {in_error} en erreur, {disabled} désactivés ; {errors} échecs de récupération "
                   "journalisés sur la période."),
    "feeds_failing": "Flux en erreur actuellement :",
    "responses_line": ("{replied} mentions répondues sur {needing} appelant une réponse ({rate}) ; délai médian "
                       "{median}, 90e centile {p90} ; en attente en fin de période : {backlog}."),
    "roi_formula_title": "Formule",
    "roi_formula": "ROI % = (valeur − coût) / coût × 100",
    "roi_cost_formula": "coût = coût horaire × heures + coûts des outils + autres coûts",
    "roi_value_formula": ("valeur = mentions répondues × valeur par réponse + mentions positives × valeur par"
                          " mention positive + prospects × valeur par prospect + audience / 1000 × CPM"),
    "roi_inputs": "Données saisies (réglages)",
    "roi_lines": "Calcul",
    "roi_total_cost": "Coût total", "roi_total_value": "Valeur totale", "roi_net": "Valeur nette",
    "roi_result": "ROI",
    "roi_not_computable": ("non calculable (aucun coût ou aucune valeur n'a pu être calculé, ou le coût est "
                           "nul)"),
    "roi_partial": ("Incomplet : les postes dont une donnée manque sont exclus des totaux (ils ne sont pas comptés"
                    " comme zéro). Manquant : {missing}."),
    "roi_complete": "Toutes les données ont été saisies.",
    "roi_set_hint": "Saisir une donnée : cmdesk settings set CLÉ VALEUR",
    "missing": "manquant",
    "line_labour": "Travail (coût horaire × heures)", "line_tools": "Coûts des outils", "line_other": "Autres coûts",
    "line_replies": "Mentions répondues × valeur par réponse",
    "line_positives": "Mentions positives × valeur par mention positive",
    "line_leads": "Prospects × valeur par prospect", "line_ad_value": "Audience / 1000 × CPM (valeur publicitaire)",
    "input_hourly_cost": "Coût horaire", "input_hours": "Heures dans le mois", "input_tool_costs": "Coûts des outils",
    "input_other_costs": "Autres coûts", "input_value_per_reply": "Valeur par mention répondue",
    "input_value_per_positive": "Valeur par mention positive", "input_value_per_lead": "Valeur par prospect",
    "input_cpm": "CPM (pour 1 000 d'audience)", "input_lead_tag": "Étiquette prospect", "input_currency": "Devise",
    "method": [
        "Une mention compte dans la période si elle y a été publiée ; les jours sont des jours locaux dans le "
        "fuseau ci-dessus. La période précédente est le mois calendaire précédent.",
        "L'audience est une estimation : chaque mention pèse le poids de sa source (1 sauf réglage contraire).",
        "Part de voix = mentions trouvées par les termes de marque / (mentions marque + concurrents). Une mention "
        "trouvée par les deux compte des deux côtés.",
        "Tonalité nette = (positives − négatives) / toutes les mentions. La tonalité est celle de l'analyse "
        "automatique, sauf correction manuelle.",
        "Une mention appelle une réponse quand elle est à l'état « à répondre » ou « répondue », ou que "
        "l'historique de tri montre qu'elle y est passée. Taux de réponse = mentions répondues / mentions "
        "appelant une réponse, sur les mentions de la période quelle que soit la date de réponse.",
        "Délai de réponse = heure de réponse − heure où cmdesk a trouvé la mention. La médiane est la valeur du "
        "milieu ; le 90e centile est la valeur de rang ⌈0,9 × n⌉ des délais triés.",
        "En attente = mentions trouvées avant la fin de la période et encore nouvelles ou à répondre à la fin.",
        "Un pic est un jour où un terme atteint au moins 5 mentions et dépasse la moyenne de ses 28 jours "
        "précédents de plus de 3 écarts-types.",
        "Les prospects sont les mentions de la période portant l'étiquette prospect. Le ROI n'utilise que les "
        "données saisies ; une donnée manquante est affichée comme manquante et son poste exclu, jamais comptée "
        "comme zéro.",
    ],
    "page": "Page {n}",
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"],
}

_CATALOGS = {"en": _EN, "fr": _FR}


class Catalog:
    """Texts and number/date formats of one language."""

    def __init__(self, lang: str = "en"):
        if lang not in _CATALOGS:
            raise ValueError(f"unknown report language {lang!r} (one of: {', '.join(LANGS)})")
        self.lang = lang
        self._t = _CATALOGS[lang]
        self.csv_delimiter = ";" if lang == "fr" else ","  # what spreadsheets expect in each locale

    def t(self, key: str, **kw) -> str:
        text = self._t[key]
        return text.format(**kw) if kw else text

    def lines(self, key: str) -> list[str]:
        return list(self._t[key])

    # -- numbers -----------------------------------------------------------
    def number(self, v: float | int | None, decimals: int = 0) -> str:
        if v is None:
            return "—"
        text = f"{v:,.{decimals}f}"
        if self.lang == "fr":
            text = text.replace(",", "\u202f").replace(".", ",")
        return text

    def smart(self, v: float | int | None) -> str:
        """Whole numbers without decimals, others with up to 2."""
        if v is None:
            return "—"
        if float(v).is_integer():
            return self.number(v, 0)
        return self.number(v, 2)

    def percent(self, ratio: float | None, decimals: int = 1) -> str:
        if ratio is None:
            return "—"
        n = self.number(ratio * 100, decimals)
        return f"{n}\u202f%" if self.lang == "fr" else f"{n}%"

    def pct_value(self, pct: float | None, signed: bool = True) -> str:
        if pct is None:
            return "—"
        sign = "+" if signed and pct > 0 else ("−" if pct < 0 else "")
        n = self.number(abs(pct), 1)
        return f"{sign}{n}\u202f%" if self.lang == "fr" else f"{sign}{n}%"

    def money(self, v: float | None, currency: str) -> str:
        if v is None:
            return self.t("missing")
        return f"{self.number(v, 2)} {currency}"

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return "—"
        s = int(round(seconds))
        if s < 60:
            return f"{s} s"
        if s < 3600:
            return f"{s // 60} min"
        if s < 86400:
            return f"{s // 3600} h {s % 3600 // 60:02d}"
        day = "j" if self.lang == "fr" else "d"
        return f"{s // 86400} {day} {s % 86400 // 3600} h"

    def kpi_value(self, unit: str, v) -> str:
        if unit == "ratio":
            return self.percent(v)
        if unit == "seconds":
            return self.duration(v)
        return self.smart(v)

    def kpi_change(self, unit: str, change, change_pct) -> str:
        if change is None:
            return "—"
        sign = "+" if change > 0 else ("−" if change < 0 else "±")
        if unit == "ratio":
            pts = "pts" if self.lang == "en" else "pts"
            return f"{sign}{self.number(abs(change) * 100, 1)} {pts}"
        mag = self.duration(abs(change)) if unit == "seconds" else self.smart(abs(change))
        text = f"{sign}{mag}"
        if change_pct is not None:
            text += f" ({self.pct_value(change_pct)})"
        return text

    # -- dates -------------------------------------------------------------
    def month_name(self, year: int, month: int) -> str:
        return f"{self._t['months'][month - 1]} {year}"

    def day(self, d: date) -> str:
        return d.strftime("%d/%m/%Y") if self.lang == "fr" else d.isoformat()

    def datetime(self, epoch: int | None, tz: tzinfo | None) -> str:
        if epoch is None:
            return ""
        dt = datetime.fromtimestamp(epoch, tz) if tz is not None else datetime.fromtimestamp(epoch).astimezone()
        return dt.strftime("%d/%m/%Y %H:%M") if self.lang == "fr" else dt.strftime("%Y-%m-%d %H:%M")

    def datetime_formatter(self, tz: tzinfo | None):
        """A fast `datetime(epoch, tz)` for many rows: the UTC offset is looked up
        once per hour and the date text once per local day."""
        offsets: dict[int, int] = {}
        prefixes: dict[int, str] = {}
        fr = self.lang == "fr"

        def fmt(epoch: int | None) -> str:
            if epoch is None:
                return ""
            hour = epoch // 3600
            off = offsets.get(hour)
            if off is None:
                dt = datetime.fromtimestamp(hour * 3600, tz) if tz is not None else \
                    datetime.fromtimestamp(hour * 3600).astimezone()
                off = offsets[hour] = int(dt.utcoffset().total_seconds())
            local = epoch + off
            day = local // 86400
            prefix = prefixes.get(day)
            if prefix is None:
                d = date.fromordinal(day + 719163)  # 719163: ordinal of 1970-01-01
                prefix = prefixes[day] = d.strftime("%d/%m/%Y ") if fr else d.strftime("%Y-%m-%d ")
            rest = local % 86400
            return f"{prefix}{rest // 3600:02d}:{rest % 3600 // 60:02d}"

        return fmt

    def short_day(self, d: date) -> str:
        return f"{d.day:02d}/{d.month:02d}" if self.lang == "fr" else f"{d.month:02d}-{d.day:02d}"


def local_now_text(cat: Catalog, epoch: int | None = None) -> str:
    return cat.datetime(int(epoch if epoch is not None else _time.time()), None)
