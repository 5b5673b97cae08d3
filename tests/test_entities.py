"""Entity grouping (pure), alias files, and entities with labels per outlet (real parser)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.analyze.segment import segment_article
from rashomon.errors import InputError
from rashomon.models import Article, Entity, Sentence
from rashomon.nlp import EntitySpan, ParsedText, TextParser, Token
from rashomon.who.aliases import parse_aliases
from rashomon.who.entities import find_entities, group_mentions
from rashomon.who.names import (
    MentionText,
    defined_acronyms,
    is_acronym_of,
    is_variant_word,
    name_key,
)


def mt(text: str, doc: str = "a", label: str = "PERSON", position: int = 0) -> MentionText:
    return MentionText(text=text, label=label, doc=doc, position=position)


# --- names and keys -------------------------------------------------------------------------


def test_name_key_drops_titles_possessives_and_suffixes() -> None:
    assert name_key("President Maria Okafor's") == ("maria", "okafor")
    assert name_key("Arcade Joseph Comeaux, Jr") == ("arcade", "joseph", "comeaux")
    assert name_key("in the Hawaiian Gardens area, a city", person=False) == (
        "hawaiian",
        "gardens",
        "area",
    )


def test_titles_stay_in_names_that_are_not_people() -> None:
    assert name_key("State Department", person=False) == ("state", "department")
    mentions = [mt("State Department", label="ORG"), mt("Justice Department", "b", "ORG")]
    assert group_mentions(mentions) == [[0], [1]]


# --- variants ----------------------------------------------------------------------------


def test_transliterations_of_one_name_across_articles_group() -> None:
    mentions = [
        mt("Muammar Qaddafi", "a"),
        mt("Moammar Gadhafi", "b"),
        mt("Muammar Gaddafi", "c"),
        mt("Gadhafi", "b", position=50),
    ]
    assert group_mentions(mentions) == [[0, 1, 2, 3]]


def test_kyiv_and_kiev_group_but_similar_places_do_not() -> None:
    mentions = [
        mt("Kyiv", "a", "GPE"),
        mt("Kiev", "b", "GPE"),
        mt("Iran", "a", "GPE"),
        mt("Iraq", "b", "GPE"),
        mt("Gaza", "a", "GPE"),
        mt("Giza", "b", "GPE"),
        mt("Austria", "a", "GPE"),
        mt("Australia", "b", "GPE"),
    ]
    assert group_mentions(mentions) == [[0, 1], [2], [3], [4], [5], [6], [7]]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("qaddafi", "gadhafi", True),
        ("kadhafi", "gaddafi", True),
        ("kyiv", "kiev", True),
        ("mohammed", "muhammad", True),
        ("kharkiv", "kharkov", True),
        ("odesa", "odessa", True),
        ("zelenskiy", "zelenskyy", True),
        ("iran", "iraq", False),
        ("gaza", "giza", False),
        ("austria", "australia", False),
        ("paris", "parish", False),
        ("john", "joan", False),
        ("sudan", "sedan", False),
        ("brooklyn", "brooklynites", False),
        ("villager", "villagers", False),
        ("kerry", "carey", False),
    ],
)
def test_spelling_variants_of_one_word(a: str, b: str, expected: bool) -> None:
    assert is_variant_word(a, b) is expected
    assert is_variant_word(b, a) is expected


def test_surname_title_and_possessive_join_the_full_name_within_an_article() -> None:
    mentions = [
        mt("Maria Okafor", position=0),
        mt("Okafor", position=40),
        mt("President Okafor", position=80),
        mt("Okafor's", position=120),
        mt("Lagos", label="GPE", position=140),
    ]
    assert group_mentions(mentions) == [[0, 1, 2, 3], [4]]


def test_a_surname_alone_in_another_article_joins_the_only_full_name() -> None:
    mentions = [mt("Maria Okafor", "a"), mt("Okafor", "b"), mt("Ms. Okafor", "c")]
    assert group_mentions(mentions) == [[0, 1, 2]]


def test_case_and_diacritics_do_not_split_a_name() -> None:
    mentions = [mt("Renée Dubois", "a"), mt("RENEE DUBOIS", "b"), mt("Renee Dubois", "c")]
    assert group_mentions(mentions) == [[0, 1, 2]]


def test_acronym_defined_in_the_text() -> None:
    text = "Rebels of the People's Defence Front (PDF) attacked the town. The PDF denied it."
    assert defined_acronyms(text) == {"PDF": "People's Defence Front"}
    mentions = [
        mt("the People's Defence Front", label="ORG", position=14),
        mt("PDF", label="ORG", position=42),
        mt("PDF", "b", "ORG"),
    ]
    assert group_mentions(mentions, aliases=defined_acronyms(text)) == [[0, 1, 2]]


def test_acronym_defined_in_the_text_even_when_initials_differ() -> None:
    text = "Doctors Without Borders (MSF) sent a team."
    assert defined_acronyms(text) == {}  # the initials are French: no safe reading
    aliases = {"MSF": "Doctors Without Borders"}
    mentions = [mt("Doctors Without Borders", label="ORG"), mt("MSF", "b", "ORG")]
    assert group_mentions(mentions) == [[0], [1]]
    assert group_mentions(mentions, aliases=aliases) == [[0, 1]]


def test_acronym_matching_initials_across_articles() -> None:
    assert is_acronym_of("UPU", ["Universal", "Postal", "Union"])
    assert is_acronym_of("UNRWA", ["UN", "Relief", "and", "Works", "Agency"])
    assert not is_acronym_of("UPS", ["Universal", "Postal", "Union"])
    assert is_acronym_of("THR", ["The", "Hollywood", "Reporter"])
    assert is_acronym_of("HR", ["The", "Hollywood", "Reporter"])
    mentions = [
        mt("Universal Postal Union", "a", "ORG"),
        mt("UPU", "b", "ORG"),
        mt("UPS", "b", "ORG"),
    ]
    assert group_mentions(mentions) == [[0, 1], [2]]


def test_full_names_with_short_first_names_initials_and_typos_group() -> None:
    mentions = [
        mt("Fred LaRue", "a"),
        mt("Frederick C. LaRue", "b"),
        mt("Duncan Rait", "a", position=30),
        mt("Duncan Raite", "b", position=30),
        mt("Mark Vinar", "a", position=60),
        mt("Miles Vinar", "b", position=60),
    ]
    assert group_mentions(mentions) == [[0, 1], [2, 3], [4], [5]]


def test_two_forms_of_one_given_name_with_the_same_surname_group() -> None:
    mentions = [
        mt("Alexandros Varvakis", "a"),
        mt("Alexis Varvakis", "b"),
        # a stem shorter than four letters: two people
        mt("Anton Meyling", "a", position=30),
        mt("Anna Meyling", "b", position=30),
        # one stem, another surname: two people
        mt("Alexis Dunmore", "c", position=90),
    ]
    assert group_mentions(mentions) == [[0, 1], [2], [3], [4]]


def test_abbreviated_place_words_group() -> None:
    mentions = [mt("Mt Cook", "a", "LOC"), mt("Mount Cook", "b", "LOC"), mt("Mt. Cook", "c", "LOC")]
    assert group_mentions(mentions) == [[0, 1, 2]]


def test_a_nickname_form_joins_the_full_name() -> None:
    mentions = [mt("Luis Gerardo (Jerry) Ortiz", "a"), mt("Jerry Ortiz", "b")]
    assert group_mentions(mentions) == [[0, 1]]


def test_place_names_with_owners_types_and_initials() -> None:
    mentions = [
        mt("Indonesia's Aceh province", "a", "GPE"),
        mt("the province of Aceh", "b", "GPE"),
        mt("Indonesia", "b", "GPE", position=40),
        mt("U.S.", "a", "GPE", position=60),
        mt("U. S.", "b", "GPE", position=60),
        mt("US", "c", "GPE"),
        mt("South Sudan", "a", "GPE", position=90),
        mt("Sudan", "b", "GPE", position=90),
    ]
    assert group_mentions(mentions) == [[0, 1], [2], [3, 4, 5], [6], [7]]


# --- what must stay apart -------------------------------------------------------------------------


def test_a_plural_possessive_is_part_of_the_name_not_its_owner() -> None:
    # "Dunmore Magistrates' Court" is not the "Court" that ends "Harlow Crown Court"
    mentions = [
        mt("Harlow Crown Court", "a", "ORG"),
        mt("Dunmore Magistrates' Court", "b", "ORG"),
        mt("the Dunmore Magistrates' Court", "a", "ORG", position=50),
    ]
    assert group_mentions(mentions) == [[0], [1, 2]]


def test_people_sharing_a_first_name_stay_apart() -> None:
    mentions = [mt("Maria Okafor", position=0), mt("Maria Lindqvist", position=30)]
    assert group_mentions(mentions) == [[0], [1]]


def test_people_sharing_a_surname_across_articles_stay_apart() -> None:
    mentions = [
        mt("John Smith", "a", position=0),
        mt("Smith", "a", position=40),
        mt("Mary Smith", "b", position=0),
        mt("Smith", "b", position=40),
    ]
    assert group_mentions(mentions) == [[0, 1], [2, 3]]


def test_a_bare_surname_shared_by_two_people_joins_neither() -> None:
    mentions = [mt("John Smith", "a"), mt("Mary Smith", "b"), mt("Smith", "c")]
    assert group_mentions(mentions) == [[0], [1], [2]]


def test_a_bare_surname_of_two_people_in_one_article_joins_neither() -> None:
    # "John Jenkin ... and his sister Katie Jenkin ... Jenkin was remanded": nearness would
    # credit the sister
    mentions = [
        mt("John Jenkin", "a", position=0),
        mt("Katie Jenkin", "a", position=60),
        mt("Jenkin", "a", position=120),
    ]
    assert group_mentions(mentions) == [[0], [1], [2]]


def test_a_bare_surname_of_one_person_in_the_article_joins_that_person() -> None:
    mentions = [mt("John Jenkin", "a", position=0), mt("Jenkin", "a", position=120)]
    assert group_mentions(mentions) == [[0, 1]]


def test_one_name_with_two_labels_is_two_entities() -> None:
    mentions = [mt("Jordan", "a", "PERSON"), mt("Jordan", "b", "GPE")]
    assert group_mentions(mentions) == [[0], [1]]


def test_plural_is_not_a_spelling_variant() -> None:
    mentions = [mt("Bluejay", "a", "ORG"), mt("Bluejays", "b", "ORG")]
    assert group_mentions(mentions) == [[0], [1]]


# --- pronouns -------------------------------------------------------------------------------


def test_a_pronoun_joins_the_nearest_earlier_name_with_its_label() -> None:
    mentions = [
        mt("Maria Okafor", position=0),
        mt("the port", label="FAC", position=20),
        mt("she", position=40),
        mt("John Smith", position=60),
        mt("he", position=80),
        mt("it", label="FAC", position=90),
    ]
    assert group_mentions(mentions) == [[0, 2], [1, 5], [3, 4]]
    assert group_mentions(mentions, resolve_pronouns=False) == [[0], [1], [2], [3], [4], [5]]


def test_a_pronoun_skips_a_nearer_name_of_the_other_gender() -> None:
    mentions = [
        mt("Maria Okafor", position=0),
        mt("she", position=10),
        mt("John Smith", position=20),
        mt("he", position=30),
        mt("she", position=40),
    ]
    assert group_mentions(mentions) == [[0, 1, 4], [2, 3]]


# --- partition property ----------------------------------------------------------------------

_names = st.sampled_from(
    ["Maria Okafor", "Okafor", "okafor's", "Maria", "NLF", "National Liberation Front", "he",
     "Kiev", "Kyiv", "Smith", "John Smith", "the port", "Gadhafi", "Qaddafi", "", "'s", "U.N."]
)  # fmt: skip
_mention = st.builds(
    MentionText,
    text=_names,
    label=st.sampled_from(["PERSON", "ORG", "GPE", "LOC"]),
    doc=st.sampled_from(["a", "b", "c"]),
    position=st.integers(min_value=0, max_value=200),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_mention, max_size=25))
def test_group_mentions_returns_a_partition_of_the_indices(mentions: list[MentionText]) -> None:
    groups = group_mentions(mentions)
    flat = sorted(i for g in groups for i in g)
    assert flat == list(range(len(mentions)))
    assert all(g == sorted(g) and g for g in groups)
    assert groups == sorted(groups)
    assert group_mentions(mentions) == groups  # deterministic


# --- alias files ----------------------------------------------------------------------------


def test_alias_csv_is_read_with_header_comments_and_blank_lines() -> None:
    text = (
        "variant,canonical\n# spellings\nGadhafi,Muammar Qaddafi\n\nMSF, Doctors Without Borders\n"
    )
    assert parse_aliases(text, fmt="csv", where="aliases.csv") == {
        "Gadhafi": "Muammar Qaddafi",
        "MSF": "Doctors Without Borders",
    }


def test_alias_csv_bad_row_names_its_line() -> None:
    text = "Gadhafi,Muammar Qaddafi\nMSF\n"
    with pytest.raises(InputError) as err:
        parse_aliases(text, fmt="csv", where="aliases.csv")
    assert err.value.line == 2
    assert str(err.value) == (
        "[R100] aliases.csv:2: expected 2 non-empty fields, got ['MSF']. "
        'Write one "variant,canonical" pair per line'
    )


def test_alias_yaml_takes_pairs_and_lists() -> None:
    text = "Muammar Qaddafi:\n  - Gadhafi\n  - Kadhafi\nMSF: Doctors Without Borders\n"
    assert parse_aliases(text, fmt="yaml", where="aliases.yaml") == {
        "Gadhafi": "Muammar Qaddafi",
        "Kadhafi": "Muammar Qaddafi",
        "MSF": "Doctors Without Borders",
    }


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("Qaddafi:\n  - Gadhafi\nMSF:\n", 3, "the entry 'MSF' has no name or list of names"),
        ("Qaddafi:\n  - Gadhafi\n  - [a, b]\n", 3, "a variant of 'Qaddafi' is not a name"),
        ("- Gadhafi\n", 1, "the top level is not a mapping"),
        ("a: b\nc: [d\n", 3, "not valid YAML"),
    ],
)
def test_alias_yaml_errors_name_their_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(InputError) as err:
        parse_aliases(text, fmt="yaml", where="aliases.yaml")
    assert err.value.line == line
    assert err.value.problem.startswith(problem)
    assert str(err.value).startswith(f"[R100] aliases.yaml:{line}: {problem}")


# --- entities from parsed articles (real parser) ---------------------------------------------


def _articles(parser: TextParser, texts: dict[str, tuple[str, str]]) -> list[Entity]:
    articles, parsed = [], []
    for article_id, (outlet, text) in texts.items():
        parse = parser.parse([text])[0]
        articles.append(segment_article(Article(id=article_id, text=text, outlet=outlet), parse))
        parsed.append(parse)
    return find_entities(articles, parsed)


STORY = {
    "ht": (
        "Harbor Times",
        "Deputy Prime Minister Maria Okafor met rebels of the National Liberation Front (NLF) "
        "on Monday. Okafor, the veteran negotiator, said the NLF had agreed. "
        "The militant group Hamas rejected the plan.",
    ),
    "el": (
        "Evening Ledger",
        "Maria Okafor, the deputy prime minister and finance minister, flew to the talks. "
        "Okafor's aides said the National Liberation Front wanted more.",
    ),
    "cr": ("Coast Radio", "Ms. Okafor arrived in Geneva on Friday."),
}


@pytest.mark.models
def test_entities_have_mentions_with_sentences_and_offsets(parser: TextParser) -> None:
    entities = _articles(parser, STORY)
    okafor = entities[0]
    assert (okafor.name, okafor.label) == ("Maria Okafor", "PERSON")
    assert okafor.variants == ("Maria Okafor", "Okafor")
    assert [(m.article, m.sentence, m.text, m.start, m.end) for m in okafor.mentions] == [
        ("cr", "cr:s1", "Okafor", 4, 10),
        ("el", "el:s1", "Maria Okafor", 0, 12),
        ("el", "el:s2", "Okafor", 81, 87),
        ("ht", "ht:s1", "Maria Okafor", 22, 34),
        ("ht", "ht:s2", "Okafor", 96, 102),
    ]
    texts = {key: text for key, (_, text) in STORY.items()}
    assert all(texts[m.article][m.start : m.end] == m.text for e in entities for m in e.mentions)
    nlf = entities[1]
    assert (nlf.name, nlf.label, nlf.variants) == (
        "National Liberation Front",
        "ORG",
        ("NLF", "National Liberation Front"),
    )
    assert len(nlf.mentions) == 4
    assert [e.name for e in entities] == [
        "Maria Okafor",
        "National Liberation Front",
        "Geneva",
        "Hamas",
    ]


@pytest.mark.models
def test_labels_per_outlet_side_by_side(parser: TextParser) -> None:
    by_name = {e.name: e for e in _articles(parser, STORY)}
    assert by_name["Maria Okafor"].labels_by_outlet == (
        ("Coast Radio", ()),  # "Ms." is courtesy, not a label
        ("Evening Ledger", ("the deputy prime minister and finance minister",)),
        ("Harbor Times", ("Deputy Prime Minister", "the veteran negotiator")),
    )
    assert by_name["Hamas"].labels_by_outlet == (("Harbor Times", ("the militant group",)),)
    assert by_name["National Liberation Front"].labels_by_outlet == (
        ("Evening Ledger", ()),
        ("Harbor Times", ()),
    )


@pytest.mark.models
def test_entity_ids_are_stable_content_hashes(parser: TextParser) -> None:
    first = _articles(parser, STORY)
    again = _articles(parser, dict(reversed(STORY.items())))
    assert [e.id for e in first] == [e.id for e in again]
    assert all(len(e.id) == 11 and e.id.startswith("e") for e in first)
    assert len({e.id for e in first}) == len(first)


# --- entities from hand-built parses (no model) ----------------------------------------------


def _fake_parse(text: str, names: list[tuple[int, str, str]]) -> tuple[Article, ParsedText]:
    """A parse with one sentence, tokens split at spaces and punctuation, and the given names.

    ``names`` holds (character offset, text, label) of the spans the "model" tagged.
    """
    tokens = []
    for n, match in enumerate(re.finditer(r"\w+|[^\w\s]", text)):
        word = match.group()
        tokens.append(
            Token(
                i=n, text=word, start=match.start(), end=match.end(), lemma=word,
                pos="PUNCT" if not word[0].isalnum() else "PROPN" if word[0].isupper() else "NOUN",
                tag="", dep="dep", head=n, ent_type="", is_stop=False,
                is_punct=not word[0].isalnum(), like_num=word.isdigit(),
                whitespace=text[match.end() : match.end() + 1] == " ",
            )
        )  # fmt: skip
    spans = []
    for start, name, label in names:
        assert text[start : start + len(name)] == name
        first = next(t.i for t in tokens if t.start == start)
        last = next(t.i for t in tokens if t.end == start + len(name))
        spans.append(EntitySpan(text=name, label=label, start=start, end=start + len(name),
                                token_start=first, token_end=last + 1))  # fmt: skip
    parse = ParsedText(
        text=text, tokens=tuple(tokens), sentences=((0, len(tokens)),), entities=tuple(spans)
    )
    sentence = Sentence(id="x:s1", index=0, text=text, start=0, end=len(text))
    return Article(id="x", text=text, outlet="O", sentences=(sentence,)), parse


def test_a_name_the_model_labels_two_ways_is_one_entity_with_the_majority_label() -> None:
    text = "Okafor met Okafor and Okafor."
    article, parse = _fake_parse(text, [(0, "Okafor", "PERSON"), (11, "Okafor", "ORG"),
                                        (22, "Okafor", "PERSON")])  # fmt: skip
    [entity] = find_entities([article], [parse])
    assert (entity.name, entity.label, len(entity.mentions)) == ("Okafor", "PERSON", 3)


def test_an_untagged_repeat_of_a_tagged_name_is_a_mention() -> None:
    text = "Maria Okafor spoke. Later Okafor left Lagos."
    article, parse = _fake_parse(text, [(0, "Maria Okafor", "PERSON")])
    [entity] = find_entities([article], [parse])
    assert [(m.text, m.start, m.end) for m in entity.mentions] == [
        ("Maria Okafor", 0, 12),
        ("Okafor", 26, 32),
    ]


def test_find_entities_refuses_a_parse_of_another_text() -> None:
    article, parse = _fake_parse("Okafor spoke.", [(0, "Okafor", "PERSON")])
    other = dataclasses.replace(article, text="Okafor spoke!")
    with pytest.raises(ValueError, match="article x needs its own parse and its sentences"):
        find_entities([other], [parse])


@pytest.mark.models
@pytest.mark.parametrize(
    ("text", "name", "labels"),
    [
        ("Troops entered the rebel-held city of Aleppo.", "Aleppo", ("the rebel-held city",)),
        ("Former U.S. President Barack Obama spoke.", "Barack Obama", ("Former U.S. President",)),
        ("The group's leader, Ismail Haniyeh, rejected it.", "Ismail Haniyeh",
         ("the group's leader",)),
        ("Hamas, which controls Gaza, said nothing.", "Hamas", ()),
        ("Troops fought south of the town of Taludi on Thursday.", "Taludi", ("the town",)),
        ("Protests spread in the streets of Khartoum.", "Khartoum", ()),
        ("Bombs fell in another region of South Sudan.", "South Sudan", ()),
        ("Crowds marched in newly independent South Sudan.", "South Sudan", ()),
        ("These people (Khartoum) must answer.", "Khartoum", ()),
    ],
)  # fmt: skip
def test_labels_of_one_sentence(
    parser: TextParser, text: str, name: str, labels: tuple[str, ...]
) -> None:
    by_name = {e.name: e for e in _articles(parser, {"a": ("Outlet", text)})}
    assert by_name[name].labels_by_outlet == (("Outlet", labels),)


def test_an_acronym_in_parentheses_after_a_name_stands_for_it() -> None:
    first, parse_1 = _fake_parse(
        "Doctors Without Borders (MSF) sent a team.", [(0, "Doctors Without Borders", "ORG")]
    )
    second, parse_2 = _fake_parse("MSF said the camp was full.", [(0, "MSF", "ORG")])
    second = dataclasses.replace(
        second, id="y", sentences=(dataclasses.replace(second.sentences[0], id="y:s1"),)
    )
    [entity] = find_entities([first, second], [parse_1, parse_2])
    assert (entity.name, entity.variants) == (
        "Doctors Without Borders",
        ("Doctors Without Borders", "MSF"),
    )
    # the "MSF" in the parentheses is a mention too, though the "model" left it untagged
    assert [(m.article, m.start) for m in entity.mentions] == [("x", 0), ("x", 25), ("y", 0)]


def test_courtesy_titles_of_different_genders_stay_apart() -> None:
    mentions = [mt("Mr. Smith", "a"), mt("Mrs. Smith", "b"), mt("Mr Smith", "c")]
    assert group_mentions(mentions) == [[0, 2], [1]]


def test_alias_csv_line_numbers_count_lines_not_rows() -> None:
    text = 'Gadhafi,"Muammar\nQaddafi"\nMSF,Doctors Without Borders,extra\n'
    with pytest.raises(InputError) as err:
        parse_aliases(text, fmt="csv", where="aliases.csv")
    assert err.value.line == 3


def test_a_lowercase_word_is_never_an_untagged_repeat() -> None:
    text = "The Committee met. The committee left."
    article, parse = _fake_parse(text, [(4, "Committee", "ORG")])
    parse = dataclasses.replace(
        parse,
        tokens=tuple(dataclasses.replace(t, pos="PROPN") if t.text == "committee" else t
                     for t in parse.tokens),
    )  # fmt: skip
    [entity] = find_entities([article], [parse])
    assert [(m.text, m.start) for m in entity.mentions] == [("Committee", 4)]


def test_no_articles_and_no_names_give_no_entities() -> None:
    assert find_entities([], []) == []
    article, parse = _fake_parse("it rained all day.", [])
    assert find_entities([article], [parse]) == []
    assert group_mentions([]) == []


def test_a_time_zone_after_a_clock_time_is_no_entity(parser: TextParser) -> None:
    entities = _articles(
        parser,
        {
            "a": (
                "Harbor Times",
                "A strong earthquake jolted Orlin island at 17:06 (1336 GMT) on Sunday, the "
                "Kestle Seismic Institute said. Aftershocks followed at 0410 GMT.",
            )
        },
    )
    names = {e.name for e in entities}
    assert "GMT" not in names
    assert "Kestle Seismic Institute" in names
