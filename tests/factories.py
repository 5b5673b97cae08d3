"""Hand-built Comparisons for the schema and report tests (invented story, invented outlets).

``make_comparison()`` tells one small story in three outlets:

- fact F1 (shared by all three): "Protesters marched ..." vs "Rioters marched ..." (a replace),
- fact F2 (shared by Harbor Times and Evening Ledger) with a number conflict: 200 vs 500,
- fact F3 (only Harbor Times): a direct quote by Lena Moss,
- fact F4 (only Evening Ledger) and fact F5 (only Coast Radio),
- a shared and a contested summary sentence, cited sources and removed boilerplate,
- six quotes: Lena Moss's "not back down" is direct in Harbor Times and reported ("never back
  down") in Evening Ledger (a same-speaker quote variant with a replace difference), and "The
  square belongs to ..." is credited to Moss by Harbor Times but to Tom Reyes by Evening Ledger
  (a quote variant with ``same_speaker=False`` and its attribution conflict); police speak in
  Harbor Times and unnamed organizers in Evening Ledger. The last sentences quoted are matched to
  no fact,
- three entities: Lena Moss (three mentions, two outlets, a label in each), city hall (three
  outlets) and Tom Reyes (one mention, which the reports leave out of "Names and labels").

``payload`` is added to every free-text string (and to the ids), so the XSS tests can check
that each field is escaped; offsets stay correct because they are computed from the final text.
"""

from __future__ import annotations

from rashomon.models import (
    Alignment,
    Article,
    Boilerplate,
    Comparison,
    Conflict,
    ConflictValue,
    Difference,
    Entity,
    Fact,
    Mention,
    Quote,
    QuoteKind,
    QuoteVariant,
    Sentence,
    SourceCited,
    Speaker,
    SummarySentence,
)


def make_article(
    article_id: str,
    outlet: str,
    sentences: list[str],
    *,
    title: str | None = None,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    author: str | None = None,
    boilerplate: tuple[Boilerplate, ...] = (),
) -> Article:
    """Build an Article whose text is the sentences joined by spaces, with correct offsets."""
    records: list[Sentence] = []
    start = 0
    for index, text in enumerate(sentences):
        records.append(
            Sentence(
                id=f"{article_id}:s{index + 1}",
                index=index,
                text=text,
                start=start,
                end=start + len(text),
            )
        )
        start += len(text) + 1
    return Article(
        id=article_id,
        text=" ".join(sentences),
        outlet=outlet,
        sentences=tuple(records),
        title=title,
        date=date,
        source=source,
        url=url,
        author=author,
        boilerplate=boilerplate,
    )


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return (start, start + len(words))


def value_in(
    article: Article, sentence_id: str, words: str, *, normalized: str | None = None
) -> ConflictValue:
    sentence = next(s for s in article.sentences if s.id == sentence_id)
    start = sentence.start + sentence.text.index(words)
    return ConflictValue(
        sentence=sentence_id,
        text=words,
        start=start,
        end=start + len(words),
        normalized=normalized,
    )


def quote_in(
    article: Article, number: int, text: str, quote_id: str, kind: QuoteKind, speaker: Speaker
) -> Quote:
    """A quote of ``text`` found in sentence ``s<number>`` of ``article``."""
    sentence = article.sentences[number - 1]
    start = sentence.start + sentence.text.index(text)
    return Quote(
        id=quote_id,
        article=article.id,
        kind=kind,
        text=text,
        sentence=sentence.id,
        start=start,
        end=start + len(text),
        cue="said",
        speaker=speaker,
    )


def mention_in(article: Article, number: int, words: str) -> Mention:
    sentence = article.sentences[number - 1]
    start = sentence.start + sentence.text.index(words)
    return Mention(
        article=article.id, sentence=sentence.id, text=words, start=start, end=start + len(words)
    )


def moss(p: str, mention: str) -> Speaker:
    return Speaker(name=f"Lena Moss{p}", entity=f"e1{p}", mention=mention)


def police(p: str) -> Speaker:
    return Speaker(name=f"police{p}", entity=None, mention="police")


def organizers(p: str) -> Speaker:
    return Speaker(name=None, entity=None, mention=f"organizers{p}")


def make_articles(p: str = "") -> tuple[Article, Article, Article]:
    times = make_article(
        f"ht{p}",
        f"Harbor Times{p}",
        [
            f"Protesters marched on city hall on Friday.{p}",
            f"About 200 people took part, police said.{p}",
            f'"We will not back down,{p}" said organizer Lena Moss{p}.',
            f'"The square belongs to everyone,{p}" Moss{p} said.',
        ],
        title=f"Protesters march on city hall{p}",
        date="2025-05-03",
        source=f"https://harbor-times.example/march{p}",
        url=f"https://harbor-times.example/march{p}",
        author=f"Ida Park{p}",
        boilerplate=(Boilerplate(text=f"Subscribe for $1 a week{p}", reason=f"promo{p}"),),
    )
    ledger = make_article(
        f"el{p}",
        f"Evening Ledger{p}",
        [
            f"Rioters marched on city hall on Friday.{p}",
            f"About 500 people took part, organizers{p} said.",
            f"The mayor left early, Bay Wire reported.{p}",
            f"March leader Lena Moss{p} said they would never back down{p}.",
            f'"The square belongs to all of us,{p}" said Tom Reyes{p}.',
        ],
        title=f"Rioters storm city hall square{p}",
        date="2025-05-04",
        source=f"javascript:window.__ledger=1{p}",
        url=f"javascript:window.__ledger=1{p}",
    )
    radio = make_article(
        f"cr{p}",
        f"Coast Radio{p}",
        [
            f"Protesters marched on city hall on Friday.{p}",
            f"Traffic was diverted for two hours.{p}",
        ],
        title=f"City hall march diverts traffic{p}",
        date="2025-05-03",
    )
    return times, ledger, radio


def make_comparison(*, payload: str = "") -> Comparison:
    """The three-outlet protest story described in the module docstring."""
    p = payload
    times, ledger, radio = make_articles(p)
    ht, el, cr = times.id, ledger.id, radio.id
    s = {a.id: {x.id.rpartition(":")[2]: x.text for x in a.sentences} for a in (times, ledger)}
    alignments = (
        Alignment(
            source=f"{ht}:s1",
            target=f"{el}:s1",
            relation="equivalent",
            score=0.91,
            differences=(
                Difference(
                    kind="replace",
                    source=f"Protesters{p}",
                    target=f"Rioters{p}",
                    source_span=span_of(s[ht]["s1"], "Protesters"),
                    target_span=span_of(s[el]["s1"], "Rioters"),
                ),
            ),
        ),
        Alignment(source=f"{ht}:s1", target=f"{cr}:s1", relation="equivalent", score=1.0),
        Alignment(
            source=f"{ht}:s2",
            target=f"{el}:s2",
            relation="partial",
            score=0.72,
            differences=(
                Difference(
                    kind="replace",
                    source="200",
                    target="500",
                    source_span=span_of(s[ht]["s2"], "200"),
                    target_span=span_of(s[el]["s2"], "500"),
                ),
                Difference(
                    kind="replace",
                    source="police",
                    target="organizers",
                    source_span=span_of(s[ht]["s2"], "police"),
                    target_span=span_of(s[el]["s2"], "organizers"),
                ),
            ),
        ),
    )
    facts = (
        Fact(
            id=f"f1{p}",
            sentences=(f"{ht}:s1", f"{el}:s1", f"{cr}:s1"),
            outlets=(times.outlet, ledger.outlet, radio.outlet),
            status="shared",
        ),
        Fact(
            id=f"f2{p}",
            sentences=(f"{ht}:s2", f"{el}:s2"),
            outlets=(times.outlet, ledger.outlet),
            status="shared",
        ),
        Fact(id=f"f3{p}", sentences=(f"{ht}:s3",), outlets=(times.outlet,), status="single"),
        Fact(id=f"f4{p}", sentences=(f"{el}:s3",), outlets=(ledger.outlet,), status="single"),
        Fact(id=f"f5{p}", sentences=(f"{cr}:s2",), outlets=(radio.outlet,), status="single"),
    )
    conflicts: tuple[Conflict, ...] = (
        Conflict(
            kind="number",
            sentences=(f"{ht}:s2", f"{el}:s2"),
            values=(value_in(times, f"{ht}:s2", "200"), value_in(ledger, f"{el}:s2", "500")),
            note=f"The outlets give different crowd sizes.{p}",
            fact=f"f2{p}",
        ),
    )
    summary = (
        SummarySentence(
            text=f"Protesters marched on city hall on Friday.{p}",
            sentence=f"{ht}:s1",
            support=(f"{ht}:s1", f"{el}:s1", f"{cr}:s1"),
            outlets=(times.outlet, ledger.outlet, radio.outlet),
            status="shared",
            fact=f"f1{p}",
        ),
        SummarySentence(
            text=f"About 200 people took part, police said.{p}",
            sentence=f"{ht}:s2",
            support=(f"{ht}:s2", f"{el}:s2"),
            outlets=(times.outlet, ledger.outlet),
            status="contested",
            fact=f"f2{p}",
            note=f"Evening Ledger says 500.{p}",
        ),
    )
    quotes = (
        quote_in(
            times,
            3,
            f"We will not back down,{p}",
            f"q1{p}",
            "direct",
            moss(p, f"organizer Lena Moss{p}"),
        ),
        quote_in(times, 2, "About 200 people took part", f"q2{p}", "reported", police(p)),
        quote_in(
            times, 4, f"The square belongs to everyone,{p}", f"q3{p}", "direct", moss(p, f"Moss{p}")
        ),
        quote_in(ledger, 2, "About 500 people took part", f"q4{p}", "reported", organizers(p)),
        quote_in(
            ledger,
            4,
            f"they would never back down{p}",
            f"q5{p}",
            "reported",
            moss(p, f"March leader Lena Moss{p}"),
        ),
        quote_in(
            ledger,
            5,
            f"The square belongs to all of us,{p}",
            f"q6{p}",
            "direct",
            Speaker(name=f"Tom Reyes{p}", entity=f"e3{p}", mention=f"Tom Reyes{p}"),
        ),
    )
    q = {x.id: x for x in quotes}
    quote_variants = (
        QuoteVariant(
            source=f"q1{p}",
            target=f"q5{p}",
            score=0.83,
            same_speaker=True,
            differences=(
                Difference(
                    kind="replace",
                    source="We will not",
                    target="they would never",
                    source_span=span_of(q[f"q1{p}"].text, "We will not"),
                    target_span=span_of(q[f"q5{p}"].text, "they would never"),
                ),
            ),
        ),
        QuoteVariant(
            source=f"q3{p}",
            target=f"q6{p}",
            score=0.9,
            same_speaker=False,
            differences=(
                Difference(
                    kind="replace",
                    source="everyone",
                    target="all of us",
                    source_span=span_of(q[f"q3{p}"].text, "everyone"),
                    target_span=span_of(q[f"q6{p}"].text, "all of us"),
                ),
            ),
        ),
    )
    conflicts = (
        *conflicts,
        Conflict(
            kind="attribution",
            sentences=(f"{ht}:s4", f"{el}:s5"),
            values=(
                value_in(times, f"{ht}:s4", f"Moss{p}", normalized=f"Lena Moss{p}"),
                value_in(ledger, f"{el}:s5", f"Tom Reyes{p}", normalized=f"Tom Reyes{p}"),
            ),
            note=(
                "the same statement is credited to different speakers: "
                f"{times.outlet}: Lena Moss{p}; {ledger.outlet}: Tom Reyes{p}"
            ),
        ),
    )
    entities = (
        Entity(
            id=f"e1{p}",
            name=f"Lena Moss{p}",
            label="PERSON",
            variants=(f"Lena Moss{p}", f"Moss{p}"),
            mentions=(
                mention_in(times, 3, f"Lena Moss{p}"),
                mention_in(times, 4, f"Moss{p}"),
                mention_in(ledger, 4, f"Lena Moss{p}"),
            ),
            labels_by_outlet=(
                (times.outlet, (f"organizer{p}",)),
                (ledger.outlet, (f"March leader{p}",)),
            ),
        ),
        Entity(
            id=f"e2{p}",
            name=f"city hall{p}",
            label="FAC",
            variants=(f"city hall{p}",),
            mentions=tuple(mention_in(a, 1, "city hall") for a in (times, ledger, radio)),
        ),
        Entity(
            id=f"e3{p}",
            name=f"Tom Reyes{p}",
            label="PERSON",
            variants=(f"Tom Reyes{p}",),
            mentions=(mention_in(ledger, 5, f"Tom Reyes{p}"),),
        ),
    )
    sources = (
        SourceCited(article=ht, name=f"police{p}", kind="official", sentences=(f"{ht}:s2",)),
        SourceCited(
            article=el, name=f"Bay Wire{p}", kind="agency", sentences=(f"{el}:s3",), wire_copy=True
        ),
    )
    return Comparison(
        articles=(times, ledger, radio),
        alignments=alignments,
        facts=facts,
        conflicts=conflicts,
        summary=summary,
        quotes=quotes,
        entities=entities,
        sources_cited=sources,
        quote_variants=quote_variants,
        warnings=(f"Coast Radio has no author.{p}",),
    )
