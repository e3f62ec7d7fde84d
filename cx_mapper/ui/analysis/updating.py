"""Figures being brought up to date after an edit are greyed, never shown as current."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

#: The tooltip of a greyed figure.
UPDATING = "Updating after your edit…"


def grey_while_updating(widget: QWidget, updating: bool) -> None:
    """Disable (grey) a figure while its analysis is pending, and say why."""
    widget.setEnabled(not updating)
    widget.setToolTip(UPDATING if updating else "")
