#!/usr/bin/env python3
"""Checks the include rule of docs/design.md over every #include "x/..." under src/.

The rule is the table between the include-rule markers in docs/design.md; this
script reads it from there, so the documented rule and the checked rule are one.
A module may include itself, the modules its row lists, and (transitively) what
those may include; a row named "*" lists what every module may include. A file
of a module missing from the table, or an include of one, fails as well.

Usage: check_includes.py SOURCE_DIR  (exit 1 naming each file:line that breaks it)
"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
ROW = re.compile(r'^\|\s*`?([a-z_/*]+)`?\s*\|(.*)\|\s*$')


def read_rule(design_md):
    """{module: set of modules it names} from the table between the markers."""
    rule, inside = {}, False
    with open(design_md, encoding="utf-8") as text:
        for line in text:
            if "<!-- include-rule:begin" in line:
                inside = True
            elif "<!-- include-rule:end" in line:
                inside = False
            elif inside:
                row = ROW.match(line.strip())
                if row and row.group(1) != "module":
                    rule[row.group(1)] = set(re.findall(r"[a-z_][a-z_/]*", row.group(2)))
    if not rule:
        sys.exit(f"{design_md}: no include-rule table between the markers")
    return rule


def allowed_sets(rule):
    """Each module's transitive closure over the table, plus itself and the '*' row."""
    everyone = rule.pop("*", set())
    closure = {}

    def reach(module, seen):
        if module in closure:
            return closure[module]
        out = {module} | everyone
        for lower in rule.get(module, ()):
            if lower in seen:
                sys.exit(f"docs/design.md include rule: cycle through {module} and {lower}")
            out |= {lower} | reach(lower, seen | {module})
        closure[module] = out
        return out

    for module in rule:
        reach(module, set())
    return closure, everyone


def module_of(path, modules):
    """The longest module name that `path` (relative to src/) starts with."""
    best = None
    for module in modules:
        if path == module or path.startswith(module + "/"):
            if best is None or len(module) > len(best):
                best = module
    return best


def main():
    source_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    src = os.path.join(source_dir, "src")
    rule = read_rule(os.path.join(source_dir, "docs", "design.md"))
    allowed, everyone = allowed_sets(rule)
    modules = set(allowed) | everyone
    problems = []
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".h", ".hpp", ".cpp")):
                continue
            path = os.path.join(root, name)
            relative = os.path.relpath(path, src).replace(os.sep, "/")
            module = module_of(relative, allowed)
            if module is None:
                problems.append(f"src/{relative}: module '{relative.split('/')[0]}' is not in the include rule "
                                "of docs/design.md")
                continue
            with open(path, encoding="utf-8", errors="replace") as text:
                for number, line in enumerate(text, 1):
                    match = INCLUDE.match(line)
                    if not match or "/" not in match.group(1):
                        continue  # a file beside this one
                    target = module_of(match.group(1), modules)
                    if target is None:
                        problems.append(f"src/{relative}:{number}: includes \"{match.group(1)}\", of no module "
                                        "in the include rule of docs/design.md")
                    elif target not in allowed[module]:
                        problems.append(f"src/{relative}:{number}: {module} may not include {target} "
                                        f"(\"{match.group(1)}\"; docs/design.md, include rule)")
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"include rule kept by every file under src/ ({len(allowed)} modules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
