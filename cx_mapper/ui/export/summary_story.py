"""The summary's story around the map: the lanes as rows in the map's stage columns, and
the personas.

Both are laid out in the page's design units (summary.py) before anything is painted,
so the page knows its height. A lane row's cells sit exactly under the stage columns
the map above draws; a note is a small card in its lane's colour with its text wrapped
and shortened with "…", and a cell with more notes than fit says "+N more".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
)

from cx_mapper.domain.content import Lane, Note
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.personas import Persona
from cx_mapper.domain.project import Project
from cx_mapper.ui.editor.canvas.text import line_spans
from cx_mapper.ui.export.drawing import (
    MUTED,
    PALETTE,
    RULE,
    TEXT,
    TILE_FILL,
    draw_text,
    page_font,
    rounded_rect,
)
from cx_mapper.ui.look.palette import lane_accent, note_fill, note_text, row_tint

STAGE_ROW = 30.0  # the stage names over the columns
LANE_HEADER = 32.0  # a lane's name, over its row
CELL_PAD = 6.0  # round the notes of a cell
NOTE_PAD = 7.0  # inside a note
NOTE_GAP = 6.0
NOTE_MAX_LINES = 4
#: A cell grows with its notes up to this height; the rest are counted, "+N more". About
#: four short notes: a row taller than that stops reading as a row of the map.
ROW_MAX = 220.0
ROW_MIN = 44.0
MORE_HEIGHT = 20.0
NOTE_FONT = 13.0

PERSONAS_PER_ROW = 2
PORTRAIT = 128.0
PERSONA_PAD = 18.0
PERSONA_GAP = 24.0
PERSONA_ITEMS = 3  # the top goals, needs and frustrations a card shows
PERSONA_LISTS = (("goals", "Goals"), ("needs", "Needs"), ("frustrations", "Frustrations"))


def wrap_lines(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """`text` broken into lines of at most `width`; past `max_lines` the last line ends
    in "…"."""
    words = text.strip().replace("\n", "\u2028")  # a line break the layout keeps
    lines = [words[start:start + length].strip("\u2028 ")
             for start, length in line_spans(words, font, width)]
    if len(lines) <= max_lines:
        return lines
    metrics = QFontMetricsF(font)
    rest = " ".join(lines[max_lines - 1:])
    last = metrics.elidedText(rest + " …", Qt.TextElideMode.ElideRight, width)
    return lines[:max_lines - 1] + [last if last.endswith("…") else last.rstrip() + "…"]


@dataclass
class _PlacedNote:
    rect: QRectF  # relative to the row's top
    lines: list[str]


@dataclass
class _Row:
    lane: Lane
    top: float = 0.0  # of its header, relative to the section
    body: float = ROW_MIN  # the cells' height under the header
    cells: dict[int, list[_PlacedNote]] = field(default_factory=dict)
    more: dict[int, int] = field(default_factory=dict)  # column -> notes left out

    @property
    def height(self) -> float:
        return LANE_HEADER + self.body


class LaneRows:
    """The journey's lanes, top to bottom, as rows whose cells are the map's stage columns.

    `columns` are each stage's (left, width) on the page, taken from the map as drawn.
    """

    def __init__(self, journey: Journey, columns: list[tuple[float, float]]) -> None:
        self.journey = journey
        self.columns = columns
        self.font = page_font(NOTE_FONT)
        self.line_height = QFontMetricsF(self.font).lineSpacing()
        self.rows = [_Row(lane) for lane in journey.lanes]
        self.height = STAGE_ROW
        for row in self.rows:
            row.top = self.height
            for k, stage in enumerate(journey.stages):
                self._fill_cell(row, k, journey.notes_in(row.lane.id, stage.id))
            self.height += row.height

    @property
    def left(self) -> float:
        return self.columns[0][0]

    @property
    def right(self) -> float:
        return self.columns[-1][0] + self.columns[-1][1]

    def cells(self, top: float) -> dict[tuple[str, str], QRectF]:
        """Each cell's body (under its lane's name) on the page, by (lane id, stage id)."""
        return {(row.lane.id, stage.id): QRectF(left, top + row.top + LANE_HEADER, width,
                                                row.body)
                for row in self.rows
                for stage, (left, width) in zip(self.journey.stages, self.columns,
                                                strict=True)}

    def _fill_cell(self, row: _Row, column: int, notes: list[Note]) -> None:
        width = self.columns[column][1] - 2 * CELL_PAD
        inner = width - 2 * NOTE_PAD - 3  # the accent bar
        y = CELL_PAD
        placed: list[_PlacedNote] = []
        for n, note in enumerate(notes):
            lines = wrap_lines(note.text or "(empty note)", self.font, inner, NOTE_MAX_LINES)
            height = 2 * NOTE_PAD + len(lines) * self.line_height
            left_after = len(notes) - n - 1
            room = ROW_MAX - CELL_PAD - (MORE_HEIGHT if left_after else 0)
            if placed and y + height > room:
                break
            placed.append(_PlacedNote(QRectF(CELL_PAD, y, width, height), lines))
            y += height + NOTE_GAP
        if placed:
            row.cells[column] = placed
        if len(placed) < len(notes):
            row.more[column] = len(notes) - len(placed)
            y += MORE_HEIGHT
        row.body = max(row.body, min(ROW_MAX, y - NOTE_GAP + CELL_PAD) if placed else ROW_MIN)

    # -- painting ------------------------------------------------------------------------
    def paint(self, painter: QPainter, top: float) -> None:
        stages = self.journey.stages
        for k, (left, width) in enumerate(self.columns):
            column = QRectF(left, top, width, self.height)
            painter.fillRect(column, PALETTE.lane_fill[k % 2])
            name = stages[k].name or stages[k].id
            draw_text(painter, QRectF(left + 10, top, width - 20, STAGE_ROW), name,
                      page_font(13, QFont.Weight.DemiBold), MUTED,
                      Qt.AlignmentFlag.AlignCenter)
        for row in self.rows:
            self._paint_row(painter, row, top + row.top)
        self._paint_line_of_visibility(painter, top)
        # the columns' borders, as the map draws its stage lanes, but not across a lane's
        # name, which may be wider than its first column
        spans = [(top, top + STAGE_ROW)] + [(top + row.top + LANE_HEADER,
                                             top + row.top + row.height) for row in self.rows]
        painter.save()
        painter.setPen(QPen(RULE, 1.0))
        for left, width in self.columns[:-1]:
            for upper, lower in spans:
                painter.drawLine(QPointF(left + width, upper), QPointF(left + width, lower))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.left, top, self.right - self.left, self.height))
        painter.restore()

    def _paint_row(self, painter: QPainter, row: _Row, y: float) -> None:
        lane = row.lane
        accent = lane_accent(lane.kind, lane.colour)
        whole = QRectF(self.left, y, self.right - self.left, row.height)
        painter.fillRect(whole, row_tint(accent, PALETTE))
        header = QRectF(self.left, y, self.right - self.left, LANE_HEADER)
        painter.fillRect(header, PALETTE.lane_header[0])
        painter.fillRect(QRectF(header.left(), header.top(), 4, row.height), accent)
        chip = QRectF(header.left() + 16, header.center().y() - 6, 12, 12)
        rounded_rect(painter, chip, 3, accent)
        draw_text(painter, QRectF(chip.right() + 8, header.top(), header.width() - 60,
                                  header.height()),
                  lane.name or "Lane", page_font(15, QFont.Weight.Bold), TEXT)
        painter.save()
        painter.setPen(QPen(RULE, 1.0))
        painter.drawLine(QPointF(whole.left(), y), QPointF(whole.right(), y))
        painter.restore()
        fill = note_fill(accent, PALETTE)
        ink = note_text(fill, PALETTE)
        body_top = y + LANE_HEADER
        for column, notes in row.cells.items():
            left = self.columns[column][0]
            for placed in notes:
                card = placed.rect.translated(left, body_top)
                rounded_rect(painter, card, 4, fill, accent.darker(110), 0.8)
                painter.fillRect(QRectF(card.left(), card.top() + 1, 3, card.height() - 2),
                                 accent)
                painter.setFont(self.font)
                painter.setPen(ink)
                line_top = card.top() + NOTE_PAD
                for line in placed.lines:
                    painter.drawText(QRectF(card.left() + NOTE_PAD + 3, line_top,
                                            card.width() - 2 * NOTE_PAD - 3, self.line_height),
                                     int(Qt.AlignmentFlag.AlignLeft
                                         | Qt.AlignmentFlag.AlignVCenter), line)
                    line_top += self.line_height
        for column, count in row.more.items():
            left, width = self.columns[column]
            draw_text(painter, QRectF(left + CELL_PAD + 8, body_top + row.body - CELL_PAD
                                      - MORE_HEIGHT, width - 2 * CELL_PAD, MORE_HEIGHT),
                      f"+{count} more", page_font(12, QFont.Weight.DemiBold), MUTED)

    def _paint_line_of_visibility(self, painter: QPainter, top: float) -> None:
        """A dashed line over the first backstage row under a frontstage row: what the
        customer sees above it, what they do not below."""
        kinds = [row.lane.kind for row in self.rows]
        if "frontstage" not in kinds:
            return
        after = kinds.index("frontstage")
        below = next((row for row in self.rows[after + 1:] if row.lane.kind == "backstage"),
                     None)
        if below is None:
            return
        y = top + below.top
        painter.save()
        pen = QPen(TEXT, 2.0, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(self.left, y), QPointF(self.right, y))
        painter.restore()
        font = page_font(12, QFont.Weight.DemiBold)
        width = QFontMetricsF(font).horizontalAdvance("Line of visibility") + 16
        label = QRectF(self.right - width - 12, y - 10, width, 20)
        rounded_rect(painter, label, 10, PALETTE.card_fill, TEXT)
        draw_text(painter, label, "Line of visibility", font, TEXT, Qt.AlignmentFlag.AlignCenter,
                  elide=False)


# -- personas -------------------------------------------------------------------------
class PersonaCards:
    """A card per persona, two to a row: portrait, name, segment, quote, and the top
    goals, needs and frustrations."""

    def __init__(self, project: Project, left: float, width: float) -> None:
        self.project = project
        self.left = left
        self.width = width
        self.card_width = (width - PERSONA_GAP * (PERSONAS_PER_ROW - 1)) / PERSONAS_PER_ROW
        self.quote_font = page_font(15)
        self.quote_font.setItalic(True)
        self.item_font = page_font(13)
        shares = dict(zip((s.id for s in project.segments), project.normalised_shares(),
                          strict=True))
        segments = {s.id: s.name or s.id for s in project.segments}
        self.cards: list[_PersonaCard] = []
        for persona in project.personas:
            who = segments.get(persona.segment, persona.segment)
            share = shares.get(persona.segment)
            if share is not None:
                who += f" · {share:.0%} of customers"
            self.cards.append(self._card(persona, who))
        self.rows: list[tuple[float, float]] = []  # each row's top and height
        y = 0.0
        for start in range(0, len(self.cards), PERSONAS_PER_ROW):
            height = max(card.height for card in self.cards[start:start + PERSONAS_PER_ROW])
            self.rows.append((y, height))
            y += height + PERSONA_GAP
        self.height = y - PERSONA_GAP if self.rows else 0.0

    def _card(self, persona: Persona, who: str) -> _PersonaCard:
        text_width = self.card_width - 3 * PERSONA_PAD - PORTRAIT
        words = persona.quote.strip().strip('“”"')
        quote = wrap_lines(f"“{words}”", self.quote_font, text_width, 3) if words else []
        quote_height = len(quote) * QFontMetricsF(self.quote_font).lineSpacing()
        head = max(PORTRAIT, 30 + 24 + 10 + quote_height)
        column_width = (self.card_width - 2 * PERSONA_PAD - 2 * 16) / 3
        lists: list[list[list[str]]] = []
        item_line = QFontMetricsF(self.item_font).lineSpacing()
        tallest = 0.0
        for name, _ in PERSONA_LISTS:
            items: tuple[str, ...] = getattr(persona, name)
            wrapped = [wrap_lines(item, self.item_font, column_width - 14, 2)
                       for item in items[:PERSONA_ITEMS]]
            if len(items) > PERSONA_ITEMS:
                wrapped.append([f"+{len(items) - PERSONA_ITEMS} more"])
            lists.append(wrapped)
            tallest = max(tallest, sum(len(lines) * item_line + 4 for lines in wrapped))
        body = 26 + max(tallest, item_line)
        height = PERSONA_PAD + head + 16 + body + PERSONA_PAD
        image = None
        if persona.image is not None and persona.image in self.project.images:
            found = self.project.images[persona.image]
            decoded = QImage.fromData(found.data)
            image = None if decoded.isNull() else decoded
        return _PersonaCard(persona, who, quote, lists, head, column_width, height, image)

    def rects(self, top: float) -> list[QRectF]:
        """Each card's rectangle on the page, the section starting at `top`."""
        rects = []
        for n in range(len(self.cards)):
            row_top, row_height = self.rows[n // PERSONAS_PER_ROW]
            x = self.left + (n % PERSONAS_PER_ROW) * (self.card_width + PERSONA_GAP)
            rects.append(QRectF(x, top + row_top, self.card_width, row_height))
        return rects

    def paint(self, painter: QPainter, top: float) -> None:
        for card, rect in zip(self.cards, self.rects(top), strict=True):
            self._paint_card(painter, card, rect)

    def _paint_card(self, painter: QPainter, card: _PersonaCard, rect: QRectF) -> None:
        rounded_rect(painter, rect, 10, TILE_FILL, PALETTE.track)
        portrait = QRectF(rect.left() + PERSONA_PAD, rect.top() + PERSONA_PAD, PORTRAIT,
                          PORTRAIT)
        self._paint_portrait(painter, card, portrait)
        x = portrait.right() + PERSONA_PAD
        width = rect.right() - PERSONA_PAD - x
        y = portrait.top()
        draw_text(painter, QRectF(x, y, width, 30), card.persona.name or "Unnamed persona",
                  page_font(22, QFont.Weight.Bold), TEXT)
        draw_text(painter, QRectF(x, y + 30, width, 24), card.who,
                  page_font(14, QFont.Weight.DemiBold), PALETTE.selection)
        painter.setFont(self.quote_font)
        painter.setPen(TEXT)
        line = QFontMetricsF(self.quote_font).lineSpacing()
        y += 30 + 24 + 10
        for text in card.quote:
            painter.drawText(QRectF(x, y, width, line),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             text)
            y += line
        y = rect.top() + PERSONA_PAD + card.head + 16
        item_line = QFontMetricsF(self.item_font).lineSpacing()
        for k, ((_, title), items) in enumerate(zip(PERSONA_LISTS, card.lists, strict=True)):
            left = rect.left() + PERSONA_PAD + k * (card.column_width + 16)
            draw_text(painter, QRectF(left, y, card.column_width, 22), title.upper(),
                      page_font(12, QFont.Weight.Bold), MUTED)
            item_top = y + 26
            for lines in items:
                more = len(items) > PERSONA_ITEMS and lines is items[-1]
                if not more:
                    dot = QRectF(left + 1, item_top + item_line / 2 - 3, 6, 6)
                    rounded_rect(painter, dot, 3, MUTED)
                painter.setFont(self.item_font)
                painter.setPen(MUTED if more else TEXT)
                for text in lines:
                    painter.drawText(QRectF(left + 14, item_top, card.column_width - 14,
                                            item_line),
                                     int(Qt.AlignmentFlag.AlignLeft
                                         | Qt.AlignmentFlag.AlignVCenter), text)
                    item_top += item_line
                item_top += 4
            if not items:
                draw_text(painter, QRectF(left + 14, item_top, card.column_width - 14,
                                          item_line), "None written yet", self.item_font,
                          MUTED)

    def _paint_portrait(self, painter: QPainter, card: _PersonaCard, rect: QRectF) -> None:
        clip = QPainterPath()
        clip.addRoundedRect(rect, 12, 12)
        painter.save()
        painter.setClipPath(clip)
        if card.image is not None:
            source = QRectF(card.image.rect())
            side = min(source.width(), source.height())  # the middle square, not squashed
            square = QRectF(0, 0, side, side)
            square.moveCenter(source.center())
            painter.drawImage(rect, card.image, square)
        else:
            painter.fillRect(rect, PALETTE.track)
            initials = "".join(word[0] for word in card.persona.name.split()[:2]).upper()
            draw_text(painter, rect, initials or "?", page_font(44, QFont.Weight.Bold), MUTED,
                      Qt.AlignmentFlag.AlignCenter, elide=False)
        painter.restore()
        rounded_rect(painter, rect, 12, None, PALETTE.track)


@dataclass
class _PersonaCard:
    persona: Persona
    who: str
    quote: list[str]
    lists: list[list[list[str]]]
    head: float  # the portrait's height, or the name and quote's if taller
    column_width: float
    height: float
    image: QImage | None


def lanes_caption(lanes: list[Lane]) -> str:
    """The block's caption: what the rows are, in the map's columns."""
    kinds = {lane.kind for lane in lanes}
    if kinds & {"frontstage", "backstage", "support"}:
        return ("What customers do and think, and what the service does in front of them "
                "and behind the scenes, in the map's stage columns")
    return ("What customers do and think, where it hurts and the ideas, in the map's "
            "stage columns")
