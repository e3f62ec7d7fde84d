"""The summary's footer: the assumptions behind its figures, and the segments'
parameters with the source of each default, in the page's design units (summary.py)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import PARAMETER_LABELS, PARAMETER_SOURCES, Project, Segment
from cx_mapper.engine.results import Analysis
from cx_mapper.engine.uncertainty import Uncertainty
from cx_mapper.ui.export.drawing import (
    MUTED,
    RULE,
    TEXT,
    draw_rule,
    draw_text,
    page_font,
    wrapped_height,
)
from cx_mapper.ui.export.summary_sure import method_words


class Footer:
    """The assumptions, then the parameter table, top to bottom."""

    def __init__(self, project: Project, journey: Journey, analysis: Analysis,
                 sure: Uncertainty | None = None) -> None:
        self.project, self.journey, self.analysis = project, journey, analysis
        self.sure = sure

    def lines(self) -> list[str]:
        journey, analysis = self.journey, self.analysis
        horizon = ("an infinite horizon" if analysis.horizon is None
                   else f"steps 0–{analysis.horizon}")
        shares = ", ".join(f"{s.name or s.id} {share:.0%}" for s, share in
                           zip(self.project.segments, self.project.normalised_shares(),
                               strict=True))
        lines = [
            f"Totals are per entering customer over {horizon}, each step discounted at "
            f"{journey.discount_rate:.1%} (δ = 1 / (1 + d)); the charts over time follow "
            f"steps 0–{int(analysis.series.step[-1])} without discounting and include "
            f"referred customers. Segments, mixed by share: {shares}.",
            "Method: the journey is a Markov chain; loyalty, value (after Pfeifer & "
            "Carraway, 2000), word of mouth, referrals and removal effects as defined in "
            "the CX Mapper model. Fix-first gains are exact derivatives of the loyalty "
            "index, customer value and net exposure with respect to satisfaction.",
        ]
        if self.sure is not None:
            lines.append(method_words(self.sure))
        lines.extend(analysis.notes)
        return lines

    def height(self, width: float) -> float:
        font = page_font(13)
        text = sum(wrapped_height(line, font, width) + 6 for line in self.lines())
        rows = len(PARAMETER_LABELS)
        return 40 + text + 14 + 42 + rows * 21

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        draw_rule(painter, rect.top(), rect.left(), rect.right(), RULE)
        draw_text(painter, QRectF(rect.left(), rect.top() + 12, rect.width(), 22), "Assumptions",
                  page_font(15, QFont.Weight.Bold), TEXT)
        y = rect.top() + 40
        font = page_font(13)
        painter.setFont(font)
        painter.setPen(MUTED)
        for line in self.lines():
            height = wrapped_height(line, font, rect.width())
            painter.drawText(QRectF(rect.left(), y, rect.width(), height + 2),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), line)
            y += height + 6
        y += 14
        self._paint_parameters(painter, QRectF(rect.left(), y, rect.width(), rect.bottom() - y))

    def _paint_parameters(self, painter: QPainter, rect: QRectF) -> None:
        segments = self.project.segments[:4]
        # Ranges only when the page says how sure it is: else the table is as it was.
        ranges = self.sure is not None and any(s.evidence for s in segments)
        label_width, value_width = 230.0, 150.0
        source_left = label_width + value_width * len(segments) + 18
        header = page_font(12, QFont.Weight.DemiBold)
        body = page_font(12)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        y = rect.top()
        painter.setFont(header)
        painter.setPen(MUTED)
        for i, segment in enumerate(segments):
            painter.drawText(QRectF(rect.left() + label_width + i * value_width, y,
                                    value_width - 8, 36),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
                                 | Qt.TextFlag.TextWordWrap), segment.name or segment.id)
        bottom = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        draw_text(painter, QRectF(rect.left(), y, label_width, 36),
                  "Segment parameter (90% range)" if ranges else "Segment parameter", header,
                  MUTED, bottom)
        draw_text(painter, QRectF(rect.left() + source_left, y, rect.width() - source_left, 36),
                  "Source of the default", header, MUTED, bottom)
        y += 42
        for name, label in PARAMETER_LABELS.items():
            draw_text(painter, QRectF(rect.left(), y, label_width, 21), label, body, TEXT)
            for i, segment in enumerate(segments):
                draw_text(painter, QRectF(rect.left() + label_width + i * value_width, y,
                                          value_width - 8, 21),
                          _value_text(segment, name) if ranges else f"{getattr(segment, name):g}",
                          body, TEXT, right)
            draw_text(painter, QRectF(rect.left() + source_left, y, rect.width() - source_left,
                                      21),
                      _short_source(PARAMETER_SOURCES[name]), body, MUTED)
            y += 21


def _value_text(segment: Segment, name: str) -> str:
    """A parameter's value, with the range its evidence gives it, if any."""
    value = f"{getattr(segment, name):g}"
    evidence = segment.evidence.get(name)
    if evidence is None or evidence.low is None or evidence.high is None:
        return value
    return f"{value} ({evidence.low:.2g}–{evidence.high:.2g})"


def _short_source(source: str) -> str:
    """The source's name and its claim, on one line."""
    return source.replace("American Express 2012 Global Customer Service Barometer (US)",
                          "AMEX 2012 Customer Service Barometer (US)")
