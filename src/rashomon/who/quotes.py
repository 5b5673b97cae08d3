"""Article + parse -> Quotes: direct quotes, reported speech and who said them.

Direct quotes are found from the quotation marks (``marks``); a quotation that runs over several
lines gives one quote per line. Marks around a short title-like or attributive phrase with no
speech verb near it (scare quotes, titles, nicknames, words cited as words) are not statements
and are left out. Reported speech is read from the dependency parse: the clause a speech verb
governs, in either order, and the main clause of "according to X". Speakers are resolved inside
the article (``speakers``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.lexicon import (
    CLAUSE_NOUNS,
    DENIAL_LEMMAS,
    DIRECT_CUE_LEMMAS,
    DIRECTIVE_LEMMAS,
    FEMALE_WORDS,
    MALE_WORDS,
    NEWS_NOUNS,
    OBJECT_LEMMAS,
    PERSON_ROLES,
    REPORT_LEMMAS,
    WIRE_AGENCIES,
)
from rashomon.models import Article, Quote, Speaker
from rashomon.nlp import ParsedText, check_parse_of
from rashomon.who.marks import _FINAL, _WORD, QuotedSpan, _line_end, _segments
from rashomon.who.speakers import _SpeakerResolver
from rashomon.who.tokens import _cue_text, _Doc, _subject


@dataclass(slots=True)
class _Candidate:
    kind: str  # direct | reported
    pieces: list[tuple[int, int]]  # text spans (one per line for a direct quote)
    cue: str | None
    speaker_token: int | None
    position: int  # where the candidate starts, for resolving in reading order
    enclosing: QuotedSpan | None = None  # the quote a nested quote or clause sits in
    continues: bool = False  # an unattributed quote going on from the previous one
    attribution_end: int = 0  # where its attribution ends, if after the quote
    cue_token: int | None = None  # the speech verb


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_title_like(content: str) -> bool:
    """Short capitalized phrases without final punctuation: titles, names, sign texts."""
    words = _words(content)
    if not words or len(words) > 10 or content.rstrip(" '\"”’").endswith(tuple(_FINAL)):
        return False
    small = {"of", "the", "a", "an", "and", "in", "on", "to", "for", "at", "with", "or", "by"}
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in small for w in words)


def _cue_tokens(
    doc: _Doc, lo: int, hi: int, span: QuotedSpan, outer: QuotedSpan | None
) -> list[int]:
    """Speech-verb tokens between offsets lo and hi that lie outside the quote itself."""
    found = []
    for tok in doc.tokens:
        if not lo <= tok.start < hi or span.opened <= tok.start < span.closed:
            continue
        if outer is None and doc.in_quote[tok.i]:
            continue
        if outer is not None and not outer.start <= tok.start < outer.end:
            continue
        if tok.tag == "VBG" and tok.dep == "acl":
            continue  # "a banner reading ...", "a sign saying ...": a text, not a speaker
        if (tok.text.lower() == "according" and doc.child(tok.i, "prep") is not None) or (
            tok.lemma.lower() in DIRECT_CUE_LEMMAS and tok.pos in ("VERB", "AUX")
        ):
            found.append(tok.i)
    return found


def _distance(doc: _Doc, i: int, span: QuotedSpan) -> int:
    tok = doc.tokens[i]
    return span.opened - tok.end if tok.end <= span.opened else tok.start - span.closed


def _speaker_of_cue(doc: _Doc, i: int) -> int | None:
    if doc.tokens[i].text.lower() == "according":
        prep = doc.child(i, "prep")
        return doc.child(prep, "pobj") if prep is not None else None
    return _subject(doc, i)


def _governs(doc: _Doc, verb: int, span: QuotedSpan) -> bool:
    """Whether some word of the quote hangs (directly or not) from the verb."""
    inside = doc.tokens_in(span.start, span.end)
    return any(verb in _ancestors(doc, t.i) for t in inside)


# Arcs that leave what a speech verb reports: its subject, a relative clause or a clause that
# describes a noun ("whose career of 'aqua-musicals'", "known by the nickname 'X'").
_OFF_REPORT_DEPS = frozenset({"nsubj", "nsubjpass", "relcl", "acl"})


def _reports(doc: _Doc, verb: int, span: QuotedSpan) -> bool:
    """Whether some word of the quote hangs from the verb through what it reports: no arc on
    the way up is a subject, a relative clause or a clause describing a noun."""
    for t in doc.tokens_in(span.start, span.end):
        i = t.i
        for _ in range(50):
            if i == verb:
                return True
            if doc.tokens[i].head == i or doc.tokens[i].dep in _OFF_REPORT_DEPS:
                break
            i = doc.tokens[i].head
    return False


def _ancestors(doc: _Doc, i: int) -> list[int]:
    out: list[int] = []
    while doc.tokens[i].head != i and len(out) < 50:
        i = doc.tokens[i].head
        out.append(i)
    return out


def _is_attributive(doc: _Doc, span: QuotedSpan) -> bool:
    """A quoted word used as a modifier of a noun outside it: a "yes" vote, the "Riot" act."""
    inside = doc.tokens_in(span.start, span.end)
    ids = {t.i for t in inside}
    for tok in inside:
        if tok.head not in ids and tok.dep in ("compound", "amod", "nmod", "poss"):
            return doc.tokens[tok.head].pos in ("NOUN", "PROPN")
    return False


def _attribution(doc: _Doc, span: QuotedSpan, outer: QuotedSpan | None) -> tuple[int | None, int]:
    """The nearest speech verb of the sentences the quote touches, and how many words it has."""
    first = doc.sentence_at(span.opened)
    last = doc.sentence_at(max(span.closed - 1, span.opened))
    end = last.end
    after = span.closed
    while after < len(doc.text) and doc.text[after] in " \t\u2009\u00a0":
        after += 1
    following = doc.sentence_at(after)
    if following.index == last.index + 1 and following.start == after:
        # '"...," Doug said.' split after the mark: the attribution opens the next sentence
        head = doc.tokens_in(following.start, following.end)[:4]
        if any(t.lemma.lower() in REPORT_LEMMAS for t in head):
            end = following.end
    cues = _cue_tokens(doc, first.start, end, span, outer)
    n_words = len(_words(doc.text[span.start : span.end]))
    usable = []
    for i in cues:
        lemma = doc.tokens[i].lemma.lower()
        according = doc.tokens[i].text.lower() == "according"
        if lemma not in REPORT_LEMMAS and not according and not _governs(doc, i, span):
            continue  # called it "..." only when the quote is what was called
        usable.append(i)
    if not usable:
        return None, n_words
    return min(usable, key=lambda i: _distance(doc, i, span)), n_words


def _opens_sentence(doc: _Doc, span: QuotedSpan) -> bool:
    sent = doc.sentence_at(span.opened)
    return not any(ch.isalnum() for ch in doc.text[sent.start : span.opened])


def _after_colon(doc: _Doc, span: QuotedSpan) -> bool:
    return doc.text[: span.opened].rstrip().endswith(":")


def _is_statement(doc: _Doc, span: QuotedSpan, cue: int | None, n_words: int) -> bool:
    """Tell a quoted statement from scare quotes, titles, nicknames and words cited as words."""
    content = doc.text[span.start : span.end]
    if _is_title_like(content) or (n_words <= 4 and _is_attributive(doc, span)):
        return False
    if cue is not None:
        # a word or two is the speaker's only when it is part of what the verb reports
        return not (n_words <= 2 and not _reports(doc, cue, span))
    if _after_colon(doc, span):
        return True
    if _opens_sentence(doc, span) and (n_words >= 3 or content.rstrip().endswith(tuple(_FINAL))):
        return True
    return n_words >= 8


def _enclosing(spans: Sequence[QuotedSpan], span: QuotedSpan) -> QuotedSpan | None:
    for other in spans:
        if other is not span and other.start <= span.opened and span.closed <= other.end:
            return other
    return None


def _direct_candidates(doc: _Doc) -> list[_Candidate]:
    spans = sorted([*doc.double, *doc.single], key=lambda s: s.opened)
    found: list[_Candidate] = []
    for span in spans:
        pieces = _segments(doc.text, span)
        if not pieces:
            continue
        outer = _enclosing(spans, span)
        cue, n_words = _attribution(doc, span, outer)
        if not _is_statement(doc, span, cue, n_words):
            continue
        cand = _Candidate(
            kind="direct",
            pieces=pieces,
            cue=_cue_text(doc, cue) if cue is not None else None,
            speaker_token=_speaker_of_cue(doc, cue) if cue is not None else None,
            position=span.opened,
            enclosing=outer,
            cue_token=cue,
        )
        if cue is not None:
            cand.attribution_end = doc.tokens[cue].end
        if cue is None and _after_colon(doc, span):
            cand.speaker_token = _colon_speaker(doc, span)
        elif cue is None:
            cand.continues = True
        found.append(cand)
    return found


def _colon_speaker(doc: _Doc, span: QuotedSpan) -> int | None:
    """Who introduces a quote with a colon: the speech verb's subject or the last name before it."""
    colon = len(doc.text[: span.opened].rstrip()) - 1
    sent = doc.sentence_at(colon)
    tokens = doc.tokens_in(sent.start, colon + 1)
    for tok in reversed(tokens):
        if tok.lemma.lower() in REPORT_LEMMAS and tok.pos == "VERB":
            subj = _subject(doc, tok.i)
            if subj is not None:
                return subj
    last = [t for t in tokens if not t.is_punct][-1:]
    if last and last[0].ent_type in ("PERSON", "ORG"):
        return last[0].i  # "..., such as Dr Azm Al Homoud:"
    return None


def _complement(doc: _Doc, v: int) -> tuple[int, int] | None:
    """Token range [lo, hi] of what a speech verb reports, or None."""
    tok = doc.tokens[v]
    lemma = tok.lemma.lower()
    comp = doc.child(v, "ccomp")
    if comp is not None:
        return _clause_range(doc, comp, v)
    if lemma in DIRECTIVE_LEMMAS:
        return _directive_range(doc, v)
    if lemma in OBJECT_LEMMAS:
        obj = doc.child(v, "dobj")
        if obj is not None:
            sub = doc.subtree(obj)
            return sub[0], sub[-1]
    obj = doc.child(v, "dobj")
    if obj is not None and doc.tokens[obj].lemma.lower() in CLAUSE_NOUNS:
        clause = doc.child(obj, "acl", "ccomp", "relcl")
        if clause is not None and doc.child(clause, "mark") is not None:
            return _clause_range(doc, clause, v)
    head = tok.head
    first = doc.subtree(v)[0]
    after_comma = first > 0 and doc.tokens[first - 1].text in (",", "”", '"', "—", "–")
    if (
        tok.dep in ("parataxis", "ccomp")
        and head < v
        and after_comma
        and doc.tokens[head].pos in ("VERB", "AUX")
        and doc.tokens[head].lemma.lower() not in REPORT_LEMMAS
    ):
        # "X happened, police said" parsed with "said" hanging from "happened"
        sub = [k for k in doc.subtree(head) if k < first]
        return (sub[0], sub[-1]) if sub else None
    return None


def _clause_range(doc: _Doc, comp: int, verb: int) -> tuple[int, int]:
    sub = doc.subtree(comp)
    if comp > verb:
        return sub[0], sub[-1]
    # a fronted clause ends where the attribution begins
    return sub[0], min(sub[-1], verb - 1)


def _directive_range(doc: _Doc, v: int) -> tuple[int, int] | None:
    """urged parents to check ...; called on the council to act -> "parents to check ..." """
    xcomp = doc.child(v, "xcomp")
    target = doc.child(v, "dobj")
    prep = doc.child(v, "prep", "prt")
    if target is None and prep is not None and doc.tokens[prep].text.lower() == "on":
        target = doc.child(prep, "pobj")
        if xcomp is None and target is not None:
            xcomp = doc.child(target, "xcomp", "acl", "relcl")
    if doc.tokens[v].lemma.lower() == "call" and (
        prep is None or doc.tokens[prep].text.lower() != "on"
    ):
        return None
    if target is None or xcomp is None:
        return None
    return doc.subtree(target)[0], doc.subtree(xcomp)[-1]


def _trim_range(doc: _Doc, lo: int, hi: int) -> tuple[int, int] | None:
    """Character span of tokens lo..hi without a leading "that" and framing punctuation."""
    toks = doc.tokens
    while lo <= hi and (
        toks[lo].is_punct
        or not toks[lo].text.strip()
        or (toks[lo].dep == "mark" and toks[lo].text.lower() == "that")
    ):
        if toks[lo].text in "\"“‘'«":
            break
        lo += 1
    while hi >= lo and (
        (toks[hi].is_punct and toks[hi].text not in "\"”’'»?!") or not toks[hi].text.strip()
    ):
        hi -= 1
    if hi < lo:
        return None
    start, end = toks[lo].start, toks[hi].end
    text = doc.text[start:end]
    start += len(text) - len(text.lstrip())
    end -= len(text) - len(text.rstrip())
    return (start, end) if end > start else None


def _reported_candidates(doc: _Doc) -> list[_Candidate]:
    found: list[_Candidate] = []
    for tok in doc.tokens:
        lemma = tok.lemma.lower()
        if tok.text.lower() == "according" and doc.child(tok.i, "prep") is not None:
            cand = _according(doc, tok.i)
        elif (
            lemma in REPORT_LEMMAS
            or lemma in DIRECTIVE_LEMMAS
            or lemma in OBJECT_LEMMAS
            or lemma == "express"
        ) and tok.pos == "VERB":
            cand = _reported(doc, tok.i)
        else:
            continue
        if cand is not None:
            found.append(cand)
    return found


def _reported(doc: _Doc, v: int) -> _Candidate | None:
    rng = _complement(doc, v)
    if rng is None:
        return None
    subject = _subject(doc, v)
    lo, hi = _on_line_of(doc, v, *rng)
    if any(lo <= k <= hi for k in (v, subject) if k is not None):
        return None  # a parse that folds the attribution into what it reports
    lemma = doc.tokens[v].lemma.lower()
    if lemma not in OBJECT_LEMMAS and not _is_clause(doc, lo, hi, lemma):
        return None
    if _is_own_assertion(doc, v, subject):
        return None
    span = _trim_range(doc, lo, hi)
    if span is None or len(_words(doc.text[span[0] : span[1]])) < 2:
        return None
    outer = next((s for s in doc.double if s.start <= doc.tokens[v].start < s.end), None)
    if _unquoted_words(doc, *span, outer) == 0:
        return None  # the whole complement is a direct quote
    span = _settle_quotes(doc, *span, outer)
    if span is None:
        return None
    return _Candidate(
        kind="reported",
        pieces=[span],
        cue=_cue_text(doc, v),
        speaker_token=subject,
        position=min(span[0], doc.tokens[v].start),
        enclosing=outer,
        cue_token=v,
    )


_WH_WORDS = frozenset({"what", "how", "why", "where", "when", "whether", "if", "who", "which"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _on_line_of(doc: _Doc, v: int, lo: int, hi: int) -> tuple[int, int]:
    """Clip a token range to the line of token v: a headline never runs into the text."""
    while lo < v and "\n" in doc.text[doc.tokens[lo].start : doc.tokens[v].start]:
        lo += 1
    while hi > v and "\n" in doc.text[doc.tokens[v].start : doc.tokens[hi].end]:
        hi -= 1
    return lo, hi


def _is_clause(doc: _Doc, lo: int, hi: int, lemma: str) -> bool:
    """A finite clause that states something (not "what she had done", "to let", a gerund)."""
    first = doc.tokens[lo]
    while first.is_punct and first.i < hi:
        first = doc.tokens[first.i + 1]
    if first.text.lower() in _WH_WORDS and lemma not in ("question", "ask", "wonder"):
        return False
    if first.text.lower() == "to" and lemma not in DIRECTIVE_LEMMAS:
        return False
    if lemma in DIRECTIVE_LEMMAS:
        return True
    return any(doc.tokens[k].tag in _FINITE_TAGS for k in range(lo, hi + 1))


def _is_own_assertion(doc: _Doc, v: int, subject: int | None) -> bool:
    """ "I must say ...", "we can't say ...": a speaker's own assertion, not reported speech."""
    if any(doc.tokens[c].text.lower().endswith(("self", "selves")) for c in doc.children[v]):
        return True  # "I told myself ...": a thought, not speech
    if subject is None or doc.tokens[subject].text.lower() not in ("i", "we", "you"):
        return False
    # "I told him he was ..." reports what was said to someone; "I must say" asserts
    return doc.tokens[v].lemma.lower() != "tell" or doc.tokens[v].tag != "VBD"


def _settle_quotes(
    doc: _Doc, start: int, end: int, outer: QuotedSpan | None = None
) -> tuple[int, int] | None:
    """Take in the closing (or opening) mark of a quotation a span cuts just short of; None
    when the span runs through a quotation (a parse that crosses a quote's border)."""
    for q in [*doc.double, *doc.single]:
        if q is outer:
            continue
        opens = start <= q.opened < end
        closes = start < q.closed <= end
        if opens == closes:
            continue
        line_end = _line_end(doc.text, end)
        if opens and not doc.text[end : q.closed].strip(" ,.;:!?\"”’'»"):
            end = q.closed
        elif opens and q.closed > line_end and not doc.text[end:line_end].strip(" ,.;:!?"):
            continue  # the quotation runs on to the next lines (one sentence per line)
        elif closes and not doc.text[q.opened : start].strip(" \"“‘'«"):
            start = q.opened
        else:
            return None
    # a quotation left open runs to the end of its line, spaces included
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    return start, end


def _unquoted_words(doc: _Doc, start: int, end: int, outer: QuotedSpan | None = None) -> int:
    """Words of [start, end) outside quotation marks (other than an enclosing quote)."""
    spans = [s for s in [*doc.double, *doc.single] if s is not outer]
    inside = [False] * (end - start)
    for s in spans:
        for k in range(max(start, s.start), min(end, s.end)):
            inside[k - start] = True
    kept = "".join(ch if not inside[k] else " " for k, ch in enumerate(doc.text[start:end]))
    return len(re.findall(r"\w+", kept))


def _according(doc: _Doc, i: int) -> _Candidate | None:
    """ "X happened, according to Y": the main clause without the attribution."""
    head = doc.tokens[i].head
    if head == i:
        return None
    phrase = doc.subtree(i)
    clause = [k for k in doc.subtree(head) if k not in phrase]
    before = [k for k in clause if k < phrase[0]]
    after = [k for k in clause if k > phrase[-1]]
    part = after if len(after) > len(before) else before
    if not part:
        return None
    span = _trim_range(doc, *_on_line_of(doc, i, part[0], part[-1]))
    if span is None or len(_words(doc.text[span[0] : span[1]])) < 3:
        return None
    span = _settle_quotes(doc, *span) if _unquoted_words(doc, *span) else None
    if span is None:
        return None
    return _Candidate(
        kind="reported",
        pieces=[span],
        cue="according to",
        speaker_token=_speaker_of_cue(doc, i),
        position=min(span[0], doc.tokens[i].start),
    )


def extract_quotes(article: Article, parsed: ParsedText) -> list[Quote]:
    """Direct quotes and reported speech of a segmented article, with resolved speakers.

    Args:
        article: the article, with its sentences set (``segment_article`` ran).
        parsed: the parse of ``article.text``.

    Returns:
        Quotes in text order, ids ``<article>:q<n>``; ``speaker.entity`` is left for the
        compare stage.
    """
    check_parse_of(article.text, parsed, article.id)
    if not article.sentences or not parsed.tokens:
        return []
    doc = _Doc(article, parsed)
    resolver = _SpeakerResolver(doc)
    candidates = sorted(
        [*_direct_candidates(doc), *_reported_candidates(doc)], key=lambda c: c.position
    )
    quotes: list[Quote] = []
    spoken: list[tuple[_Candidate, Speaker]] = []
    for cand in candidates:
        if _relays_speech(doc, resolver, cand, candidates):
            continue  # "X told Y that ..., the news agency Z said": Z is a source, not a speaker
        speaker = _speaker(doc, resolver, cand, spoken)
        spoken.append((cand, speaker))
        quotes.extend(
            Quote(
                id="",
                article=article.id,
                kind="direct" if cand.kind == "direct" else "reported",
                text=article.text[start:end],
                sentence=doc.sentence_at(start).id,
                start=start,
                end=end,
                cue=cand.cue,
                speaker=speaker,
                negation=_negation(doc, cand.cue_token),
            )
            for start, end in cand.pieces
        )
    quotes.sort(key=lambda q: (q.start, q.end))
    return [dataclasses.replace(q, id=f"{article.id}:q{n}") for n, q in enumerate(quotes, start=1)]


def _negation(doc: _Doc, v: int | None) -> str | None:
    """The words that deny what a speech verb reports: a denial verb ("denied", "rejected")
    or the verb with its negation and auxiliaries ("isn't saying", "did not say")."""
    if v is None:
        return None
    tok = doc.tokens[v]
    if tok.lemma.lower() in DENIAL_LEMMAS:
        return _cue_text(doc, v)
    negs = [c for c in doc.children[v] if doc.tokens[c].dep == "neg" and c < v]
    if not negs:
        return None
    first = min(negs)
    while first > 0 and doc.tokens[first - 1].dep == "aux" and doc.tokens[first - 1].head == v:
        first -= 1
    return doc.text[doc.tokens[first].start : doc.tokens[v].end]


def _relays_speech(
    doc: _Doc, resolver: _SpeakerResolver, cand: _Candidate, candidates: Sequence[_Candidate]
) -> bool:
    """A reported clause that is itself someone else's statement, credited to a news agency or
    outlet: the outlet reports the statement (it is a source cited) and says nothing itself."""
    if cand.kind != "reported" or cand.speaker_token is None:
        return False
    start, end = cand.pieces[0][0], cand.pieces[-1][1]
    nested = any(
        other is not cand
        and other.speaker_token is not None
        and start <= doc.tokens[other.speaker_token].start < end
        for other in candidates
    )
    return nested and _is_news_source(doc, resolver, cand.speaker_token)


def _is_news_source(doc: _Doc, resolver: _SpeakerResolver, i: int) -> bool:
    """Whether a speaker phrase names a news agency or outlet ("the news agency Balta", "the
    Tribune newspaper", "Reuters")."""
    lo, hi = resolver.mention_span(i)
    lo = min([lo, *resolver.apposed(i)])
    hi = max([hi, *resolver.apposed(i)])
    while lo > 0 and doc.tokens[lo - 1].pos in ("DET", "NOUN", "PROPN", "ADJ"):
        lo -= 1  # "the news agency Balta said", parsed as two subjects
    words = {doc.tokens[k].lemma.lower() for k in range(lo, hi + 1)}
    text = doc.text[doc.tokens[lo].start : doc.tokens[hi].end]
    return bool(words & NEWS_NOUNS) or any(
        re.search(rf"\b{re.escape(name)}\b", text) for name in WIRE_AGENCIES
    )


def _speaker(
    doc: _Doc,
    resolver: _SpeakerResolver,
    cand: _Candidate,
    spoken: Sequence[tuple[_Candidate, Speaker]],
) -> Speaker:
    """Who said a candidate: its attribution resolved, or the previous quote's speaker."""
    enclosing = _enclosing_speaker(cand, spoken)
    if cand.speaker_token is not None:
        name, mention = resolver.resolve(cand.speaker_token, enclosing=enclosing)
        if name is not None:
            tok = doc.tokens[cand.speaker_token]
            label = resolver.label_of(name)
            resolver.history.append((tok.start, name, label))
            role = tok.lemma.lower()
            if label != "PERSON" and role in PERSON_ROLES:
                gender = "m" if role in MALE_WORDS else "f" if role in FEMALE_WORDS else ""
                resolver.voices.append((tok.start, name, gender))
        return Speaker(name=name, entity=None, mention=mention)
    if cand.continues:
        prev = _previous_direct(spoken)
        if prev is not None and _sentence_gap(doc, prev[0], cand) <= 1:
            return Speaker(name=prev[1].name, entity=None, mention=None)
    return Speaker(name=None, entity=None, mention=None)


def _enclosing_speaker(
    cand: _Candidate, spoken: Sequence[tuple[_Candidate, Speaker]]
) -> str | None:
    """The speaker of the quote a nested quote or clause sits in ("I told him ...")."""
    if cand.enclosing is None:
        return None
    for other, speaker in reversed(spoken):
        if other.kind == "direct" and other.position == cand.enclosing.opened:
            return speaker.name
    return None


def _previous_direct(
    spoken: Sequence[tuple[_Candidate, Speaker]],
) -> tuple[_Candidate, Speaker] | None:
    for item in reversed(spoken):
        if item[0].kind == "direct" and item[0].enclosing is None:
            return item
    return None


def _sentence_gap(doc: _Doc, prev: _Candidate, cand: _Candidate) -> int:
    end = max(prev.pieces[-1][1], prev.attribution_end)
    return doc.sentence_at(cand.position).index - doc.sentence_at(max(end - 1, 0)).index
