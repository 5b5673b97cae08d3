from __future__ import annotations

import dataclasses
import re

from hypothesis import given
from hypothesis import strategies as st

from factories import make_article, make_comparison
from rashomon.models import Comparison, Speaker
from rashomon.report.index import article_labels, group_speakers, names_to_show, story_title
from rashomon.report.markdown import escape_markdown, render_markdown

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    "javascript:window.__pwned=1",
)

EXPECTED = """\
# Protesters march on city hall

- **Harbor Times**, 2025-05-03: Protesters march on city hall (by Ida Park)
- **Evening Ledger**, 2025-05-04: Rioters storm city hall square
- **Coast Radio**, 2025-05-03: City hall march diverts traffic

## Summary

1. Protesters marched on city hall on Friday. [Harbor Times s1] [Evening Ledger s1] [Coast Radio \
s1]
2. **contested**: About 200 people took part, police said. [Harbor Times s2] [Evening Ledger s2] \
(Evening Ledger says 500.)

## Shared facts

| Fact | Harbor Times | Evening Ledger | Coast Radio |
| --- | --- | --- | --- |
| F1 | s1: Protesters marched on city hall on Friday. | s1: Rioters marched on city hall on \
Friday. | s1: Protesters marched on city hall on Friday. |
| F2 | s2: About 200 people took part, police said. | s2: About 500 people took part, organizers \
said. | — |

### Wording differences

- F1, Harbor Times s1 → Evening Ledger s1: ~~Protesters~~ → **Rioters**
- F2, Harbor Times s2 → Evening Ledger s2: ~~200~~ → **500**; ~~police~~ → **organizers**

## Only in Harbor Times

- F3 (s3): "We will not back down," said organizer Lena Moss.

## Only in Evening Ledger

- F4 (s3): The mayor left early, Bay Wire reported.

## Only in Coast Radio

- F5 (s2): Traffic was diverted for two hours.

## Conflicts

1. **number** (F2): The outlets give different crowd sizes.
   - Harbor Times s2: **200** in “About 200 people took part, police said.”
   - Evening Ledger s2: **500** in “About 500 people took part, organizers said.”
2. **attribution**: the same statement is credited to different speakers: Harbor Times: Lena Moss; \
Evening Ledger: Tom Reyes
   - Harbor Times s4: credited to **Lena Moss** in “"The square belongs to everyone," Moss said.”
   - Evening Ledger s5: credited to **Tom Reyes** in “"The square belongs to all of us," said Tom \
Reyes.”

## Who said what

Statements grouped by speaker, then by outlet: “…” marks a direct quote, *reported* marks reported \
speech.

### Lena Moss

- **Harbor Times**
  - “We will not back down,” [Harbor Times s3]
  - “The square belongs to everyone,” [Harbor Times s4]
- **Evening Ledger**
  - *reported*: they would never back down [Evening Ledger s4]

### police

- **Harbor Times**
  - *reported*: About 200 people took part [Harbor Times s2]

### Tom Reyes

- **Evening Ledger**
  - “The square belongs to all of us,” [Evening Ledger s5]

### Unnamed speaker

- **Evening Ledger**
  - *reported*: About 500 people took part (said by “organizers”) [Evening Ledger s2]

### Same statement, different wording

1. **same speaker**: Lena Moss (similarity 0.83)
   - [Harbor Times s3] “~~We will not~~ back down,”
   - [Evening Ledger s4] *reported*: **they would never** back down
2. **attribution conflict**: Harbor Times credits **Lena Moss**, Evening Ledger credits **Tom \
Reyes** (similarity 0.90)
   - [Harbor Times s4] (Lena Moss) “The square belongs to ~~everyone~~,”
   - [Evening Ledger s5] (Tom Reyes) “The square belongs to **all of us**,”

## Sources cited

- **Harbor Times**: police `official` [Harbor Times s2]
- **Evening Ledger**: Bay Wire `agency` **wire copy** [Evening Ledger s3]
- **Coast Radio**: none named

## Timeline

1. Coast Radio first, on 2025-05-03
2. Harbor Times the same day, on 2025-05-03
3. Evening Ledger followed 1 day later, on 2025-05-04

## Names and labels

The words each outlet uses for the names mentioned more than once, and the labels it attaches to \
them; the most mentioned first.

| Name | Harbor Times | Evening Ledger | Coast Radio |
| --- | --- | --- | --- |
| **Lena Moss** (person, 3 mentions) | Lena Moss, Moss<br>labels: “organizer” | Lena \
Moss<br>labels: “March leader” | — |
| **city hall** (place, 3 mentions) | city hall | city hall | city hall |

Left out: 1 more name (1 mentioned only once).

## Removed boilerplate

### Harbor Times

- promo: Subscribe for $1 a week

## Warnings

- Coast Radio has no author.
"""


def test_full_report_of_the_factory_comparison() -> None:
    assert render_markdown(make_comparison()) == EXPECTED


def test_shared_fact_row_and_wording_difference() -> None:
    lines = render_markdown(make_comparison()).splitlines()
    assert (
        "| F1 | s1: Protesters marched on city hall on Friday. "
        "| s1: Rioters marched on city hall on Friday. "
        "| s1: Protesters marched on city hall on Friday. |"
    ) in lines
    assert "- F1, Harbor Times s1 → Evening Ledger s1: ~~Protesters~~ → **Rioters**" in lines


def test_conflict_lists_both_values_with_their_sentences() -> None:
    lines = render_markdown(make_comparison()).splitlines()
    start = lines.index("1. **number** (F2): The outlets give different crowd sizes.")
    assert lines[start + 1 : start + 3] == [
        "   - Harbor Times s2: **200** in “About 200 people took part, police said.”",
        "   - Evening Ledger s2: **500** in “About 500 people took part, organizers said.”",
    ]


def test_insert_and_delete_differences() -> None:
    c = make_comparison()
    difference = c.alignments[0].differences[0]
    inserted = dataclasses.replace(difference, kind="insert", source="", target="angry")
    deleted = dataclasses.replace(difference, kind="delete", source="peaceful", target="")
    alignment = dataclasses.replace(c.alignments[0], differences=(inserted, deleted))
    out = render_markdown(dataclasses.replace(c, alignments=(alignment,)))
    assert "- F1, Harbor Times s1 → Evening Ledger s1: added **angry**; dropped ~~peaceful~~" in (
        out.splitlines()
    )


def test_only_the_header_for_an_empty_comparison() -> None:
    c = Comparison(articles=(make_article("a", "Daily", ["One."]),))
    assert render_markdown(c) == "# Comparison of 1 articles\n\n- **Daily**\n"


def test_escape_markdown() -> None:
    assert escape_markdown("<b>a|b</b> *x* [l](javascript:y) _u_ ~~s~~ `c` #h \\ & 1-2") == (
        "&lt;b&gt;a\\|b&lt;/b&gt; \\*x\\* \\[l\\](javascript:y) \\_u\\_ \\~\\~s\\~\\~ \\`c\\` "
        "\\#h \\\\ &amp; 1-2"
    )
    assert escape_markdown("two\nlines\r\n\n# and a heading") == "two lines \\# and a heading"


def test_untrusted_text_cannot_add_html_or_break_the_table() -> None:
    payload = "".join(PAYLOADS) + "|\n\n# injected heading\n| x |"
    out = render_markdown(make_comparison(payload=payload))
    assert "<" not in out.replace("<br>", "")
    assert "\n# injected" not in out
    header, _, row_f1 = out.split("## Shared facts\n\n")[1].splitlines()[:3]
    unescaped_pipes = re.compile(r"(?<!\\)\|")
    assert len(unescaped_pipes.findall(header)) == 5
    assert len(unescaped_pipes.findall(row_f1)) == 5
    assert escape_markdown(PAYLOADS[0]) == "&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;"
    assert f"- **Harbor Times{escape_markdown(payload)}**, 2025-05-03" in out
    names = out.split("## Names and labels\n\n")[1].split("\n\n")[1].splitlines()
    assert [len(unescaped_pipes.findall(row)) for row in names] == [5, 5, 5, 5]
    assert f"| **Lena Moss{escape_markdown(payload)}** (person, 3 mentions) |" in out
    assert f"“{escape_markdown(f'organizer{payload}')}”" in out
    escaped = escape_markdown(payload)
    assert f"- **Evening Ledger{escaped}**: Bay Wire{escaped} `agency` **wire copy**" in out
    assert f"“The square belongs to ~~everyone~~,{escape_markdown(payload)}”" in out
    assert f"(said by “organizers{escaped}”)" in out
    assert f"| Lena Moss{escaped}, Moss{escaped}<br>labels: “organizer{escaped}” |" in out
    assert f"credited to **Tom Reyes{escaped}** in" in out


@given(st.text())
def test_any_sentence_stays_inside_its_table_cell(text: str) -> None:
    c = make_comparison()
    radio = c.articles[2]
    sentence = dataclasses.replace(radio.sentences[0], text=text)
    radio = dataclasses.replace(radio, sentences=(sentence, *radio.sentences[1:]))
    out = render_markdown(dataclasses.replace(c, articles=(*c.articles[:2], radio)))
    row_f1 = out.split("## Shared facts\n\n")[1].splitlines()[2]
    assert row_f1.startswith("| F1 | s1: Protesters")
    assert len(re.findall(r"(?<!\\)\|", row_f1)) == 5
    assert "<" not in row_f1


def test_repeated_outlets_get_numbered_labels() -> None:
    c = Comparison(
        articles=(
            make_article("a", "Daily", ["One."], title="Same"),
            make_article("b", "Daily", ["Two."], title="Other"),
            make_article("c", "Weekly", ["Three."], title="Same"),
        )
    )
    assert article_labels(c) == {"a": "Daily (1)", "b": "Daily (2)", "c": "Weekly"}
    assert story_title(c) == "Same"


def test_statements_group_by_entity_then_name_with_unnamed_last() -> None:
    c = make_comparison()
    moss_by_surname = dataclasses.replace(
        c.quotes[4], speaker=dataclasses.replace(c.quotes[4].speaker, name="Moss")
    )
    police_capitalised = dataclasses.replace(
        c.quotes[3], speaker=Speaker(name="  Police ", entity=None, mention="Police")
    )
    quotes = (*c.quotes[:3], police_capitalised, moss_by_surname, c.quotes[5])
    groups = group_speakers(dataclasses.replace(c, quotes=quotes))
    assert [(g.name, [(a, [q.id for q in qs]) for a, qs in g.by_article]) for g in groups] == [
        ("Lena Moss", [("ht", ["q1", "q3"]), ("el", ["q5"])]),
        ("police", [("ht", ["q2"]), ("el", ["q4"])]),
        ("Tom Reyes", [("el", ["q6"])]),
    ]
    unnamed = dataclasses.replace(
        c.quotes[0], speaker=Speaker(name=None, entity=None, mention=None)
    )
    groups = group_speakers(dataclasses.replace(c, quotes=(unnamed, *c.quotes[1:])))
    assert [(g.name, len(g.quotes)) for g in groups] == [
        ("Lena Moss", 2),
        ("police", 1),
        ("Tom Reyes", 1),
        ("Unnamed speaker", 2),
    ]


def test_variant_with_one_unnamed_speaker_is_marked_unclear() -> None:
    c = make_comparison()
    variant = dataclasses.replace(c.quote_variants[1], same_speaker=None)
    unnamed = dataclasses.replace(
        c.quotes[5], speaker=Speaker(name=None, entity=None, mention="a marcher")
    )
    out = render_markdown(
        dataclasses.replace(c, quotes=(*c.quotes[:5], unnamed), quote_variants=(variant,))
    )
    part = out.split("### Same statement, different wording\n\n")[1].split("\n\n")[0]
    assert part.splitlines() == [
        "1. **speaker unclear**: Harbor Times credits **Lena Moss**, Evening Ledger names no "
        "speaker (“a marcher”) (similarity 0.90)",
        "   - [Harbor Times s4] (Lena Moss) “The square belongs to ~~everyone~~,”",
        "   - [Evening Ledger s5] (unnamed: “a marcher”) “The square belongs to **all of us**,”",
    ]


def test_names_show_the_fifteen_most_mentioned_and_count_the_rest() -> None:
    c = make_comparison()
    moss = c.entities[0]
    many = tuple(
        dataclasses.replace(moss, id=f"x{n}", name=f"Name {n}", mentions=moss.mentions[: n % 3 + 1])
        for n in range(30)
    )
    shown = names_to_show(dataclasses.replace(c, entities=many))
    assert [e.name for e in shown.entities] == [
        *(f"Name {n}" for n in range(2, 30, 3)),
        *(f"Name {n}" for n in range(1, 14, 3)),
    ]
    assert (shown.mentioned_once, shown.beyond_limit) == (10, 5)
    out = render_markdown(dataclasses.replace(c, entities=many))
    assert (
        "\n\nLeft out: 15 more names (5 mentioned less often and 10 mentioned only once).\n" in out
    )
    assert "| **Name 29** (person, 3 mentions) | Lena Moss, Moss<br>labels: “organizer” | " in out


def test_diff_marks_keep_the_spaces_around_them() -> None:
    c = make_comparison()
    difference = dataclasses.replace(
        c.quote_variants[1].differences[0], kind="delete", source_span=(4, 10)
    )
    variant = dataclasses.replace(c.quote_variants[1], differences=(difference,))
    out = render_markdown(dataclasses.replace(c, quote_variants=(variant,)))
    assert "   - [Harbor Times s4] (Lena Moss) “The ~~square~~ belongs to everyone,”" in out
