"""Every action of the main window, declared once: text, shortcut, icon, tooltip.

The window builds its QActions, menus and toolbar from this table, so each
action has one shortcut, shown in its tooltip and in the shortcuts list.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

from cx_mapper.engine.arrange import Axis, Edge

Key = QKeySequence.StandardKey


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str
    text: str
    tip: str
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    icon: str | None = None


ACTIONS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec("new", "&New project", "Start a project from the five-stage template: "
               "Awareness, Consideration, Purchase, Service and Loyalty, with a starter "
               "touchpoint in each and the customer's actions, thoughts, pain points and "
               "opportunities as lanes", (Key.New,), "new"),
    ActionSpec("new_blank", "New &blank project", "Start a project with one empty journey",
               ("Ctrl+Shift+N",)),
    ActionSpec("new_blueprint", "New service blue&print",
               "Start a service blueprint: the five stages with customer actions above the "
               "touchpoints and frontstage, backstage and support processes below",
               ("Ctrl+Alt+N",)),
    ActionSpec("open", "&Open…", "Open a project file (.cxmap or .json)", (Key.Open,), "open"),
    ActionSpec("save", "&Save", "Save the project", (Key.Save,), "save"),
    ActionSpec("save_as", "Save &as…", "Save the project under a new name",
               ("Ctrl+Shift+S",)),
    ActionSpec("import_json", "&Import journeys from JSON…",
               "Add the journeys of a cx-mapper JSON file to this project", ("Ctrl+Shift+I",)),
    ActionSpec("import_data", "Import &data…", "Estimate a journey from an event log (CSV or "
               "Parquet, one row per interaction) or from conversion path data, or refresh "
               "a journey from new data", ("Ctrl+Alt+I",), "import-data"),
    ActionSpec("check_drift", "Check for dri&ft…", "Compare a journey with an event log: "
               "which moves and scores changed beyond chance, and what that does to the key "
               "figures (as cx-mapper drift does)", ("Ctrl+Alt+D",)),
    ActionSpec("export_json", "&Export as JSON…",
               "Write the project as cx-mapper JSON for other tools", ("Ctrl+Shift+E",)),
    ActionSpec("export", "E&xport…", "Save the current journey as a one-page PNG, PDF or SVG "
               "summary, an Excel workbook, CSV files or a PowerPoint deck: the map, key figures, "
               "charts, what to fix first and the plan", ("Ctrl+E",), "export-summary"),
    ActionSpec("project_properties", "Project p&roperties…", "Name the project: the title "
               "bar, the summary and suggested file names show it", ("Alt+Return",)),
    ActionSpec("quit", "&Quit", "Close CX Mapper", (Key.Quit, "Ctrl+Q")),
    # Edit
    ActionSpec("cut", "Cu&t", "Cut the selection to the clipboard", (Key.Cut,)),
    ActionSpec("copy", "&Copy", "Copy the selected touchpoints and their transitions",
               (Key.Copy,)),
    ActionSpec("paste", "&Paste", "Paste touchpoints from the clipboard", (Key.Paste,)),
    ActionSpec("duplicate", "D&uplicate", "Copy the selection next to itself", ("Ctrl+D",)),
    # Not the standard Delete key: on Linux that is also Ctrl+D, which is Duplicate's.
    ActionSpec("delete", "&Delete", "Delete the selection; a touchpoint goes with its "
               "transitions", ("Del", "Backspace"), "delete"),
    ActionSpec("select_all", "Select &all", "Select every touchpoint and transition",
               (Key.SelectAll,)),
    ActionSpec("rename", "&Rename", "Rename the selected touchpoint in place", ("F2",)),
    # Journey
    ActionSpec("add_touchpoint", "Add &touchpoint", "Add a touchpoint in the middle of the "
               "view (or double-click the canvas)", ("Ctrl+T",), "add-touchpoint"),
    ActionSpec("connect", "&Connect", "Connect the selected touchpoints from left to right "
               "(or drag from a card's handle)", ("Ctrl+L",), "connect"),
    ActionSpec("auto_layout", "Auto-&layout", "Arrange the cards by stage, following the flow",
               ("Ctrl+Shift+L",), "auto-layout"),
    ActionSpec("add_stage", "Add &stage…", "Add a stage (swimlane) after the last one",
               ("Ctrl+Shift+T",)),
    ActionSpec("add_journey", "Add &journey", "Add a blank journey tab", ("Ctrl+Shift+J",),
               "add-journey"),
    ActionSpec("rename_journey", "Re&name journey…", "Rename the current journey",
               ("Ctrl+Shift+R",)),
    ActionSpec("duplicate_journey", "Duplicate journey",
               "Copy the current journey into a new tab, e.g. to draw a future state",
               ("Ctrl+Shift+D",)),
    ActionSpec("remove_journey", "Remove journey", "Remove the current journey",
               ("Ctrl+Shift+Del",)),
    # Arrange (Alt+Shift with a letter: no platform's standard keys use it, nor do menus)
    ActionSpec("align_left", "Align &left", "Line the selected touchpoints up on the leftmost "
               "one's left edge", ("Alt+Shift+L",), "align-left"),
    ActionSpec("align_centre", "Align &centre", "Line the selected touchpoints up on one "
               "vertical line through the middle of the selection", ("Alt+Shift+C",),
               "align-centre"),
    ActionSpec("align_right", "Align &right", "Line the selected touchpoints up on the "
               "rightmost one's right edge", ("Alt+Shift+R",), "align-right"),
    ActionSpec("align_top", "Align &top", "Line the selected touchpoints up on the topmost "
               "one's top edge", ("Alt+Shift+T",), "align-top"),
    ActionSpec("align_middle", "Align &middle", "Line the selected touchpoints up on one "
               "horizontal line through the middle of the selection", ("Alt+Shift+M",),
               "align-middle"),
    ActionSpec("align_bottom", "Align &bottom", "Line the selected touchpoints up on the "
               "lowest one's bottom edge", ("Alt+Shift+B",), "align-bottom"),
    ActionSpec("distribute_horizontally", "Distribute &horizontally", "Space three or more "
               "selected touchpoints with equal gaps from left to right; the outer ones stay",
               ("Alt+Shift+H",), "distribute-horizontally"),
    ActionSpec("distribute_vertically", "Distribute &vertically", "Space three or more "
               "selected touchpoints with equal gaps from top to bottom; the outer ones stay",
               ("Alt+Shift+V",), "distribute-vertically"),
    ActionSpec("snap_to_grid", "&Snap to grid", "Dragged and added touchpoints land on the "
               "grid (guides to other cards still win)", ("Alt+Shift+G",), "snap-to-grid"),
    # View
    ActionSpec("fit", "&Fit", "Fit the whole journey in the view", ("F",), "fit"),
    ActionSpec("zoom_in", "Zoom &in", "Zoom in (or Ctrl+wheel)", (Key.ZoomIn, "Ctrl+="),
               "zoom-in"),
    ActionSpec("zoom_out", "Zoom &out", "Zoom out (or Ctrl+wheel)", (Key.ZoomOut,), "zoom-out"),
    ActionSpec("reset_zoom", "&Actual size", "Zoom to 100%", ("Ctrl+0",)),
    ActionSpec("overlay_satisfaction_fill", "Colour cards by &satisfaction",
               "Tint each card's body with its satisfaction colour", ("Ctrl+Alt+1",)),
    ActionSpec("overlay_visits", "Show &visits", "A bar on each card: its visits as a share "
               "of the busiest touchpoint's", ("Ctrl+Alt+2",)),
    ActionSpec("overlay_flow", "Arrow width by &flow", "Wider arrows carry more customers "
               "(visits × probability)", ("Ctrl+Alt+3",)),
    ActionSpec("overlay_loyalty", "Show &loyalty after each touchpoint", "A badge with the "
               "loyalty (−100..100) of customers just after the touchpoint", ("Ctrl+Alt+4",)),
    ActionSpec("overlay_times", "Show &time between touchpoints", "Each arrow's label "
               "adds the median time customers take between its touchpoints (from an "
               "event log's timestamps)", ("Ctrl+Alt+7",)),
    ActionSpec("show_experience", "&Experience lane", "Under the touchpoints of a journey "
               "with lanes: the loyalty of the customers at each stage", ("Ctrl+Alt+5",)),
    ActionSpec("experience_by_segment", "Experience lane &per segment", "One line per "
               "segment in the experience lane instead of all customers together",
               ("Ctrl+Alt+6",)),
    ActionSpec("show_uncertainty", "Show &uncertainty", "How sure are the figures: each "
               "key figure's 90% interval, fix-first rank bands, each opportunity's chance "
               "of a gain and what drives the spread (Analysis › Evidence), from the "
               "evidence behind the figures", ("Ctrl+Alt+U",)),
    ActionSpec("show_legend", "Show the map &key", "A key to the overlays in the canvas's "
               "corner", ("Ctrl+Alt+K",)),
    ActionSpec("show_segments", "&Segments", "Show the customer segments and their "
               "word-of-mouth parameters", ("Ctrl+Shift+G",), "segments"),
    ActionSpec("show_personas", "P&ersonas", "Show the personas: each segment's faces, "
               "quotes, goals, needs and frustrations", ("Ctrl+Shift+O",)),
    ActionSpec("show_opportunities", "Opport&unities", "Show the opportunities: what the "
               "team could do, its cost and exact gains, the value-vs-effort matrix and the "
               "best plan for a budget", ("Ctrl+Shift+B",)),
    ActionSpec("focus_problems", "&Problems", "Show the problems list", ("Ctrl+Shift+P",)),
    # Help
    ActionSpec("glossary", "&Glossary", "Every figure and term: the formula in plain words "
               "and its source", ("F1",)),
    ActionSpec("model_help", "How the &numbers are computed", "The model behind every "
               "figure in plain words, section by section, as the glossary cites it",
               ("Shift+F1",)),
    ActionSpec("shortcuts", "&Keyboard shortcuts", "List every action and its shortcut",
               ("Ctrl+/",)),
    ActionSpec("welcome", "&Welcome page", "Recent projects, samples and templates",
               ("Ctrl+Shift+W",)),
    ActionSpec("about", "&About CX Mapper", "Version and licence", ()),
)

#: Shortcuts of the actions Qt makes (the undo stack's, a dock's switch), by object name.
BUILT_IN_SHORTCUTS: dict[str, tuple[str | QKeySequence.StandardKey, ...]] = {
    "undo": (Key.Undo,),
    "redo": (Key.Redo, "Ctrl+Y"),
    "show_inspector": ("Ctrl+Shift+1",),
}

MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&File", ("new", "new_blank", "new_blueprint", "open", "@recent", "-", "save",
               "save_as", "-",
               "import_json", "import_data", "check_drift", "export_json", "export", "-",
               "project_properties", "-", "quit")),
    ("&Edit", ("undo", "redo", "-", "cut", "copy", "paste", "duplicate", "delete", "-",
               "select_all", "rename")),
    ("&Journey", ("add_touchpoint", "connect", "auto_layout", "add_stage", "@lanes", "-",
                  "add_journey",
                  "rename_journey", "duplicate_journey", "remove_journey")),
    ("&Arrange", ("align_left", "align_centre", "align_right", "-", "align_top",
                  "align_middle", "align_bottom", "-", "distribute_horizontally",
                  "distribute_vertically", "-", "snap_to_grid")),
    ("&View", ("fit", "zoom_in", "zoom_out", "reset_zoom", "-", "@overlays",
               "show_experience", "experience_by_segment", "show_uncertainty", "-", "@docks",
               "-", "@theme")),
    ("&Help", ("glossary", "model_help", "shortcuts", "welcome", "-", "about")),
)

TOOLBAR: tuple[str, ...] = (
    "new", "open", "save", "-", "undo", "redo", "-", "add_touchpoint", "connect",
    "auto_layout", "@arrange", "-", "fit", "zoom_in", "zoom_out", "-", "show_segments",
    "export",
)


#: Arrange: the align actions by the edge they line up, the distribute ones by axis.
ALIGN_ACTIONS: dict[str, Edge] = {
    "align_left": "left", "align_centre": "centre", "align_right": "right",
    "align_top": "top", "align_middle": "middle", "align_bottom": "bottom",
}
DISTRIBUTE_ACTIONS: dict[str, Axis] = {
    "distribute_horizontally": "horizontal", "distribute_vertically": "vertical",
}

#: The View > Overlays switches, by action name and Overlays field.
OVERLAY_ACTIONS: dict[str, str] = {
    "overlay_satisfaction_fill": "satisfaction_fill",
    "overlay_visits": "visits",
    "overlay_flow": "flow",
    "overlay_loyalty": "loyalty",
    "overlay_times": "times",
}


def key_sequences(shortcuts: tuple[str | QKeySequence.StandardKey, ...]) -> list[QKeySequence]:
    """The key sequences of declared shortcuts on this platform, each once."""
    sequences: list[QKeySequence] = []
    for shortcut in shortcuts:
        if isinstance(shortcut, str):
            sequences.append(QKeySequence(shortcut))
        else:
            sequences.extend(QKeySequence.keyBindings(shortcut))
    return list(dict.fromkeys(sequences))


def spec(name: str) -> ActionSpec:
    for action in ACTIONS:
        if action.name == name:
            return action
    raise KeyError(name)
