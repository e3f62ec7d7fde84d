"""Help › How the numbers are computed: the model in the user's words, by section.

The text ships as Markdown in resources/help/. The glossary and the tooltips cite its
sections ("§4"); a citation opens this page at that section.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextBlock
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.engine.kpis import MODEL_HELP
from cx_mapper.ui.look.resources import resources_folder

HELP_FILE = "how-the-numbers-are-computed.md"
#: A link to a section of this page, as the glossary writes it: model:4, model:what-you-draw.
LINK_SCHEME = "model"
_HEADING = re.compile(r"^#{2,3} (?:§(\d+) )?(.+)$", re.M)


@cache
def help_text() -> str:
    """The page's Markdown, as shipped."""
    return (resources_folder() / "help" / HELP_FILE).read_text(encoding="utf-8")


def section_key(heading: str) -> str:
    """A heading's key: its section number ("§4 Loyalty" is "4"), else its words."""
    numbered = re.match(r"§(\d+) ", heading)
    if numbered:
        return numbered.group(1)
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def sections() -> dict[str, str]:
    """Every section's key and its heading, in the page's order."""
    result = {}
    for number, words in _HEADING.findall(help_text()):
        heading = f"§{number} {words}" if number else words
        result[section_key(heading)] = heading
    return result


def section_link(key: str) -> str:
    return f"{LINK_SCHEME}:{key}"


class ModelHelpDialog(QDialog):
    """The page in a browser; `show_section` scrolls a section's heading to the top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelHelp")
        self.setWindowTitle(MODEL_HELP)
        self.resize(760, 780)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find in this page…")
        self.search.setClearButtonEnabled(True)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(help_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.search.returnPressed.connect(self._on_search_entered)

    def show_section(self, key: str) -> bool:
        """Scroll to a section by its key ("4", "what-you-draw"); False if there is none."""
        heading = sections().get(key)
        block = self._heading_block(heading) if heading is not None else None
        if block is None:
            return False
        layout = self.browser.document().documentLayout()
        bar = self.browser.verticalScrollBar()
        bar.setValue(min(bar.maximum(), round(layout.blockBoundingRect(block).top())))
        return True

    def section_at_top(self) -> str | None:
        """The heading at or just above the top of the view (for a test to read)."""
        layout = self.browser.document().documentLayout()
        top = self.browser.verticalScrollBar().value()
        found = None
        block = self.browser.document().begin()
        while block.isValid() and layout.blockBoundingRect(block).top() <= top + 1:
            if block.blockFormat().headingLevel():
                found = block.text()
            block = block.next()
        return found

    def _heading_block(self, heading: str) -> QTextBlock | None:
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text() == heading:
                return block
            block = block.next()
        return None

    def _on_search_entered(self) -> None:
        text = self.search.text()
        if text and not self.browser.find(text):
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            self.browser.find(text)  # wrap round to the first match


def show_model_help(parent: QWidget, section: str | None = None) -> ModelHelpDialog:
    """Open the page beside the window (one at a time), at a section if given."""
    dialog = parent.findChild(ModelHelpDialog, "modelHelp",
                              Qt.FindChildOption.FindDirectChildrenOnly)
    if dialog is None:
        dialog = ModelHelpDialog(parent)
        dialog.show()
    else:
        dialog.show()
        dialog.raise_()  # already open, maybe behind the window
        dialog.activateWindow()
    if section is not None:
        dialog.show_section(section)
    return dialog
