"""The QR code that opens a plan's page, for the PDF (as vector squares) and the page (as SVG).

It encodes the plan page, not the calendar: phones open a web page reliably, and the page offers
webcal, Google Calendar and a download, whereas a bare webcal:// QR code is unreliable on phones.
"""

from __future__ import annotations

from functools import lru_cache

import segno

# Medium error correction survives a crease or a coffee ring on the fridge copy.
ERROR_CORRECTION = "m"
QUIET_ZONE = 4  # modules of white border the QR standard asks for


@lru_cache(maxsize=256)
def dark_runs(url: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """(size in modules without the quiet zone, (row, first column, length) of each horizontal run
    of dark modules). Runs rather than single modules keep the PDF drawing small and fast."""
    code = segno.make(url, error=ERROR_CORRECTION, boost_error=False)
    runs = []
    matrix = code.matrix
    for row_index, row in enumerate(matrix):
        column = 0
        width = len(row)
        while column < width:
            if row[column]:
                start = column
                while column < width and row[column]:
                    column += 1
                runs.append((row_index, start, column - start))
            else:
                column += 1
    return len(matrix), tuple(runs)


@lru_cache(maxsize=256)
def svg(url: str, *, title: str = "QR code that opens this plan") -> str:
    """An inline <svg> element, scalable by CSS, with an accessible title."""
    code = segno.make(url, error=ERROR_CORRECTION, boost_error=False)
    return code.svg_inline(
        scale=1, border=QUIET_ZONE, dark="#000", light="#fff", title=title,
        omitsize=True, svgclass="qr", lineclass=None,
    )
