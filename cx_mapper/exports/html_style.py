"""The HTML report's style sheet: the summary page's colours and type, on screen and on
paper (Qt-free). System fonts only: the report fetches nothing."""

from __future__ import annotations

#: The summary's content width (1,600 less its margins), in CSS pixels.
CONTENT_WIDTH = 1472
#: Between side-by-side figures, as on the summary page.
GUTTER = 32

CSS = """
:root {
  --text: #1f2630; --muted: #5d6673; --rule: #d3d8e0; --track: #e3e6eb;
  --accent: #0072b2; --tile: #f6f7f9; --good: #007a5a; --bad: #ad4600;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { background: #fff; }
body {
  margin: 0; color: var(--text); background: #fff;
  font: 15px/1.45 system-ui, "Segoe UI", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
main { max-width: calc(CONTENT px + 64px); margin: 0 auto; padding: 40px 32px 48px; }
header.top { display: flex; justify-content: space-between; align-items: flex-end; gap: 24px;
  border-bottom: 2px solid var(--text); padding-bottom: 14px; }
.eyebrow { color: var(--accent); font-weight: 700; letter-spacing: 0.1em;
  text-transform: uppercase; font-size: 14px; margin: 0; }
h1 { font-size: 38px; line-height: 1.15; margin: 4px 0 6px; }
.subtitle, .caption, .muted { color: var(--muted); }
.subtitle { margin: 0; }
.dated { text-align: right; white-space: nowrap; }
.dated strong { display: block; font-size: 18px; }
h2 { font-size: 22px; margin: 0; }
h3 { font-size: 17px; margin: 28px 0 8px; }
.caption { margin: 2px 0 14px; font-size: 14px; }
section { margin-top: 40px; }
/* Rows of four, each tile wide enough for its label and interval on one line; one
   row on a wide screen, rows of two on a narrow one. */
.tiles { display: grid; gap: 12px; margin-top: 28px;
  grid-template-columns: repeat(4, minmax(0, 1fr)); }
@media screen and (min-width: 1800px) {
  .tiles { grid-template-columns: none; grid-auto-flow: column;
    grid-auto-columns: minmax(0, 1fr); } }
@media screen and (max-width: 640px) {
  .tiles { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.tile { background: var(--tile); border: 1px solid var(--track); border-radius: 8px;
  padding: 12px 14px; }
.tile .label { color: var(--muted); font-weight: 600; font-size: 13px; }
.tile .value { font-size: 32px; font-weight: 700; line-height: 1.2; margin: 2px 0; }
.tile .interval { font-weight: 600; font-size: 13px; }
.tile .detail { color: var(--muted); font-size: 13px; }
.good { color: var(--good); }
.bad { color: var(--bad); }
svg.picture { display: block; width: 100%; height: auto; }
.sure { margin-top: 12px; }
.map-row { display: flex; gap: 32px; align-items: flex-start; }
.map-row .key { flex: 0 0 292px; }
.map-frame { flex: 1 1 auto; min-width: 0; }
@media screen and (max-width: 1200px) {  /* a narrow window: the key under the map */
  .map-row { flex-direction: column; }
  .map-row .map-frame { width: 100%; }
  .map-row .key { flex-basis: auto; width: 100%; max-width: 292px; }
}
.map { position: relative; width: 100%; }
.map > svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.hits .card rect { fill: transparent; stroke: none; cursor: help; }
.hits .arrow path { fill: none; stroke: transparent; stroke-width: 14; cursor: help; }
.hits .card:hover rect, .hits .card:focus rect { stroke: var(--accent); stroke-width: 3; }
.hits .arrow:hover path, .hits .arrow:focus path { stroke: rgba(0, 114, 178, 0.25); }
.hits g:focus { outline: none; }
.tip { position: absolute; z-index: 2; visibility: hidden; pointer-events: none;
  width: 340px; background: #fff; border: 1px solid var(--rule); border-radius: 8px;
  box-shadow: 0 6px 20px rgba(31, 38, 48, 0.18); padding: 10px 12px; font-size: 13px; }
.tip strong { display: block; font-size: 15px; }
.tip > span { color: var(--muted); }
.tip dl { display: grid; grid-template-columns: 1fr auto; gap: 2px 12px; margin: 8px 0 0; }
.tip dt { color: var(--muted); }
.tip dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.row { display: flex; flex-wrap: wrap; gap: 40px GUTTERpx; align-items: flex-start; }
/* A share of the row as on the summary page, at any width: --p of the content less
   --g, its part of the gaps between side-by-side figures. */
.fig { flex: 0 0 calc(var(--p) - var(--g)); min-width: 0; margin: 0; }
@media screen and (max-width: 900px) { .fig { flex-basis: 100%; } }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; text-align: left; vertical-align: top; }
thead th { color: var(--muted); font-weight: 600; border-bottom: 1.5px solid var(--text);
  vertical-align: bottom; }
tbody td { border-bottom: 1px solid var(--track); }
th.n, td.n { text-align: right; white-space: nowrap; }
td.w { min-width: 11em; }
td.ww { min-width: 20em; }
.more { color: var(--muted); font-size: 13px; margin-top: 6px; }
footer { margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 12px;
  color: var(--muted); font-size: 13px; }
footer p { margin: 4px 0; }
.empty { color: var(--muted); font-size: 18px; padding: 40px; text-align: center; }
@page { size: landscape; margin: 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  section, figure, .tile, tr, .map-row { break-inside: avoid; }
  h2 { break-after: avoid; }
  .tip, .hits { display: none; }
  .scroll { overflow: visible; }
  table { font-size: 7.5pt; }
  th, td { padding: 2px 5px; }
  .tables section { break-inside: auto; }
}
""".replace("CONTENT px", f"{CONTENT_WIDTH}px").replace("GUTTERpx", f"{GUTTER}px")
