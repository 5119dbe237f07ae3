"""The CSS of appendix tables and figures, shared by the notebooks' output, the section pages and the
contents page. A module of its own so that the page code needs no table code (nor pandas)."""

_FONT_STACK = '"IPAexGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif'

# The selectors start with .komae-table-block so that they outweigh JupyterLab's output CSS (which
# right-aligns every th/td with ``:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon th``) in the
# notebook and in the exported pages alike.
# A text cell keeps its line breaks (white-space: pre-line), for cells that list several items one per line.
#: CSS for the HTML fragments of tables and figures (also included by the report pages).
TABLE_CSS = f"""
.komae-table-block, .komae-figure {{
  font-family: {_FONT_STACK};
  color: #1a1a1a;
  margin: 1.5em 0;
  max-width: 100%;
}}
.komae-table-block .komae-table-scroll {{ overflow-x: auto; max-width: 100%; }}
.komae-table-block table.komae-table {{
  border-collapse: collapse;
  table-layout: auto;
  font-size: 0.9rem;
  line-height: 1.45;
  margin: 0;
}}
.komae-table-block table.komae-table caption {{
  caption-side: top;
  text-align: left;
  padding: 0 0 0.3em 0;
}}
.komae-table-number, .komae-figure-number {{ font-weight: bold; margin-right: 1em; }}
.komae-table-title, .komae-figure-title {{ font-weight: bold; }}
.komae-table-block .komae-table-unit {{
  display: block;
  text-align: right;
  font-size: 0.85rem;
  font-weight: normal;
  margin-top: 0.2em;
}}
.komae-table-block table.komae-table th, .komae-table-block table.komae-table td {{
  border: 1px solid #8c959f;
  padding: 0.25em 0.6em;
  vertical-align: top;
  line-height: 1.45;
}}
.komae-table-block table.komae-table thead th {{
  background: #e3eaf2;
  font-weight: bold;
  text-align: center;
  vertical-align: middle;
}}
.komae-table-block table.komae-table tbody th {{
  font-weight: normal;
  text-align: left;
  background: #f6f8fa;
  white-space: nowrap;  /* a row label (a date, a name) is read as one unit */
}}
.komae-table-block table.komae-table tbody .text {{ text-align: left; }}
.komae-table-block table.komae-table tbody td.text {{ white-space: pre-line; }}
.komae-table-block table.komae-table tbody td.short,
.komae-table-block table.komae-table thead th.short {{ white-space: nowrap; }}
.komae-table-block table.komae-table tbody .num {{
  text-align: right;
  white-space: nowrap;
  font-variant-numeric: tabular-nums;
}}
.komae-table-block table.komae-table tbody tr {{ background: none; }}
.komae-table-block table.komae-table tbody tr:nth-child(even) td {{ background: #fafbfc; }}
.komae-table-block table.komae-table tbody tr.total th,
.komae-table-block table.komae-table tbody tr.total td {{
  font-weight: bold;
  border-top: 2px solid #1a1a1a;
  background: #eef2f6;
}}
.komae-table-block table.komae-table tbody tr.emphasis th,
.komae-table-block table.komae-table tbody tr.emphasis td {{
  font-weight: bold;
  background: #fff3d6;
}}
.komae-table-source, .komae-table-note, .komae-figure-source, .komae-figure-note {{
  font-size: 0.85rem;
  margin: 0.25em 0 0 0;
  text-align: left;
}}
.komae-figure {{ display: block; }}
.komae-figure figcaption {{ margin-bottom: 0.4em; }}
.komae-figure img {{ max-width: 100%; height: auto; display: block; }}
@media print {{
  .komae-table-block, .komae-figure {{ break-inside: avoid; page-break-inside: avoid; }}
  .komae-table-block .komae-table-scroll {{ overflow: visible; }}
  .komae-table-block table.komae-table thead {{ display: table-header-group; }}
  .komae-table-block table.komae-table thead th, .komae-table-block table.komae-table tbody th,
  .komae-table-block table.komae-table tbody tr.total td {{
    -webkit-print-color-adjust: exact;
    print-color-adjust: exact;
  }}
  .komae-table-block table.komae-table tbody tr:nth-child(even) td {{ background: none; }}
  .komae-table-block table.komae-table {{ font-size: 9pt; }}
}}
""".strip()
