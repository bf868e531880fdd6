"""The natlab command line, without root: help, version, exit codes, exact messages."""
import glob
import os
import resource
import shutil
import subprocess
import tempfile
import unittest

from natlab_test import SOURCE_DIR, natlab



def commands():
    """Every command, as natlab's own completion lists them ("image build" for a nested one)."""
    lines = natlab("__complete", "").stdout.splitlines()
    assert lines[0] == "words", lines
    listed = []
    for command in lines[1:]:
        help = natlab(command, "--help").stdout
        if "Subcommands:" not in help:
            listed.append(command)
            continue
        nested = natlab("__complete", command, "").stdout.splitlines()
        listed += [f"{command} {sub}" for sub in nested[1:]]
    return listed


COMMANDS = commands()
BAD_DIR = os.path.join(SOURCE_DIR, "tests", "unit", "bad")


class Cli(unittest.TestCase):
    def test_version(self):
        self.assertRegex(natlab("--version").stdout.strip(), r"^natlab \d+\.\d+\.\d+$")

    def test_every_command_has_help_with_an_example_and_names_its_manual(self):
        top = natlab("--help").stdout
        self.assertIn("Exit codes: 0 success, 1 runtime failure", top)
        self.assertGreaterEqual(len(COMMANDS), 23)
        self.assertNotIn("__complete", top)
        for command in COMMANDS:
            self.assertIn(command.split()[0], top)
            out = natlab(*command.split(), "--help").stdout
            self.assertIn("Example", out, command)
            self.assertIn(f"natlab {command}", out, command)
            self.assertTrue(out.endswith(f"\nManual: man natlab-{command.split()[0]}\n"), out[-200:])

    def test_a_mistyped_word_is_named_with_the_nearest_command_or_option(self):
        cases = [
            (["craete", "x"], "natlab: unknown command 'craete'; did you mean 'create'? (see 'natlab --help')\n"),
            (["frobnicate"], "natlab: unknown command 'frobnicate' (see 'natlab --help')\n"),
            (["--verison"], "natlab: unknown option '--verison'; did you mean '--version'? (see 'natlab --help')\n"),
            (["image", "biuld", "/x"],
             "natlab image: unknown command 'biuld'; did you mean 'build'? (see 'natlab image --help')\n"),
            (["create", "--nmae", "foo", "FILE"],
             "natlab create: unknown option '--nmae'; did you mean '--name'? (see 'natlab create --help')\n"),
            (["create", "--replcae=1", "x.yaml"],
             "natlab create: unknown option '--replcae'; did you mean '--replace'? (see 'natlab create --help')\n"),
            (["create", "a.yaml", "b.yaml"],
             "natlab create: unexpected argument 'b.yaml' (see 'natlab create --help')\n"),
            (["status", "--jsn"],
             "natlab status: unknown option '--jsn'; did you mean '--json'? (see 'natlab status --help')\n"),
        ]
        for args, message in cases:
            proc = natlab(*args, check=False)
            self.assertEqual((proc.returncode, proc.stderr), (2, message), args)
        # natlab run's own failures exit 125, a bad command line included.
        proc = natlab("run", "--nmae", "x", "a.yaml", "--", "true", check=False)
        self.assertEqual((proc.returncode, proc.stderr),
                         (125, "natlab run: unknown option '--nmae'; did you mean '--name'? (see 'natlab run --help')\n"))

    def test_bad_files_exit_2_with_exact_messages(self):
        files = sorted(glob.glob(os.path.join(BAD_DIR, "*.yaml")))
        self.assertGreaterEqual(len(files), 10)
        for path in files:
            name = os.path.basename(path)
            proc = natlab("plan", name, check=False, cwd=BAD_DIR)
            self.assertEqual(proc.returncode, 2, name)
            with open(path[:-5] + ".expected") as f:
                self.assertEqual(proc.stderr, f.read(), name)
            self.assertEqual(proc.stdout, "", name)

    def test_image_build_refuses_bad_arguments_before_running_debootstrap(self):
        cases = [
            (["relative/dir"], "natlab image build: the image directory 'relative/dir' must be an absolute path "
                               "other than /, e.g. /var/lib/natlab/bookworm\n"),
            (["/tmp/natlab-img", "--packages", "iperf3,Bad!"],
             "natlab image build: package 'Bad!' is not a Debian package name (lower case letters, digits, + - .)\n"),
            ([SOURCE_DIR], f"natlab image build: {SOURCE_DIR} is not empty; give a new directory, or remove this one "
                           f"first\n"),
        ]
        for args, message in cases:
            proc = natlab("image", "build", *args, check=False)
            self.assertEqual((proc.returncode, proc.stderr), (2, message), args)

    def test_missing_file(self):
        proc = natlab("plan", "/nonexistent/lab.yaml", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr, "natlab: cannot read topology file '/nonexistent/lab.yaml': check the path\n")

    def test_what_is_not_a_topology_file_is_refused_before_reading(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        fifo = os.path.join(tmp, "lab.yaml")
        os.mkfifo(fifo)
        big = os.path.join(tmp, "big.yaml")
        with open(big, "wb") as f:
            f.truncate((16 << 20) + 1)
        cases = [
            ("/dev/zero", "natlab: '/dev/zero' is a character device, not a topology file; give the path of a YAML "
                          "file\n"),
            (tmp, f"natlab: '{tmp}' is a directory, not a topology file; give the path of a YAML file\n"),
            (fifo, f"natlab: '{fifo}' is a pipe, not a topology file; give the path of a YAML file\n"),
            (big, f"natlab: '{big}' is larger than 16 MiB, the most a topology file may hold (a lab of 10,000 nodes "
                  f"takes under 1 MiB); check that it is the file you meant\n"),
        ]
        for path, message in cases:
            for command in ("plan", "graph"):
                proc = natlab(command, path, check=False, timeout=10)
                self.assertEqual((proc.returncode, proc.stderr), (2, message), (command, path))

    def test_messages_show_names_as_they_are_and_escape_control_characters(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        cases = [
            ("name: l\u00e4b\nnodes: {a: {}}\n",
             "1:7: lab name 'l\u00e4b' contains '\u00e4'; use lower-case letters, digits and '-' (it names a "
             "namespace file and a host)"),
            ('name: lab\nnodes:\n  "c\x1b[31m0": {}\n',
             "3:3: node name 'c\\x1b[31m0' contains '\\x1b'; use lower-case letters, digits and '-' (it names a "
             "namespace file and a host)"),
            ("name: deep\nnodes: " + "[" * 3000 + "]" * 3000 + "\n",
             "2:6008: YAML nested 500 levels deep by here, deeper than natlab reads; a topology is a few levels "
             "deep: look for brackets that are opened and never closed"),
        ]
        for i, (text, message) in enumerate(cases):
            path = os.path.join(tmp, f"lab{i}.yaml")
            with open(path, "w") as f:
                f.write(text)
            proc = natlab("plan", path, check=False)
            self.assertEqual(proc.returncode, 2)
            self.assertEqual(proc.stderr, f"{path}:{message}\nnatlab: 1 problem in {path}; nothing was done\n")

    def test_usage_errors_exit_2(self):
        self.assertEqual(natlab(check=False).returncode, 2)
        self.assertEqual(natlab("frobnicate", check=False).returncode, 2)
        self.assertEqual(natlab("plan", "--format", "xml", "x.yaml", check=False).returncode, 2)
        proc = natlab("clean", check=False)
        self.assertEqual((proc.returncode, proc.stderr), (2, "natlab clean: name the labs to remove, or give --all\n"))

    def test_exec_refuses_unsafe_names_before_anything_else(self):
        proc = natlab("exec", "lab", "../../etc", "--", "true", check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr, "natlab: node name '../../etc' contains '.'; use lower-case letters, digits "
                                      "and '-' (it names a namespace file and a host)\n")

    def test_plan_shell_matches_golden(self):
        out = natlab("plan", "--format", "shell", os.path.join(SOURCE_DIR, "labs", "two-nat.yaml")).stdout
        with open(os.path.join(SOURCE_DIR, "tests", "unit", "golden", "two-nat.sh")) as f:
            self.assertEqual(out, f.read())

    def test_plan_name_override(self):
        out = natlab("plan", "--name", "ci-3", os.path.join(SOURCE_DIR, "labs", "two-nat.yaml")).stdout
        self.assertIn("creating namespace ci-3-c0", out)
        bad = natlab("plan", "--name", "../x", os.path.join(SOURCE_DIR, "labs", "two-nat.yaml"), check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("lab name '../x' contains '.'", bad.stderr)


class Graph(unittest.TestCase):
    def test_graphviz_accepts_every_golden_dot_file(self):
        files = sorted(glob.glob(os.path.join(SOURCE_DIR, "tests", "unit", "golden", "graph", "*.dot")))
        self.assertGreaterEqual(len(files), 5)
        for path in files:
            proc = subprocess.run(["dot", "-Tsvg", path], capture_output=True, text=True)
            self.assertEqual((proc.returncode, proc.stderr), (0, ""), path)

    def test_svg_and_png_through_graphviz(self):
        svg = natlab("graph", os.path.join(SOURCE_DIR, "labs", "two-nat.yaml"), "--format", "svg").stdout
        self.assertIn("<svg", svg)
        self.assertIn("NAT: masquerade", svg)
        with tempfile.TemporaryDirectory() as tmp:
            png = os.path.join(tmp, "lab.png")
            natlab("graph", os.path.join(SOURCE_DIR, "labs", "nat-types.yaml"), "--format", "png", "-o", png)
            with open(png, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_output_file_holds_what_stdout_would(self):
        lab = os.path.join(SOURCE_DIR, "labs", "switched-lan.yaml")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "lab.mmd")
            self.assertEqual(natlab("graph", lab, "--format", "mermaid", "-o", path).stdout, "")
            with open(path) as f:
                self.assertEqual(f.read(), natlab("graph", lab, "--format", "mermaid").stdout)

    def test_svg_without_graphviz_says_what_to_install(self):
        with tempfile.TemporaryDirectory() as empty:
            proc = natlab("graph", os.path.join(SOURCE_DIR, "labs", "two-nat.yaml"), "--format", "svg", check=False,
                          env={"PATH": empty})
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr),
                         (1, "", "natlab: --format svg needs Graphviz's dot: install it (apt-get install graphviz), "
                                 "or print --format dot or mermaid\n"))


def limited_memory():
    """In the child before exec: 1 GiB of address space, so a reader that runs away fails fast."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


class UntrustedInput(unittest.TestCase):
    """Every file natlab reads from the user gets the topology file's guards: a regular file, a size
    limit, and work in proportion to its size. Each case runs with little memory and a timeout, so a
    regression fails instead of hanging the suite."""

    def refusals(self, big_size):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        fifo = os.path.join(tmp, "fifo")
        os.mkfifo(fifo)
        big = os.path.join(tmp, "big")
        with open(big, "wb") as f:
            f.truncate(big_size + 1)
        return [("/dev/zero", "a character device"), ("/dev/urandom", "a character device"),
                (tmp, "a directory"), (fifo, "a pipe")], big

    def test_a_schedule_that_is_not_a_regular_file_is_refused(self):
        not_files, big = self.refusals(4 << 20)
        lab = os.path.join(SOURCE_DIR, "labs", "two-nat.yaml")

        def run(path):
            # The bad --at makes sure no lab is made, whatever natlab makes of the file.
            return natlab("run", lab, "--schedule", path, "--at", "1s", "bogus", "--", "true", check=False,
                          timeout=10, preexec_fn=limited_memory)

        for path, kind in not_files:
            proc = run(path)
            self.assertEqual((proc.returncode, proc.stderr),
                             (125, f"natlab run: --schedule '{path}' is {kind}, not a schedule file; give the path "
                                   f"of a file of 'TIME ACTION' lines\n"), path)
        proc = run(big)
        self.assertEqual((proc.returncode, proc.stderr),
                         (125, f"natlab run: --schedule '{big}' is larger than 4 MiB, the most a schedule file may "
                               f"hold (a scenario of 100,000 changes takes 3 MiB); check that it is the file you "
                               f"meant\n"))
        proc = run("/nonexistent/s.txt")
        self.assertEqual((proc.returncode, proc.stderr),
                         (125, "natlab run: cannot read --schedule file '/nonexistent/s.txt': check the path\n"))

    def test_a_saved_matrix_that_is_not_a_regular_file_is_refused(self):
        not_files, big = self.refusals(4 << 20)
        for path, kind in not_files:
            proc = natlab("matrix", "--from-json", path, check=False, timeout=10, preexec_fn=limited_memory)
            self.assertEqual((proc.returncode, proc.stderr),
                             (2, f"natlab matrix: --from-json '{path}' is {kind}, not a matrix file; give the path "
                                 f"of a file 'natlab matrix --json' wrote\n"), path)
        proc = natlab("matrix", "--from-json", big, check=False, timeout=10, preexec_fn=limited_memory)
        self.assertEqual((proc.returncode, proc.stderr),
                         (2, f"natlab matrix: --from-json '{big}' is larger than 4 MiB, the most a matrix file may "
                             f"hold (a matrix of 5 NAT types takes 20 KiB); check that it is the file you meant\n"))

    def test_a_long_schedule_is_checked_in_time_proportional_to_it(self):
        # 30,000 changes took over a minute when each line sorted the whole schedule again.
        lines = [f"{i}ms link nat0:wan {'down' if i % 2 else 'up'}" for i in range(30000)]
        lines += [f"{i}ms set nat0 type={'symmetric' if i % 2 else 'full-cone'}" for i in range(300)]
        lines.append("99s bogus")  # one problem: nothing is made
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write("\n".join(lines) + "\n")
            f.flush()
            proc = natlab("run", os.path.join(SOURCE_DIR, "labs", "two-nat.yaml"), "--schedule", f.name, "--",
                          "true", check=False, timeout=20, preexec_fn=limited_memory)
        self.assertEqual(proc.returncode, 125, proc.stderr)
        self.assertTrue(proc.stderr.endswith("natlab run: 1 problem in the schedule; nothing was done\n"),
                        proc.stderr[-500:])


    def plan_text(self, text):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        path = os.path.join(tmp, "t.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path, natlab("plan", path, check=False, timeout=10, preexec_fn=limited_memory)

    def test_a_stray_comma_is_a_syntax_error_not_endless_empty_documents(self):
        comma = "YAML syntax error: ',' outside any list or mapping; remove it, or put the items in '[ ]' or '{ }'"
        flow_end = "YAML syntax error: illegal flow end; this ']' or '}' closes no '[' or '{': remove it"
        cases = [(",", "1:1", comma), (",,", "1:1", comma), ("[a],", "1:4", comma), ("{a: 1},", "1:7", comma),
                 ("!t ,", "1:4", comma), ("name: x\n---\n,\n", "3:1", comma), ("]", "1:1", flow_end),
                 ("}", "1:1", flow_end), ("name: x\n]", "2:1", flow_end)]
        for text, where, message in cases:
            path, proc = self.plan_text(text)
            self.assertEqual((proc.returncode, proc.stderr),
                             (2, f"{path}:{where}: {message}\nnatlab: 1 problem in {path}; nothing was done\n"), text)

    def test_aliases_that_multiply_a_file_are_refused(self):
        routes = ", ".join(f"10.{i // 256}.{i % 256}.0/24: 10.255.0.1" for i in range(1000))
        text = f"name: t\nnodes:\n  n0: &r {{kind: host, routes: {{{routes}}}}}\n"
        text += "".join(f"  n{i}: *r\n" for i in range(1, 1001)) + "links: []\n"
        path, proc = self.plan_text(text)
        self.assertEqual((proc.returncode, proc.stderr),
                         (2, f"{path}:53:8: alias '*r': the aliases up to here repeat 100,250 nodes, more than natlab "
                             f"reads (as many nodes as the file writes, 4,013 here, or 100,000 in a smaller file); use "
                             f"fewer aliases, or anchor a smaller node\nnatlab: 1 problem in {path}; nothing was done\n"))

    def test_links_to_many_unknown_nodes_are_told_in_time_proportional_to_the_file(self):
        # Each unknown name weighed against every node's name made this file take over ten seconds.
        count = 8000
        text = "name: t\nnodes:\n" + "".join(f"  node{i}: {{}}\n" for i in range(count)) + "links:\n"
        text += "".join(f"  - {{endpoints: [nodx{i}:eth0, node{i}:eth1]}}\n" for i in range(count))
        path, proc = self.plan_text(text)
        self.assertEqual(proc.returncode, 2, proc.stderr[-300:])
        lines = proc.stderr.splitlines()
        self.assertEqual(lines[0], f"{path}:{count + 4}:18: link endpoint 'nodx0:eth0' names unknown node 'nodx0'; "
                                   f"did you mean 'node0'?")
        self.assertEqual(lines[-2], f"{path}: ... and {count - 100} more problems; these are the first 100")

    def test_routes_through_many_unknown_nodes_are_told_in_time_proportional_to_the_file(self):
        count = 8000
        text = "name: t\nnodes:\n" + "".join(f"  node{i}: {{routes: {{default: nodx{i}}}}}\n" for i in range(count))
        path, proc = self.plan_text(text)
        self.assertEqual(proc.returncode, 2, proc.stderr[-300:])
        lines = proc.stderr.splitlines()
        self.assertEqual(lines[0], f"{path}:3:29: gateway 'nodx0' of the default route is neither an address nor a "
                                   f"node; did you mean 'node0'?")
        self.assertEqual(lines[-2], f"{path}: ... and {count - 100} more problems; these are the first 100")


if __name__ == "__main__":
    unittest.main()
