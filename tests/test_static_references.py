"""Every `{% static %}` path in our templates exists, so the manifest storage of production can hash it."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]""")
REFERENCES = sorted(
    {(path.relative_to(ROOT).as_posix(), ref) for path in ROOT.glob("templates/**/*.html") for ref in STATIC_TAG.findall(path.read_text())}
)


@pytest.mark.parametrize("template, reference", REFERENCES)
def test_static_reference_is_a_file(template, reference):
    found = finders.find(reference)
    assert found and Path(found).is_file(), f"{template}: {reference}"
