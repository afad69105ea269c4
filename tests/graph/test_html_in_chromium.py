"""The HTML page as a browser shows it: headless Chromium renders it, and the DOM it built is checked.

Installs nothing: without a Chromium at a usual place the tests skip and say how to get one.
"""
import json
import os
import shutil
import subprocess

import numpy as np
import pytest

import s2sgrad

from .. import seed_functions as seeds
from . import examples

CHROMIUM = next((path for path in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"),
                                   shutil.which("google-chrome")) if path and os.path.exists(path)), None)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to render the page (apt-get install -y chromium)")

# run by the browser in a copy of the page: where each node landed, and whether any two overlap
_MEASURE = """<script>
const boxes = [...document.querySelectorAll('g.node')].map(g => {
  const r = g.querySelector('rect, ellipse').getBoundingClientRect();
  return {id: g.id, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
          text: [...g.querySelectorAll('text')].map(t => t.textContent)};
});
const overlaps = [];
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const a = boxes[i], b = boxes[j];
  if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push([a.id, b.id]);
}
const svg = document.querySelector('svg').getBoundingClientRect();
const outside = boxes.filter(b => b.left < svg.left || b.right > svg.right || b.top < svg.top
                                  || b.bottom > svg.bottom).map(b => b.id);
const report = document.createElement('pre');
report.id = 'report';
report.textContent = JSON.stringify({boxes, overlaps, outside});
document.body.appendChild(report);
</script>"""


def _render(page: str, tmp_path) -> str:
    path = tmp_path / "graph.html"
    path.write_text(page, encoding="utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=2000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _report(graph, tmp_path) -> dict:
    dom = _render(graph.to_html().replace("</body>", _MEASURE + "\n</body>"), tmp_path)
    return json.loads(dom.split('<pre id="report">')[1].split("</pre>")[0].replace("&quot;", '"'))


def test_the_page_renders_every_label_of_seed_000(tmp_path):
    graph = s2sgrad.graph(seeds.seed000_J, 5, 3, 2, wrt=("a", "b", "c"))
    dom = _render(graph.to_html(), tmp_path)
    for label in ("a = 5", "da = 3", "b = 3", "db = 6", "c = 2", "dc = 9", "u = 6", "du = 3", "v = 11", "dv = 3",
                  "J = 33", "dJ = 1", "seed000_J(a=5, b=3, c=2) = 33"):
        assert f">{label}</text>" in dom
    assert "grad_seed000_J" in dom


@pytest.mark.parametrize("name, make", [
    ("seed 001", lambda: s2sgrad.graph(seeds.seed001_f, 1.0, 2.0, 0.0, wrt=(0, 1, 2))),
    ("a loop, elided", lambda: s2sgrad.graph(examples.power, 1.1, 9)),
    ("arrays", lambda: s2sgrad.graph(examples.layer_loss, np.ones((3, 2)), np.array([1.0, -2.0]), np.zeros(3))),
])
def test_nodes_do_not_overlap_and_stay_inside_the_picture(name, make, tmp_path):
    report = _report(make(), tmp_path)
    assert report["boxes"], name
    assert report["overlaps"] == [], name
    assert report["outside"] == [], name
