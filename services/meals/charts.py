"""Bar charts drawn on the server as SVG: no script, readable without colour, each with its data table."""

from decimal import Decimal

from services.core.charts import HEIGHT, PAD, WIDTH, grouped_bars


def balance_bars(months: list[dict]) -> dict:
    """One bar per month from the zero line, up for credit, down for debt."""
    values = [m["balance"] or Decimal("0") for m in months]
    top = max([v for v in values if v > 0] or [Decimal("1")])
    bottom = min([v for v in values if v < 0] or [Decimal("0")])
    span = top - bottom or Decimal("1")
    usable = HEIGHT - 2 * PAD
    zero = PAD + float(top / span) * usable
    step = (WIDTH - 2 * PAD) / max(len(values), 1)
    bars = []
    for n, (month, value) in enumerate(zip(months, values, strict=True)):
        height = float(abs(value) / span) * usable
        y = zero - height if value >= 0 else zero
        bars.append({"x": round(PAD + n * step + step * 0.15, 1), "y": round(y, 1), "w": round(step * 0.7, 1), "h": round(max(height, 1), 1),
                     "negative": value < 0, "value": value, "month": month["month"], "label_x": round(PAD + n * step + step / 2, 1)})
    return {"bars": bars, "zero": round(zero, 1), "width": WIDTH, "height": HEIGHT, "label_y": HEIGHT - 4}


def meals_bars(months: list[dict], children: list[str]) -> dict:
    """Grouped bars: per month, one bar per child."""
    chart = grouped_bars(months, children, "meals")
    for bar in chart["bars"]:
        bar["child"] = bar["series"]
    return chart
