"""The Debian package and what it installs: built by CPack from the build the
suite tests, checked by lintian, its manual pages read by man --warnings, its
binary run from an unpacked copy, and its bash completion called the way bash
calls it (COMP_WORDS split at the colon, as COMP_WORDBREAKS makes bash do)."""
import glob
import os
import shutil
import subprocess
import tempfile
import unittest

from natlab_test import NATLAB, LabTestCase, lab_file, natlab, unique_name

BUILD_DIR = os.path.dirname(os.path.abspath(NATLAB))


def build_package():
    subprocess.run(["cpack", "-G", "DEB"], cwd=BUILD_DIR, capture_output=True, text=True, check=True)
    debs = glob.glob(os.path.join(BUILD_DIR, "natlab_*.deb"))
    assert len(debs) == 1, debs
    return debs[0]


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.deb = build_package()
        cls.root = tempfile.mkdtemp()
        subprocess.run(["dpkg-deb", "-x", cls.deb, cls.root], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "-f", self.deb, name], capture_output=True, text=True,
                              check=True).stdout.strip()

    def test_name_and_fields(self):
        version = natlab("--version").stdout.split()[1]
        arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
        self.assertEqual(os.path.basename(self.deb), f"natlab_{version}_{arch}.deb")
        depends = self.field("Depends")
        for library in ("libc6", "libnftables1", "libnetfilter-conntrack3", "libmnl0"):
            self.assertIn(library, depends)
        for program in ("systemd-container", "debootstrap", "graphviz", "miniupnpd-nftables", "stun-server"):
            self.assertIn(program, self.field("Recommends"))

    def test_contents(self):
        def present(path):
            return os.path.isfile(os.path.join(self.root, path.lstrip("/")))
        commands = natlab("__complete", "").stdout.splitlines()[1:]
        expected = ["/usr/bin/natlab", "/usr/share/bash-completion/completions/natlab",
                    "/usr/share/natlab/topology.schema.json", "/usr/share/doc/natlab/copyright",
                    "/usr/share/doc/natlab/changelog.gz", "/usr/share/man/man1/natlab.1.gz"]
        expected += [f"/usr/share/man/man1/natlab-{c}.1.gz" for c in commands]
        expected += [f"/usr/share/natlab/labs/{os.path.basename(p)}" for p in glob.glob(lab_file("*.yaml"))]
        self.assertEqual([p for p in expected if not present(p)], [])
        self.assertGreaterEqual(len(commands), 23)

    def test_lintian_finds_no_error(self):
        proc = subprocess.run(["lintian", "--fail-on", "error", self.deb], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertNotRegex(proc.stdout, r"(?m)^E: ")

    def test_every_manual_page_renders_without_warnings(self):
        pages = sorted(glob.glob(os.path.join(self.root, "usr/share/man/man1/*.1.gz")))
        self.assertGreaterEqual(len(pages), 24)
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
        for page in pages:
            proc = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page], capture_output=True, text=True,
                                  env=env)
            self.assertEqual((proc.returncode, proc.stderr), (0, ""), page)
            name = os.path.basename(page)[:-len(".1.gz")]
            self.assertIn("SYNOPSIS", proc.stdout, page)
            if name != "natlab":
                self.assertIn(f"natlab {name[len('natlab-'):]}", proc.stdout, page)

    def test_the_unpacked_binary_plans_a_bundled_lab(self):
        natlab_bin = os.path.join(self.root, "usr/bin/natlab")
        lab = os.path.join(self.root, "usr/share/natlab/labs/two-nat.yaml")
        proc = subprocess.run([natlab_bin, "plan", lab], capture_output=True, text=True, cwd="/")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("creating namespace two-nat-c0", proc.stdout)


# Calls the completion function as bash does: COMP_WORDS and COMP_CWORD set,
# then _natlab; prints COMPREPLY, one per line.
COMPLETE = r"""
source /usr/share/bash-completion/bash_completion
source "$COMPLETION"
COMP_LINE=$1
shift
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_POINT=${#COMP_LINE}
_natlab
printf '%s\n' "${COMPREPLY[@]}"
"""


class Completion(LabTestCase):
    @classmethod
    def setUpClass(cls):
        cls.script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "completion",
                                  "natlab.bash")

    def complete(self, *words, cwd=None):
        """COMPREPLY for the line 'natlab WORDS...' with the cursor at its end."""
        line = " ".join([NATLAB, *words])
        # bash splits words at COMP_WORDBREAKS too: "nat0:w" is "nat0" ":" "w".
        split = []
        for word in [NATLAB, *words]:
            parts = word.split(":")
            for i, part in enumerate(parts):
                if i:
                    split.append(":")
                if part or i == len(parts) - 1:
                    split.append(part)
        proc = subprocess.run(["bash", "-c", COMPLETE, "bash", line, *split], capture_output=True, text=True,
                              cwd=cwd, env=dict(os.environ, COMPLETION=self.script), timeout=20)
        # Outside a real completion, bash's own helpers say compopt cannot run: that alone is expected.
        errors = [l for l in proc.stderr.splitlines() if "compopt: not currently executing completion" not in l]
        self.assertEqual(errors, [], words)
        return [line for line in proc.stdout.splitlines() if line]

    def test_commands_options_and_choices(self):
        self.assertEqual(self.complete("cr"), ["create"])
        self.assertEqual(self.complete("re"), ["rebind"])
        self.assertEqual(self.complete("create", "--na"), ["--name"])
        self.assertEqual(self.complete("image", ""), ["build"])
        self.assertEqual(self.complete("graph", "x.yaml", "--format", ""), ["dot", "mermaid", "svg", "png"])
        self.assertEqual(self.complete("set", "lab", "nat0", "--bindings", ""), ["keep", "drop"])
        self.assertEqual(self.complete("link", "lab", "nat0:wan", ""), ["down", "up"])

    def test_files_for_file_arguments(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name in ("a.yaml", "b.txt"):
                open(os.path.join(tmp, name), "w").close()
            os.mkdir(os.path.join(tmp, "sub"))
            self.assertEqual(sorted(self.complete("create", "", cwd=tmp)), ["a.yaml", "sub"])
            self.assertEqual(sorted(self.complete("run", "--schedule", "", cwd=tmp)), ["a.yaml", "b.txt", "sub"])
            self.assertEqual(self.complete("image", "build", "", cwd=tmp), ["sub"])

    def test_a_command_after_the_separator(self):
        self.assertIn("ping", self.complete("exec", "lab", "c0", "--", "pin"))
        self.assertIn("ping", self.complete("run", "lab.yaml", "--", "pin"))

    def test_live_labs_nodes_and_interfaces(self):
        lab = self.create(lab_file("two-nat.yaml"), unique_name("it-compl"))
        self.assertIn(lab, self.complete("exec", ""))
        self.assertEqual(self.complete("exec", lab[:-3]), [lab])
        self.assertEqual(self.complete("exec", lab, ""), ["c0", "c1", "internet", "nat0", "nat1"])
        self.assertEqual(self.complete("mappings", lab, ""), ["nat0", "nat1"])
        self.assertEqual(self.complete("punch", lab, "c0", ""), ["c0", "c1"])
        # nat0:<Tab>: bash splits the word at the colon; the answers replace what follows it.
        self.assertEqual(self.complete("capture", lab, "nat0:"), ["lan", "wan"])
        self.assertEqual(self.complete("link", lab, "nat1:w"), ["wan"])
        self.assertIn("nat0", self.complete("set", lab, "n"))
        self.assertIn("nat0:wan", self.complete("set", lab, "n"))
        self.assertEqual(self.complete("exec", "no-such-lab-here", ""), [])


if __name__ == "__main__":
    unittest.main()
