from __future__ import annotations

import dataclasses
import re

from hypothesis import given
from hypothesis import strategies as st

from factories import make_article, make_comparison
from rashomon.models import Comparison
from rashomon.report import article_labels, story_title
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

1. Protesters marched on city hall on Friday. [Harbor Times s1] [Evening Ledger s1] [Coast Radio s1]
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

## Who said what

### Lena Moss

- Harbor Times s3, direct: “We will not back down,”

## Sources cited

- **Harbor Times**: police (official, s2)
- **Evening Ledger**: Bay Wire (agency, wire copy, s3)

## Names and labels

- **Lena Moss** (PERSON): also “Moss”; Harbor Times calls them “organizer”

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
