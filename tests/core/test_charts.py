"""Server-drawn charts (services/core/charts.py)."""

from services.core.charts import horizontal_bars


def test_horizontal_bars_scale_to_the_largest_value():
    chart = horizontal_bars([("a", 10, "10"), ("b", 5, "5"), ("c", 0, "0")], width=400, label_width=100)
    widths = [bar["w"] for bar in chart["bars"]]
    assert widths == [210.0, 105.0, 0.0] and chart["height"] == 26 * 3 + 8
    assert [bar["y"] for bar in chart["bars"]] == [4, 30, 56]
    assert horizontal_bars([])["bars"] == [] and horizontal_bars([("a", 0, "0")])["bars"][0]["w"] == 0.0
