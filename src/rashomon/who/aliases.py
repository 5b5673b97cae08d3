"""Alias files (``--aliases-file``): CSV or YAML of name variants -> canonical names."""

from __future__ import annotations

import csv
import io
from typing import Literal

import yaml

from rashomon.errors import InputError


def parse_aliases(text: str, *, fmt: Literal["csv", "yaml"], where: str) -> dict[str, str]:
    """Read an alias file: variant -> canonical name.

    CSV: one ``variant,canonical`` pair a line (an optional ``variant,canonical`` header, blank
    lines and ``#`` comments are skipped). YAML: a mapping of ``variant: canonical`` or
    ``canonical: [variant, ...]``.

    Raises:
        InputError: a row or entry that is not a pair of names, with its line number.
    """
    if fmt == "csv":
        return _parse_alias_csv(text, where)
    if fmt == "yaml":
        return _parse_alias_yaml(text, where)
    raise ValueError(f"unknown alias format {fmt!r}")


def _parse_alias_csv(text: str, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    fix = 'Write one "variant,canonical" pair per line'
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            line = reader.line_num  # the line a row ends on: a quoted field may span lines
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if line == 1 and [c.lower() for c in cells] == ["variant", "canonical"]:
                continue
            if len(cells) != 2 or not all(cells):
                raise InputError(where, f"expected 2 non-empty fields, got {row!r}", fix, line=line)
            out[cells[0]] = cells[1]
    except csv.Error as err:
        raise InputError(where, f"not valid CSV ({err})", fix, line=reader.line_num) from err
    return out


def _parse_alias_yaml(text: str, where: str) -> dict[str, str]:
    fix = 'Write "variant: canonical" or "canonical: [variant, ...]" entries'
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            where, f"not valid YAML ({getattr(err, 'problem', err)})", fix, line=line
        ) from err
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise InputError(
            where, "the top level is not a mapping", fix, line=root.start_mark.line + 1
        )
    out: dict[str, str] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or not str(key_node.value).strip():
            raise InputError(where, "an entry's key is not a name", fix, line=line)
        key = str(key_node.value).strip()
        if isinstance(value_node, yaml.ScalarNode) and str(value_node.value).strip():
            out[key] = str(value_node.value).strip()
        elif isinstance(value_node, yaml.SequenceNode) and value_node.value:
            for item in value_node.value:
                if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
                    raise InputError(
                        where,
                        f"a variant of {key!r} is not a name",
                        fix,
                        line=item.start_mark.line + 1,
                    )
                out[str(item.value).strip()] = key
        else:
            raise InputError(
                where, f"the entry {key!r} has no name or list of names", fix, line=line
            )
    return out


# Dependency relations that keep a descriptor phrase together ("the deputy prime minister and
