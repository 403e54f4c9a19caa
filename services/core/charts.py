"""Grouped and horizontal bar charts drawn on the server as SVG: no script, readable without colour, each shown with its data table."""

WIDTH, HEIGHT, PAD = 600, 180, 24
COLOURS = ["#0066cc", "#d9364f", "#008758", "#a66300", "#5c2f91"]  # Bootstrap Italia primary, danger, success, warning, purple


def grouped_bars(months: list[dict], series: list[str], key: str) -> dict:
    """Per month, one bar per series; `month[key]` holds the counts in the order of `series`."""
    top = max([n for m in months for n in m[key]] or [1]) or 1
    usable = HEIGHT - 2 * PAD
    step = (WIDTH - 2 * PAD) / max(len(months), 1)
    width = step * 0.8 / max(len(series), 1)
    bars = []
    for n, month in enumerate(months):
        for k, count in enumerate(month[key]):
            height = usable * count / top
            bars.append({"x": round(PAD + n * step + step * 0.1 + k * width, 1), "y": round(PAD + usable - height, 1), "w": round(width, 1),
                         "h": round(max(height, 0), 1), "colour": COLOURS[k % len(COLOURS)], "count": count, "series": series[k],
                         "month": month["month"]})
    labels = [{"x": round(PAD + n * step + step / 2, 1), "month": m["month"]} for n, m in enumerate(months)]
    legend = [{"name": name, "colour": COLOURS[k % len(COLOURS)]} for k, name in enumerate(series)]
    return {"bars": bars, "labels": labels, "legend": legend, "width": WIDTH, "height": HEIGHT, "label_y": HEIGHT - 4, "base": HEIGHT - PAD}


def horizontal_bars(chart: list, *, width: int = 640, label_width: int = 260, row: int = 26) -> dict:
    """One bar per (label, value as a number, value as shown), labels on the left: the SVG coordinates of a chart whose
    table carries the same values (the 0-3 survey's dashboard)."""
    top = max((float(value) for _label, value, _shown in chart), default=0) or 1
    span = width - label_width - 90
    return {"width": width, "height": row * len(chart) + 8, "label_width": label_width, "bars": [
        {"label": label, "shown": shown, "y": 4 + i * row, "text_y": 4 + i * row + row * 0.6, "h": row - 8,
         "w": round(span * float(value) / top, 1), "end": label_width + round(span * float(value) / top, 1) + 6}
        for i, (label, value, shown) in enumerate(chart)]}
