"""Speakers tied to entities, quote variants across outlets and attribution conflicts."""

from __future__ import annotations

import numpy as np

from rashomon.models import Article, Conflict, Entity, Quote, Sentence, Speaker
from rashomon.who.attribution import attribution_conflicts, link_speakers, quote_variants

TEXT_A = "The plan is deeply flawed, Mayor Ilse Varga said."
TEXT_B = "The plan is deeply flawed, said councillor Henrike Baas."


def _article(article_id: str, outlet: str, text: str) -> Article:
    sentence = Sentence(id=f"{article_id}:s1", index=0, text=text, start=0, end=len(text))
    return Article(id=article_id, text=text, outlet=outlet, sentences=(sentence,))


def _quote(article: Article, name: str | None, mention: str | None) -> Quote:
    return Quote(
        id=f"{article.id}:q1",
        article=article.id,
        kind="reported",
        text="The plan is deeply flawed",
        sentence=f"{article.id}:s1",
        start=0,
        end=25,
        cue="said",
        speaker=Speaker(name=name, entity=None, mention=mention),
    )


def _entity(entity_id: str, name: str, *variants: str) -> Entity:
    return Entity(id=entity_id, name=name, label="PERSON", variants=(name, *variants), mentions=())


A = _article("a", "Harbor Times", TEXT_A)
B = _article("b", "Evening Ledger", TEXT_B)
ENTITIES = [_entity("e1", "Ilse Varga", "Varga"), _entity("e2", "Henrike Baas")]
SAME = np.asarray([[1.0, 0.0], [1.0, 0.0]], dtype=np.float32)  # both quotes: one unit vector


def test_speakers_are_tied_to_entities_by_name_variant_or_surname() -> None:
    quotes = [_quote(A, "Varga", "Mayor Ilse Varga"), _quote(B, "Baas", "councillor Henrike Baas")]
    linked = link_speakers(quotes, ENTITIES)
    assert [q.speaker.entity for q in linked] == ["e1", "e2"]


def test_an_unnamed_speaker_gets_no_entity() -> None:
    (linked,) = link_speakers([_quote(A, None, "a witness")], ENTITIES)
    assert linked.speaker.entity is None


def test_the_same_statement_in_two_outlets_is_a_variant() -> None:
    quotes = link_speakers([_quote(A, "Ilse Varga", "x"), _quote(B, "Varga", "y")], ENTITIES)
    (variant,) = quote_variants(quotes, SAME)
    assert (variant.source, variant.target, variant.same_speaker) == ("a:q1", "b:q1", True)
    assert variant.differences == ()
    assert attribution_conflicts([A, B], quotes, [variant]) == []


def test_dissimilar_statements_are_not_variants() -> None:
    quotes = [_quote(A, "Ilse Varga", "x"), _quote(B, "Henrike Baas", "y")]
    apart = np.asarray([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    assert quote_variants(quotes, apart) == []


def test_a_statement_credited_to_two_people_is_an_attribution_conflict() -> None:
    quotes = link_speakers(
        [_quote(A, "Ilse Varga", "Mayor Ilse Varga"), _quote(B, "Henrike Baas", "Henrike Baas")],
        ENTITIES,
    )
    variants = quote_variants(quotes, SAME)
    (conflict,) = attribution_conflicts([A, B], quotes, variants)
    assert conflict.kind == "attribution"
    assert [(v.sentence, v.text, v.normalized) for v in conflict.values] == [
        ("a:s1", "Mayor Ilse Varga", "Ilse Varga"),
        ("b:s1", "Henrike Baas", "Henrike Baas"),
    ]
    for value, article in zip(conflict.values, (A, B), strict=True):
        assert article.text[value.start : value.end] == value.text
    assert conflict.note == (
        "the same statement is credited to different speakers: "
        "Harbor Times: Ilse Varga; Evening Ledger: Henrike Baas"
    )


def _conflicts(quotes: list[Quote], entities: list[Entity]) -> list[Conflict]:
    linked = link_speakers(quotes, entities)
    return list(attribution_conflicts([A, B], linked, quote_variants(linked, SAME)))


def test_two_names_of_one_person_are_no_conflict_even_as_two_entities() -> None:
    # the grouping left the surname apart: two entity ids, one person
    entities = [_entity("e1", "Ilse Varga"), _entity("e3", "Varga")]
    assert _conflicts([_quote(A, "Ilse Varga", "x"), _quote(B, "Varga", "y")], entities) == []


def test_a_speaker_and_the_agency_that_reported_him_are_no_conflict() -> None:
    entities = [_entity("e1", "Ilse Varga"), _entity("e4", "Reuters")]
    assert _conflicts([_quote(A, "Ilse Varga", "x"), _quote(B, "Reuters", "y")], entities) == []
    entities = [_entity("e1", "Ilse Varga"), _entity("e5", "Balta news agency")]
    quotes = [_quote(A, "Ilse Varga", "x"), _quote(B, "Balta news agency", "y")]
    assert _conflicts(quotes, entities) == []


def test_a_speaker_not_resolved_to_an_entity_is_no_conflict() -> None:
    quotes = [_quote(A, "Ilse Varga", "x"), _quote(B, "Oskar Lind", "y")]
    assert _conflicts(quotes, ENTITIES) == []


def test_a_denial_against_an_assertion_is_a_disagreement_with_both_credits() -> None:
    import dataclasses

    denied = dataclasses.replace(_quote(B, "Ilse Varga", "Varga"), cue="denied", negation="denied")
    (conflict,) = _conflicts([_quote(A, "Ilse Varga", "Mayor Ilse Varga"), denied], ENTITIES)
    assert conflict.kind == "attribution"
    assert conflict.note == (
        "the same statement is denied in one outlet, asserted in the other: "
        "Harbor Times: Ilse Varga said; Evening Ledger: Ilse Varga denied"
    )
    assert len(conflict.values) == 2


def test_an_acronym_and_a_speaker_named_in_the_other_credit_are_no_conflict() -> None:
    entities = [_entity("e6", "Hewlett-Packard"), _entity("e7", "HP")]
    assert _conflicts([_quote(A, "Hewlett-Packard", "x"), _quote(B, "HP", "y")], entities) == []
    entities = [_entity("e8", "Harbor Group"), _entity("e9", "Paul Lemaire")]
    quotes = [
        _quote(A, "Harbor Group", "Harbor Group president Paul Lemaire"),
        _quote(B, "Paul Lemaire", "Paul Lemaire"),
    ]
    assert _conflicts(quotes, entities) == []


def test_a_speaker_the_other_outlet_names_at_its_own_attribution_is_no_conflict() -> None:
    text = "The plan is deeply flawed, said Harbor Group chief Paul Lemaire."
    a = _article("a", "Harbor Times", text)
    entities = [_entity("e8", "Harbor Group"), _entity("e9", "Paul Lemaire")]
    quotes = link_speakers(
        [_quote(a, "Harbor Group", "Harbor Group"), _quote(B, "Paul Lemaire", "Paul Lemaire")],
        entities,
    )
    assert attribution_conflicts([a, B], quotes, quote_variants(quotes, SAME)) == []
