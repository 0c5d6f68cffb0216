"""``index.html``: the board as one self-contained HTML page with sortable tables and bar charts.

The page's skeleton, style sheet and script are the package data files
``page.html`` (a :class:`string.Template`), ``board.css`` and ``board.js``; the
Content-Security-Policy allows exactly that style and script, by their hashes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any

from .constants import LAYER_TITLES
from .formatting import (
    SEEN,
    _ci,
    _method_note,
    _notes,
    _num,
    _power_note,
    _tie_note,
    _training,
    _unit,
    seen_legend,
)

_PALETTE = ("#0969da", "#bf3989", "#1a7f37", "#bc4c00", "#8250df", "#0a3069", "#cf222e", "#4d2d00")


@cache
def _asset(name: str) -> str:
    """A package data file of the page, without its final newline."""
    text = files("newsgold.leaderboard").joinpath(name).read_text(encoding="utf-8")
    return text.removesuffix("\n")


def _e(value: Any) -> str:
    """Escape anything for HTML text and attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()


def _bar_chart(layer: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """Grouped bars as inline SVG: one group per label (or figure), one bar per system."""
    if not rows:
        return ""
    groups = list(rows[0]["per_label"])
    if not groups:
        return ""
    n = len(rows)
    bar, height, top, left = 14, 160, 12, 34
    group_w = max(n * bar + 22, 96)  # wide enough for a label such as "end-to-end F1"
    gap = group_w - n * bar
    longest = max(len(f"{row['name']} ({row['system_id']})") for row in rows)
    width = max(left + len(groups) * group_w + 10, left + 24 + 7 * longest)
    legend_h = 18 * n
    total_h = top + height + 30 + legend_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{total_h}" '
        f'viewBox="0 0 {width} {total_h}" aria-labelledby="chart-{layer}-title">',
        f'<title id="chart-{layer}-title">{_e(LAYER_TITLES[layer])}: '
        f"{'strict F1 per label' if layer == 'entities' else 'F1 per figure'}</title>",
    ]
    for tick in (0.0, 0.5, 1.0):
        y = top + height * (1 - tick)
        parts.append(
            f'<line x1="{left}" x2="{width - 6}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de" stroke-width="1"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#57606a">{tick:.1f}</text>'
        )
    for g, group in enumerate(groups):
        x0 = left + g * group_w + gap / 2
        for i, row in enumerate(rows):
            value = row["per_label"].get(group, {}).get("value")
            h = 0.0 if value is None else height * max(0.0, min(1.0, float(value)))
            x = x0 + i * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{top + height - h:.1f}" width="{bar - 2}" height="{h:.1f}" '
                f'fill="{_PALETTE[i % len(_PALETTE)]}"><title>{_e(row["name"])}, {_e(group)}: '
                f"{_num(value)}</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + n * bar / 2:.1f}" y="{top + height + 16}" font-size="11" '
            f'text-anchor="middle" fill="#1b1f24">{_e(group)}</text>'
        )
    for i, row in enumerate(rows):
        y = top + height + 30 + 18 * i
        parts.append(
            f'<rect x="{left}" y="{y}" width="12" height="12" fill="{_PALETTE[i % len(_PALETTE)]}"/>'
            f'<text x="{left + 18}" y="{y + 10}" font-size="11" fill="#1b1f24">{_e(row["name"])} '
            f"({_e(row['system_id'])})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def to_html(board: Mapping[str, Any]) -> str:
    """``index.html``: one self-contained page (no external assets) with a sortable table per layer.

    Every string from a submission is escaped for text and attribute context.
    A Content-Security-Policy allows only this page's own style and script (by
    hash), so even an unescaped string could not run code.

    Args:
        board: the board object of :func:`build_board`.

    Returns:
        The HTML document.
    """
    css, js = _asset("board.css"), _asset("board.js")
    csp = (
        f"default-src 'none'; style-src '{_csp_hash(css)}'; script-src '{_csp_hash(js)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    out = [
        "<h1>newsgold leaderboard</h1>",
        f'<p class="meta">corpus {_e(board["corpus_version"])} · {board["documents"]} documents · '
        f"gold sha256 <code>{_e(board['gold_sha256'])}</code> · scorer {_e(board['scorer_version'])}</p>",
        f"<p>Brackets hold 95% bootstrap intervals over {_e(_unit(board))}s. Click a column header to sort. "
        f'<span class="mark best">best</span> tops the layer; <span class="mark tie">≈ best</span> marks a '
        f"system {_e(_method_note(board))} With this few documents, intervals are wide and the "
        f"test has little power.{_e(_power_note(board))}</p>",
        "<p>" + seen_legend(lambda m: f'<span class="mark seen">{_e(m)}</span>') + "</p>",
    ]
    for layer, table in board["layers"].items():
        out.append(f'<section id="layer-{layer}">')
        out.append(f"<h2>{LAYER_TITLES[layer]}</h2>")
        out.append(f'<p class="meta">ranked by {_e(table["ranked_by"])}</p>')
        if not table["rows"]:
            out.append("<p>No system predicts this layer yet.</p></section>")
            continue
        out.append(f'<p class="tie" id="tie-{layer}">{_e(_tie_note(board, layer))}</p>')
        out.append(f'<table class="board" id="board-{layer}">')
        heads = [
            '<th data-type="num" data-first="asc" aria-sort="ascending">#</th>',
            '<th class="sys" data-type="text" data-first="asc">system</th>',
        ]
        heads += [
            f'<th data-type="num" data-first="desc">{_e(c["title"])}</th>' for c in table["columns"]
        ]
        heads += [
            '<th data-type="num" data-first="desc">p vs best</th>',
            '<th data-type="num" data-first="desc">Holm p</th>',
            '<th class="sys" data-type="text">errors</th>',
        ]
        out.append("<thead><tr>" + "".join(heads) + "</tr></thead><tbody>")
        for row in table["rows"]:
            cls = "best" if row["best"] else ("tie" if row["indistinguishable_from_best"] else "")
            mark = (
                '<span class="mark best">best</span>'
                if row["best"]
                else (
                    '<span class="mark tie">≈ best</span>'
                    if row["indistinguishable_from_best"]
                    else ""
                )
            )
            seen = SEEN[row["contamination"]]
            if seen:
                mark += f'<span class="mark seen">{seen}</span>'
            cells = [
                f'<td data-value="{row["rank"]}">{row["rank"]}</td>',
                f'<td class="sys" data-value="{_e(row["system_id"])}"><span class="name">{_e(row["name"])}</span>'
                f"{mark}<br><small>{_e(row['system_id'])}</small></td>",
            ]
            for col in table["columns"]:
                fig = row["figures"][col["path"]]
                value = "" if fig["value"] is None else repr(float(fig["value"]))
                ci = _ci(fig["ci95"])
                cells.append(
                    f'<td data-value="{value}">{_num(fig["value"])}'
                    + (f"<br><small>{ci}</small>" if ci else "")
                    + "</td>"
                )
            for p in (row["p_value_vs_best"], row.get("p_value_vs_best_holm")):
                cells.append(
                    f'<td data-value="{"" if p is None else repr(float(p))}">{"—" if p is None else f"{p:.3f}"}</td>'
                )
            cells.append(
                f'<td class="sys" data-value="{_e(row["system_id"])}"><a href="{_e(row["report"])}">error report</a></td>'
            )
            out.append(
                f'<tr class="{cls}" data-system="{_e(row["system_id"])}">'
                + "".join(cells)
                + "</tr>"
            )
        out.append("</tbody></table>")
        chart = _bar_chart(layer, table["rows"])
        if chart:
            caption = "strict F1 per label" if layer == "entities" else "F1 per figure"
            out.append(
                f"<figure>{chart}<figcaption>{LAYER_TITLES[layer]}: {caption}</figcaption></figure>"
            )
        out.append("</section>")
    if board["invalid"]:
        out.append(
            '<section id="invalid"><h2>Not ranked (invalid submissions)</h2><ul class="invalid">'
        )
        for item in board["invalid"]:
            out.append(
                f"<li><code>{_e(item['folder'])}</code>: "
                + "<br>".join(_e(p) for p in item["problems"][:5])
                + (
                    f"<br>(and {len(item['problems']) - 5} more)"
                    if len(item["problems"]) > 5
                    else ""
                )
                + "</li>"
            )
        out.append("</ul></section>")
    out.append('<section id="systems"><h2>Systems</h2><dl class="systems">')
    for system_id, sub in board["submissions"].items():
        url = sub.get("url")
        link = (
            f' · <a href="{_e(url)}" rel="nofollow noopener noreferrer">{_e(url)}</a>'
            if isinstance(url, str) and re.match(r"https?://", url)
            else ""
        )
        prov = sub.get("provenance") or {}
        out.append(
            f'<dt id="system-{_e(system_id)}">{_e(sub["name"])} <small>{_e(system_id)} · version {_e(sub["version"])}</small></dt>'
            f"<dd>{_e(sub['description'])}</dd>"
            f'<dd class="meta">{_e(sub["license"])} · {_e(sub["date"])} · scheme {_e(sub["scheme"])} · '
            f"layers {_e(', '.join(sub['layers']))}{link}</dd>"
            f'<dd class="meta">{_e(_training(sub))} Made against corpus {_e(str(sub["corpus_version"]))}, '
            f"gold sha256 <code>{_e(str(sub['gold_sha256']))}</code>.</dd>"
            + (
                '<dd class="meta">provenance: '
                + ", ".join(f"{_e(k)} <code>{_e(v)}</code>" for k, v in prov.items())
                + "</dd>"
                if prov
                else ""
            )
            + "".join(f'<dd class="meta">scoring note: {_e(w)}</dd>' for w in _notes(sub))
        )
    out.append("</dl></section>")
    page = Template(_asset("page.html"))
    return page.substitute(csp=_e(csp), css=css, js=js, body="\n".join(out)) + "\n"
