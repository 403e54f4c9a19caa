"""Headings and labels do not overlap on forms laid out with the site's form styles (issue 25/11): Bootstrap Italia
floats an active label above its field, and a heading or legend right before the field used to cover it."""

import pytest

pytestmark = pytest.mark.browser


def _overlap(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"])


def test_no_heading_covers_the_label_below_it_and_a_select_has_one_chevron(page, site):
    page.goto(f"{site}/assistenza/")
    for heading, label in (("Richiedente", "label[for=id_first_name]"), ("Richiesta", "label[for=id_category]")):
        legend = page.locator("legend", has_text=heading).bounding_box()
        assert not _overlap(legend, page.locator(label).bounding_box()), heading
    # one chevron: the select's own, without Bootstrap's background chevron drawn beside it
    assert page.locator("#id_category").evaluate("e => getComputedStyle(e).backgroundImage") == "none"
