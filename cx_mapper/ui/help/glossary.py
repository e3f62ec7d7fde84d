"""Help: the glossary of every figure and term, and the About box with versions.

The key figures come from the same declarations as the KPI cards (kpis.py), and
the segment parameters from the domain's labels and sources, so the glossary can
never disagree with what the app shows.
"""

from __future__ import annotations

import html
import platform
import re
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cx_mapper import __version__
from cx_mapper.domain.project import ALL_CONSUMERS, PARAMETER_LABELS, PARAMETER_SOURCES
from cx_mapper.engine.kpis import KPIS, MODEL_HELP
from cx_mapper.ui.help.model_help import LINK_SCHEME, section_link, show_model_help

#: The words of the map, in the user's terms (the help's "What you draw").
TERMS: tuple[tuple[str, str], ...] = (
    ("Touchpoint", "One interaction between a customer and the company, e.g. \u201cCalls "
     "about a late delivery\u201d. Drawn as a card in its stage."),
    ("Transition", "The share of customers who go from one touchpoint to another. What a "
     "touchpoint's transitions leave below 100% is the share who leave the journey there."),
    ("Stage", "A phase of the journey, drawn as a swimlane: Awareness, Consideration, "
     "Purchase, Service, Loyalty…"),
    ("Channel", "Where the interaction happens: a store, the website, the phone, social "
     "media…"),
    ("Satisfaction", "How the interaction feels, from −1 (very poor) through 0 (neutral) to "
     "+1 (exceptional); shown as CSAT 1–5, where CSAT = 3 + 2 × satisfaction."),
    ("Visibility", "The share of what customers say about the interaction that is said in "
     "public on social media rather than privately."),
    ("Value", "Money earned per visit; negative for a cost such as a support call."),
    ("Impact", "How strongly the interaction moves loyalty, from 0 to 1 (default 1). Keep 1 "
     "for moments of truth and lower it for routine interactions."),
    ("Entry share", "The share of new customers whose journey starts at this touchpoint."),
    ("Referral entry", "Where customers won by word of mouth start; if none is set, they "
     "start where everyone else does."),
    ("Conversion", "A goal touchpoint, such as a purchase: the conversion probability and "
     "removal effects are worked out for it."),
    ("Discount rate", "How much less a step later is worth, per step (a step is one "
     "transition); it also lets a journey that loops forever have finite totals."),
    ("Horizon", "How many steps the time charts run."),
    ("Visits", "How often an entering customer comes through a touchpoint over the "
     "repeating journey, discounted per step."),
    ("Loyalty after", "The loyalty (−100..100) of customers just after a touchpoint."),
    ("Fix-first gain", "How much the loyalty index rises if the touchpoint's satisfaction "
     "rises by 0.1: the exact derivative, so the ranking says what to fix first."),
    ("Removal effect", "The share of conversions lost if the touchpoint were removed and "
     "its customers left the journey there."),
    ("Attributed conversions", "A touchpoint's share of the conversions: its removal "
     "effect over the sum of all removal effects, times the journey's conversions (or "
     "times the conversion probability when the number is not known). Markov "
     "multi-touch attribution."),
    ("Event log", "A table with one row per customer interaction (customer, time, "
     "touchpoint, and optionally satisfaction, a public flag, revenue, stage and "
     "channel). File > Import data estimates a journey from it: where customers start, "
     "what directly follows what, and the mean figures per touchpoint."),
    ("Path data", "Conversion paths with their counts (path;total_conversions;"
     "total_conversion_value;total_null), the usual attribution export. Imported as a "
     "journey with a Conversion goal, so each channel gets a removal effect."),
    ("Segment", "A group of customers with its own word-of-mouth behaviour, such as social "
     "media service users; the figures mix the segments by their shares."),
)


def _e(text: str) -> str:
    """Text for rich text: <, > and & escaped; quotes kept as typed."""
    return html.escape(text, quote=False)


_CITATION = re.compile(rf"(?:Help › {re.escape(MODEL_HELP)}, )?§(\d+)")


def _cited(text: str) -> str:
    """Rich text with each citation of the help page ("§4") a link to its section."""
    return _CITATION.sub(lambda m: f'<a href="{section_link(m.group(1))}">{m.group(0)}</a>',
                         _e(text))


def glossary_html() -> str:
    parts = ["<h2>Key figures</h2>",
             f'<p>Each figure is explained step by step in <a href="{section_link("")}">'
             f"Help › {_e(MODEL_HELP)}</a>.</p>"]
    for kpi in KPIS:
        parts.append(
            f"<h3>{_e(kpi.label)} <small>({_e(kpi.unit)})</small></h3>"
            f"<p>{_e(kpi.formula)}</p>"
            f"<p><i>Source:</i> {_cited(kpi.source)}</p>")
    parts.append("<h2>Terms on the map</h2>"
                 f'<p>How they enter the figures: <a href="{section_link("what-you-draw")}">'
                 "What you draw</a>.</p>")
    for term, meaning in TERMS:
        parts.append(f"<h3>{_e(term)}</h3><p>{_e(meaning)}</p>")
    parts.append("<h2>Segment parameters</h2><p>The defaults are those of the "
                 "\u201cAll consumers\u201d preset; both presets are in "
                 f'<a href="{section_link("what-you-draw")}">What you draw</a>.</p>')
    defaults = ALL_CONSUMERS.parameters()
    for name, label in PARAMETER_LABELS.items():
        default = defaults.get(name)
        shown = f" (default {default:g})" if default is not None else ""
        parts.append(f"<h3>{_e(label)}{shown}</h3>"
                     f"<p><i>Source:</i> {_e(PARAMETER_SOURCES.get(name, ''))}</p>")
    return "\n".join(parts)


class GlossaryDialog(QDialog):
    """Every metric with its formula in plain words and its source, searchable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Glossary of figures and terms")
        self.resize(720, 760)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a term…")
        self.search.setClearButtonEnabled(True)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_link_clicked)
        self.browser.setHtml(glossary_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.search.returnPressed.connect(self._on_search_entered)
        self.search.textChanged.connect(self._on_search_changed)

    def _on_link_clicked(self, url: QUrl) -> None:
        """A citation opens the help page at its section (a child of this dialog, so the
        glossary being modal does not block it)."""
        if url.scheme() == LINK_SCHEME:
            show_model_help(self, url.path() or None)

    def _on_search_changed(self, text: str) -> None:
        cursor = self.browser.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        if text:
            self.browser.find(text)

    def _on_search_entered(self) -> None:
        if self.search.text() and not self.browser.find(self.search.text()):
            self._on_search_changed(self.search.text())  # wrap round to the first match


def versions() -> list[tuple[str, str]]:
    """The app and the libraries it runs on, for the About box and bug reports."""
    rows = [("CX Mapper", __version__), ("Python", platform.python_version()),
            ("Qt", qVersion()), ("PySide6", pyside_version)]
    for package in ("pyqtgraph", "numpy", "scipy", "networkx", "SQLAlchemy", "alembic"):
        try:
            rows.append((package, metadata.version(package)))
        except metadata.PackageNotFoundError:
            rows.append((package, "not installed"))
    return rows


def about_html() -> str:
    table = "".join(f"<tr><td>{_e(name)}</td><td>&nbsp;{_e(version)}</td>"
                    "</tr>" for name, version in versions())
    return (f"<h3>CX Mapper {_e(__version__)}</h3>"
            "<p>Customer journeys as numbers: loyalty, customer value and word-of-mouth "
            "exposure across the repeating journey, and which touchpoint to fix first.</p>"
            f"<table>{table}</table>"
            f"<p>{_e(platform.system())} {_e(platform.machine())}. "
            "MIT licence.</p>")
