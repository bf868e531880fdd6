#!/usr/bin/env python3
"""The layering of src/, read from its #include lines.

- A file of the pure core (src/core) includes no header of the edge
  (src/edge) or the command layer (src/cli); the edge includes none of
  src/cli.
- No two folders include each other, directly or through others: the folders
  form a graph without cycles, so each can be read knowing only those below.

Usage: layering.py SRC_DIR     checks the tree, prints every violation
       layering.py --self-test checks that the checker finds what it must
"""
import pathlib
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# Which layers a layer may include, by the first part of a folder's path.
ALLOWED = {"core": {"core"}, "edge": {"core", "edge"}, "cli": {"core", "edge", "cli"}, ".": None}
GENERATED = {"version.hpp"}  # made by CMake, no layer of its own


def folder_of(path, src):
    parent = path.parent.relative_to(src).as_posix()
    return parent or "."


def layer_of(folder):
    return folder.split("/")[0]


def include_graph(src):
    """folder -> {included folder -> [(file, header)]}"""
    graph = {}
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".cpp", ".hpp"):
            continue
        folder = folder_of(path, src)
        edges = graph.setdefault(folder, {})
        for header in INCLUDE.findall(path.read_text()):
            if header in GENERATED or "/" not in header:
                continue
            target = header.rsplit("/", 1)[0]
            if target != folder:
                edges.setdefault(target, []).append((path.relative_to(src).as_posix(), header))
    return graph


def layer_violations(graph):
    problems = []
    for folder, edges in graph.items():
        allowed = ALLOWED.get(layer_of(folder), set())
        if allowed is None:
            continue
        for target, uses in edges.items():
            if layer_of(target) not in allowed:
                for file, header in uses:
                    problems.append(f"{file} includes {header}: {layer_of(folder)} may include "
                                    f"only {', '.join(sorted(allowed))}")
    return problems


def cycles(graph):
    """Every cycle once, as a list of folders, found by depth-first search."""
    found, seen_keys = [], set()
    state = {}  # folder -> "open" | "done"
    stack = []

    def visit(folder):
        state[folder] = "open"
        stack.append(folder)
        for target in sorted(graph.get(folder, {})):
            if state.get(target) == "open":
                cycle = stack[stack.index(target):]
                key = frozenset(cycle)
                if key not in seen_keys:
                    seen_keys.add(key)
                    found.append(cycle + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[folder] = "done"

    for folder in sorted(graph):
        if folder not in state:
            visit(folder)
    return found


def cycle_violations(graph):
    problems = []
    for cycle in cycles(graph):
        steps = []
        for a, b in zip(cycle, cycle[1:]):
            file, header = graph[a][b][0]
            steps.append(f"  {a} -> {b} ({file} includes {header})")
        problems.append("folders include each other: " + " -> ".join(cycle) + "\n" +
                        "\n".join(steps))
    return problems


def check(src):
    graph = include_graph(src)
    return layer_violations(graph) + cycle_violations(graph)


def self_test():
    """The checker must see a core file including the edge, and a cycle."""
    with tempfile.TemporaryDirectory() as tmp:
        src = pathlib.Path(tmp)
        files = {
            "core/a/x.hpp": '#include "core/b/y.hpp"\n',
            "core/b/y.hpp": '#include "core/a/x.hpp"\n#include "edge/k/z.hpp"\n',
            "edge/k/z.hpp": "",
            "cli/c.cpp": '#include "edge/k/z.hpp"\n#include "version.hpp"\n',
        }
        for name, text in files.items():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_text(text)
        problems = check(src)
        expected = [
            "core/b/y.hpp includes edge/k/z.hpp: core may include only core",
            "folders include each other: core/a -> core/b -> core/a\n"
            "  core/a -> core/b (core/a/x.hpp includes core/b/y.hpp)\n"
            "  core/b -> core/a (core/b/y.hpp includes core/a/x.hpp)",
        ]
        if problems != expected:
            print("self-test failed; got:\n" + "\n".join(problems))
            return 1
        (src / "core/b/y.hpp").write_text("")
        if check(src):
            print("self-test failed: a clean tree was reported:\n" + "\n".join(check(src)))
            return 1
    print("self-test passed")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    problems = check(pathlib.Path(argv[1]))
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering problem(s) in {argv[1]}")
        return 1
    print(f"layering of {argv[1]}: core includes only core, edge no cli, no folder cycles")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
