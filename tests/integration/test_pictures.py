"""Pictures, without root: every bundled lab drawn as PNG through Graphviz, and
the matrix drawn as SVG and HTML from a saved run (tests/unit/matrix/measured.json,
what `natlab matrix --types full-cone,port-restricted-cone,symmetric,masquerade+bare
--json` measured), the SVG rendered to PNG by rsvg-convert (librsvg2-bin, installed
by scripts/setup)."""
import glob
import json
import os
import shutil
import struct
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from natlab_test import SOURCE_DIR, natlab

SAVED = os.path.join(SOURCE_DIR, "tests", "unit", "matrix", "measured.json")
SVG = "{http://www.w3.org/2000/svg}"

# Conditions at both ends and a bare NAT: the rows the bundled labs lack.
CONDITIONS_LAB = """name: pictures
nodes:
  c0: {routes: {default: nat0}}
  nat0: {kind: nat, outside: wan, preset: home-router, routes: {default: internet}}
  internet: {kind: router}
links:
  - {endpoints: [c0:eth0, nat0:lan], subnet: 10.0.1.0/24, preset: dsl}
  - {endpoints: [nat0:wan, internet:to-nat0], subnet: 100.64.1.0/24, delay: 40ms, loss: 1%, rate: 20mbit}
"""


def png_size(path):
    """(width, height) of a PNG, read from its IHDR chunk; fails on anything else."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise AssertionError(f"{path} is not a PNG: {head[:16]!r}")
    return struct.unpack(">II", head[16:24])


class Pictures(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)

    def assert_png(self, path, min_size, max_size=(6000, 8000)):
        kind = subprocess.run(["file", "-b", path], capture_output=True, text=True, check=True).stdout
        self.assertTrue(kind.startswith("PNG image data"), (path, kind))
        width, height = png_size(path)
        self.assertTrue(min_size[0] <= width <= max_size[0] and min_size[1] <= height <= max_size[1],
                        (path, width, height))
        return width, height

    def test_every_bundled_lab_draws_as_a_png(self):
        labs = sorted(glob.glob(os.path.join(SOURCE_DIR, "labs", "*.yaml")))
        self.assertGreaterEqual(len(labs), 5)
        conditions = os.path.join(self.tmp, "pictures.yaml")
        with open(conditions, "w") as f:
            f.write(CONDITIONS_LAB)
        for lab in labs + [conditions]:
            png = os.path.join(self.tmp, os.path.basename(lab)[:-5] + ".png")
            proc = natlab("graph", lab, "--format", "png", "-o", png)
            self.assertEqual((proc.stdout, proc.stderr), ("", ""), lab)
            # A NAT's legend alone is some 1000 x 200 pixels; a lab without one explains one line.
            with open(lab) as f:
                has_nat = "kind: nat" in f.read()
            self.assert_png(png, (900, 400) if has_nat else (500, 200))

    def test_matrix_svg_of_a_saved_run_renders_to_a_png(self):
        svg = os.path.join(self.tmp, "matrix.svg")
        proc = natlab("matrix", "--from-json", SAVED, "--format", "svg", "-o", svg)
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, "", ""))
        root = ET.parse(svg).getroot()  # well-formed XML
        self.assertEqual(root.tag, SVG + "svg")
        cells = [g for g in root.iter(SVG + "g") if g.find(SVG + "title") is not None]
        self.assertEqual(len(cells), 16)
        titles = [g.find(SVG + "title").text for g in cells]
        self.assertTrue(titles[0].startswith("direct. full-cone (full-1) -> full-cone (full-2): got through."),
                        titles[0])
        self.assertTrue(titles[3].startswith("direct. full-cone (full-1) -> masquerade+bare (masq-bare-2)"))
        texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
        self.assertIn("Every cell agrees with theory.", texts)
        self.assertEqual(sum(t.startswith(("1. ", "2. ", "3. ", "4. ", "5. ", "6. ", "7. ")) for t in texts), 7)
        self.assertFalse(any(t.startswith("8. ") for t in texts))
        if not shutil.which("rsvg-convert"):
            self.fail("rsvg-convert is missing: run scripts/setup (package librsvg2-bin)")
        png = os.path.join(self.tmp, "matrix.png")
        subprocess.run(["rsvg-convert", svg, "-o", png], check=True)
        width, height = self.assert_png(png, (700, 600))
        self.assertEqual((width, height), (int(root.get("width")), int(root.get("height"))))

    def test_matrix_html_of_a_saved_run_is_one_page(self):
        html = natlab("matrix", "--from-json", SAVED, "--format", "html").stdout
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertEqual(html.count("<td class="), 16)
        self.assertEqual(html.count(" title=\""), 16)
        self.assertEqual(html.count("<li id=\"note-"), 7)
        for outside in ("http", "<script", "<link", "<img", "url("):
            self.assertNotIn(outside, html)

    def test_format_json_is_the_json_flag_and_keeps_the_saved_file(self):
        with open(SAVED) as f:
            saved = json.load(f)
        for flags in (["--format", "json"], ["--json"], ["--json", "--format", "json"]):
            out = natlab("matrix", "--from-json", SAVED, *flags).stdout
            self.assertEqual(json.loads(out), saved, flags)
        text = natlab("matrix", "--from-json", SAVED).stdout
        self.assertTrue(text.startswith("UDP hole punching between hosts behind each pair of NAT types (measured "
                                        "in lab matrix-3f9c2e):\n"), text)
        self.assertIn("\nEvery cell agrees with theory.\n", text)

    def test_a_saved_run_that_disagrees_exits_3_after_drawing_it(self):
        with open(SAVED) as f:
            saved = json.load(f)
        pair = saved["pairs"][0]  # full-cone -> full-cone: theory says it works
        pair["a_to_b"] = pair["works"] = False
        pair["why_not_a_to_b"] = "nothing arrived"
        path = os.path.join(self.tmp, "disagrees.json")
        with open(path, "w") as f:
            json.dump(saved, f)
        svg = os.path.join(self.tmp, "disagrees.svg")
        proc = natlab("matrix", "--from-json", path, "--format", "svg", "-o", svg, check=False)
        self.assertEqual((proc.returncode, proc.stderr), (3, ""))
        with open(svg) as f:
            drawn = f.read()
        self.assertIn(">failed, one way (theory: direct)</text>", drawn)
        self.assertIn('stroke="#be123c" stroke-width="3"', drawn)
        self.assertIn(">1 cell disagrees with theory (outlined).</text>", drawn)

    def test_bad_requests_are_refused_with_the_fix(self):
        not_json = os.path.join(self.tmp, "x.json")
        with open(not_json, "w") as f:
            f.write("UDP hole punching ...\n")
        cases = [
            (["matrix", "--format", "png"],
             "--format: 'png' is not a format it writes; use one of text, json, svg, html (e.g. --format html)\n"
             "Run with --help for more information.\n"),
            (["graph", os.path.join(SOURCE_DIR, "labs", "two-nat.yaml"), "--format", "jpg"],
             "--format: 'jpg' is not a format it writes; use one of dot, mermaid, svg, png (e.g. --format png)\n"
             "Run with --help for more information.\n"),
            (["matrix", "--from-json", SAVED, "--json", "--format", "svg"],
             "natlab matrix: --json asks for JSON and --format for 'svg'; give one of them\n"),
            (["matrix", "--from-json", SAVED, "--types", "classic"],
             "natlab matrix: --types shapes a run, and --from-json draws a table measured before; give one of "
             "them\n"),
            (["matrix", "--from-json", "/nonexistent/m.json"],
             "natlab matrix: cannot read --from-json file '/nonexistent/m.json': check the path\n"),
            (["matrix", "--from-json", not_json],
             f"natlab matrix: {not_json} is not JSON; give a file that 'natlab matrix --json' wrote\n"),
        ]
        for args, message in cases:
            proc = natlab(*args, check=False)
            self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (2, "", message), args)


if __name__ == "__main__":
    unittest.main()
