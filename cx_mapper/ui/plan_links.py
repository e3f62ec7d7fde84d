"""The plan's links with the rest of the window: the Opportunities dock, and the places
an opportunity can be started from (a touchpoint's menu on the canvas, a note in an
opportunities lane, "What if we fixed this?" on the fix-first chart), an opportunity's
problem activated in the Problems list, and a future state made from a plan (shown in
Compare against its journey).

Shell-level: the editor, the analysis and the plan are sibling folders that do not know
each other; they meet here, through their signals.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from cx_mapper.domain.validation import Problem
from cx_mapper.ui.plan import prefill
from cx_mapper.ui.plan.dock import OpportunitiesPanel, add_opportunities_dock
from cx_mapper.ui.shell import ShellWindow


def add_plan(window: ShellWindow,
             make_dock: Callable[[str, QWidget, Qt.DockWidgetArea], QDockWidget]
             ) -> tuple[OpportunitiesPanel, QDockWidget]:
    """The Opportunities dock, tabbed beside the Analysis dock, wired to the window."""
    document, tabs = window.document, window.tabs
    panel, dock = add_opportunities_dock(document, make_dock, window.analysis_dock)
    panel.set_journey(tabs.journey_id)

    def show() -> None:
        dock.show()
        dock.raise_()

    def from_canvas(journey_id: str, kind: str, element_id: str) -> None:
        journey = document.journey(journey_id)
        fields = (prefill.from_touchpoint(journey, element_id) if kind == "touchpoint"
                  else prefill.from_note(journey, journey.note(element_id)))
        show()
        panel.new_opportunity(journey_id, fields)

    def from_fix_first(touchpoint_id: str) -> None:
        journey_id = tabs.journey_id
        if journey_id is not None:
            show()
            panel.new_opportunity(journey_id, prefill.from_fix_first(
                document.journey(journey_id), touchpoint_id))

    def on_problem(problem: Problem) -> None:
        if panel.show_problem(problem):
            show()

    def on_future_state(from_id: str, new_id: str) -> None:
        window.analysis.compare.set_pair(from_id, new_id)
        name = document.journey(new_id).name
        window.statusBar().showMessage(
            f"Added the journey '{name}'. Analysis › Compare journeys sets it against this "
            "one; Ctrl+Z undoes.", 8000)

    panel.set_uncertainty(window.analysis.uncertainty)
    tabs.current_journey_changed.connect(panel.set_journey)
    # after the tabs have followed a new project, so the dock shows the tab on show
    document.project_reset.connect(lambda: panel.set_journey(tabs.journey_id))
    tabs.opportunity_wanted.connect(from_canvas)
    window.analysis.charts.fix_wanted.connect(from_fix_first)
    window.problems.problem_activated.connect(on_problem)
    panel.future_state_made.connect(on_future_state)
    return panel, dock
