"""Article + parse + quotes -> the sources an article cites.

Four kinds: news agencies (a short list of well-known wires, plus "news agency X", "X news
agency" and names like "X Agency"/"X Press" cited as reporting), other outlets (organizations
with a media word in their name cited as reporting), official bodies (ministries, police,
councils, authorities... that speak in the article's quotes or are cited with "according to"),
and documents (filings, records, memos, reports... that "show" or "say" something). An agency
source is marked ``wire_copy`` when the text carries that agency's wire furniture: a dateline
"(Agency) —", a "(Reporting by ...)" line or an agency credit line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.inputs.clean import with_credit_lines
from rashomon.lexicon import DETERMINERS, REPORTING_BY, WIRE_AGENCIES
from rashomon.models import Article, Quote, Sentence, SourceCited, SourceKind
from rashomon.nlp import ParsedText, Token, check_parse_of


def _wordset(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string."""
    return frozenset(words.split())


MEDIA_WORDS = _wordset(
    """
    times post news herald tribune journal daily gazette telegraph guardian radio tv
    television broadcasting broadcaster channel magazine reporter standard observer
    chronicle ledger courier mail express globe network newsday cnn bbc abc nbc cbs fox
    npr pbs bulletin review weekly dispatch inquirer examiner sentinel monitor
    """
)
OUTLET_NOUNS = frozenset({"newspaper", "paper", "daily", "broadcaster", "magazine", "channel"})
OFFICIAL_WORDS = _wordset(
    """
    ministry department police council authority office inspectorate institute service
    commission government court regulator survey bureau agency coastguard guard
    prosecutor prosecutors administration cabinet parliament senate congress embassy
    army military navy municipality
    """
)
OFFICIAL_AGENCY_WORDS = _wordset(
    """
    protection environment environmental energy space intelligence security health food
    drug defense defence nuclear management disaster emergency weather meteorological
    environmental revenue tax customs border transport maritime
    """
)
DOCUMENT_NOUNS = _wordset(
    """
    filing filings record records memo memorandum letter report document documents
    figures data release affidavit indictment complaint lawsuit ruling transcript
    minutes email emails study survey audit assessment
    """
)
DOCUMENT_VERBS = _wordset(
    """
    show say state indicate reveal find conclude suggest read list note cite detail
    allege describe estimate put
    """
)
REPORTING_VERBS = _wordset(
    """
    report say tell quote cite publish broadcast carry add state write confirm
    """
)
_DATELINE = re.compile(r"\(([A-Z][\w .&-]{1,40})\)\s*[-—–]")
_CREDIT = re.compile(r"(?:Copyright|©)\s*(?:\d{4}\s*)?(?:The\s+)?([A-Z][\w .&-]{1,40})")
_NAME_CHAIN = r"(?:[A-Z][\w'’.-]*\s)*[A-Z][\w'’.-]*"


@dataclass(frozen=True, slots=True)
class _Found:
    name: str
    kind: SourceKind
    start: int  # offset of the mention, for its sentence


def _sentence_of(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    found = None
    for sent in sentences:
        if sent.start <= pos:
            found = sent
    return found


def _words(name: str) -> list[str]:
    return re.findall(r"[\w-]+", name.lower())


def _is_own(name: str, own: Sequence[str]) -> bool:
    """Whether a cited name is the article's own outlet, in full or by the end of its name
    ("told the Post" in the Coastline Post)."""
    words = _words(re.sub(r"^The\s+", "", name))
    return bool(words) and words == list(own[len(own) - len(words) :])


def _agency_mentions(text: str) -> list[_Found]:
    """Well-known wires by name, and "news agency X" / "X news agency" / "X Agency"."""
    found: list[_Found] = []
    for written, canonical in WIRE_AGENCIES.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(written)}(?![\w-])", text):
            found.append(_Found(canonical, "agency", m.start()))
    patterns = (
        rf"news agency ({_NAME_CHAIN})",
        rf"({_NAME_CHAIN}) news agency",
        rf"({_NAME_CHAIN} (?:Agency|Press|Wire|News Service))\b",
    )
    for n, pattern in enumerate(patterns):
        for m in re.finditer(pattern, text):
            words = m.group(1).split()
            while words and words[0].lower() in DETERMINERS:
                words.pop(0)  # "Another news agency": no name ("The", "According to" too)
            name = " ".join(words)
            if not name or name in WIRE_AGENCIES:
                continue
            if n == 2 and not _in_citation(text, m.start(1), m.end(1)):
                continue  # "X Agency" may be any agency; only one cited as a source counts
            kind: SourceKind = "agency"
            if set(_words(name)) & OFFICIAL_AGENCY_WORDS:
                kind = "official"  # Environment Protection Agency: a public body
            found.append(_Found(name, kind, m.start(1)))
    return found


_CITED_BEFORE = re.compile(r"(?:told|according to|cited by|quoted by|citing)(?: the| an?)?\s*$")
_CITED_AFTER = re.compile(r"^(?:'s)?\s*(?:reported|reports|said|says|report|quoted|cited|wrote)\b")


def _in_citation(text: str, start: int, end: int) -> bool:
    """Whether the name at text[start:end] is cited: told X, according to X, X reported."""
    before = text[max(0, start - 30) : start]
    after = text[end : end + 30]
    return bool(_CITED_BEFORE.search(before) or _CITED_AFTER.search(after))


def _cited_organizations(parsed: ParsedText) -> list[_Found]:
    """Organizations with a media word in their name, cited as reporting or "according to"."""
    found: list[_Found] = []
    tokens = parsed.tokens
    for ent in parsed.entities:
        if ent.label not in ("ORG", "WORK_OF_ART", "GPE"):
            continue
        name = re.sub(r"^(?:the|The)\s+", "", ent.text).strip("'\"’‘“” ")
        name = re.sub(r"[’']s$", "", name)
        words = set(_words(name))
        if not words & MEDIA_WORDS or name in WIRE_AGENCIES:
            continue
        head = next(
            (k for k in range(ent.token_start, ent.token_end) if not _inside(tokens, k, ent)),
            ent.token_end - 1,
        )
        if _is_cited(tokens, head):
            found.append(_Found(name, "outlet", ent.start))
    return found


def _inside(tokens: Sequence[Token], k: int, ent: object) -> bool:
    start = getattr(ent, "token_start", 0)
    end = getattr(ent, "token_end", 0)
    return bool(start <= tokens[k].head < end and tokens[k].head != k)


def _is_cited(tokens: Sequence[Token], k: int) -> bool:
    """Subject of a reporting verb, object of "told", or after "according to"."""
    tok = tokens[k]
    if tok.dep == "appos" and tok.head != k:
        tok = tokens[tok.head]  # "the local newspaper Caldmoor Times reported"
    head = tokens[tok.head]
    if tok.dep in ("nsubj", "nsubjpass") and head.lemma.lower() in REPORTING_VERBS:
        return True
    if tok.dep == "dobj" and head.lemma.lower() in ("tell", "quote"):
        return True
    if tok.dep == "pobj" and head.text.lower() == "to":
        return tokens[head.head].text.lower() == "according"
    if tok.dep == "pobj" and head.text.lower() in ("by", "in", "on"):
        return tokens[head.head].lemma.lower() in ("report", "quote", "publish", "air", "say")
    return tok.dep in ("compound", "poss") and head.lemma.lower() in ("report", "reporter")


def _official_speakers(text: str, quotes: Sequence[Quote]) -> list[_Found]:
    """Public bodies that speak in the quotes ("the ministry said in a statement")."""
    found: list[_Found] = []
    for quote in quotes:
        name, mention = quote.speaker.name, quote.speaker.mention
        if not name or not set(_words(name)) & OFFICIAL_WORDS:
            continue
        if name not in text and mention:
            phrase = re.sub(r"^(?:the|The|a|A|an|An|its|Its)\s+", "", mention)
            if not set(_words(phrase)) & OFFICIAL_WORDS:
                continue  # "He said": a body already cited where its spokesman first spoke
            name = _official_part(phrase)
        at = text.find(name, max(0, quote.start - 400))
        found.append(_Found(name, "official", at if at >= 0 else quote.start))
    return found


def _official_part(phrase: str) -> str:
    """The body in a speaker phrase: "police spokesman" -> "police"."""
    words = phrase.split()
    last = max((k for k, w in enumerate(words) if w.lower() in OFFICIAL_WORDS), default=-1)
    return " ".join(words[: last + 1]) if last >= 0 else phrase


def _merge_short_names(found: Sequence[_Found]) -> list[_Found]:
    """ "the Post" after "the Washington Post": one source under its fuller name."""
    out = []
    for item in found:
        words = _words(item.name)
        longer = [
            other.name
            for other in found
            if other.kind == item.kind
            and len(_words(other.name)) > len(words)
            and _words(other.name)[-len(words) :] == words
        ]
        out.append(_Found(longer[0], item.kind, item.start) if longer else item)
    return out


def _official_subjects(parsed: ParsedText) -> list[_Found]:
    """Unnamed-by-entity bodies acting as sources: "Police have asked", "citing local police"."""
    found: list[_Found] = []
    tokens = parsed.tokens
    for tok in tokens:
        if tok.pos not in ("NOUN", "PROPN") or tok.lemma.lower() not in ("police", "ministry"):
            continue
        if tok.ent_type:
            continue
        head = tokens[tok.head]
        acting = tok.dep == "nsubj" and head.lemma.lower() in REPORTING_VERBS | {
            "ask",
            "urge",
            "warn",
            "announce",
            "confirm",
            "appeal",
            "arrest",
        }
        citing = tok.dep == "dobj" and head.lemma.lower() in ("cite", "quote")
        if acting or citing:
            start = _phrase_start(tokens, tok.i)
            found.append(_Found(parsed.text[start : tok.end], "official", start))
    return found


def _cited_officials(parsed: ParsedText) -> list[_Found]:
    """Organizations with an official word in their name cited as saying or "according to"."""
    found: list[_Found] = []
    for ent in parsed.entities:
        if ent.label != "ORG":
            continue
        name = re.sub(r"^(?:the|The)\s+", "", ent.text)
        if not set(_words(name)) & OFFICIAL_WORDS or set(_words(name)) & MEDIA_WORDS:
            continue
        head = next(
            (
                k
                for k in range(ent.token_start, ent.token_end)
                if not _inside(parsed.tokens, k, ent)
            ),
            ent.token_end - 1,
        )
        if _is_cited(parsed.tokens, head):
            found.append(_Found(name, "official", ent.start))
    return found


def _documents(text: str, parsed: ParsedText, named: Sequence[_Found]) -> list[_Found]:
    """Documents that show or say something: "a court filing shows", "according to records"."""
    tokens = parsed.tokens
    found: list[_Found] = []
    for tok in tokens:
        if tok.pos != "NOUN" or tok.text.lower() not in DOCUMENT_NOUNS:
            continue
        if not _is_document_cited(tokens, tok):
            continue
        start = _phrase_start(tokens, tok.i)
        if start == tok.start and tok.i > 0 and tokens[tok.i - 1].text.lower() == "the":
            continue  # "the report said": a document named earlier, usually by its source
        name = re.sub(r"^(?:the|The|a|A|an|An)\s+", "", text[start : tok.end])
        if any(n.name in name for n in named):
            continue  # "a Northwind Agency report": the agency is the source
        found.append(_Found(name, "document", start))
    return found


def _is_document_cited(tokens: Sequence[Token], tok: Token) -> bool:
    head = tokens[tok.head]
    if tok.dep in ("nsubj", "nsubjpass") and head.lemma.lower() in DOCUMENT_VERBS:
        return True
    if tok.dep == "pobj" and head.text.lower() == "to":
        return tokens[head.head].text.lower() == "according"
    return (
        tok.dep == "pobj"
        and head.text.lower() == "in"
        and tokens[head.head].lemma.lower() in ("say", "state", "write")
        and tok.lemma.lower() not in ("statement",)
    )


def _phrase_start(tokens: Sequence[Token], i: int) -> int:
    """Offset of the first modifier of a noun (compounds, adjectives, possessors)."""
    lo = i
    for k in range(i - 1, -1, -1):
        dep = tokens[k].dep
        if tokens[k].head in range(k + 1, i + 1) and dep in (
            "compound",
            "amod",
            "poss",
            "case",
            "det",
            "nmod",
        ):
            lo = k
        else:
            break
    while lo < i and tokens[lo].dep == "det":
        lo += 1
    return tokens[lo].start


def _wire_agencies(text: str, cited: Sequence[_Found]) -> list[_Found]:
    """Agencies whose wire furniture (dateline, reporting line, credit) the text carries."""
    agencies = {f.name for f in cited if f.kind == "agency"}
    found: list[_Found] = []
    for m in _DATELINE.finditer(text[:600]):
        name = WIRE_AGENCIES.get(m.group(1).strip(), m.group(1).strip())
        if name in agencies or m.group(1).strip() in WIRE_AGENCIES:
            found.append(_Found(name, "agency", m.start(1)))
    for m in _CREDIT.finditer(text):
        for written, canonical in WIRE_AGENCIES.items():
            if m.group(1).startswith(written):
                found.append(_Found(canonical, "agency", m.start(1)))
    reporting = REPORTING_BY.search(text)
    if reporting is not None and len(agencies) == 1:
        found.append(_Found(next(iter(agencies)), "agency", reporting.start()))
    return found


def find_sources(
    article: Article, parsed: ParsedText, quotes: Sequence[Quote]
) -> list[SourceCited]:
    """Agencies, outlets, official bodies and documents an article cites.

    Args:
        article: a segmented article (its sentences set).
        parsed: the parse of ``article.text``.
        quotes: the article's quotes (``extract_quotes``); official speakers come from them.

    Returns:
        One record per source (name as written, first form seen), in order of first mention.
    """
    check_parse_of(article.text, parsed, article.id)
    text = article.text
    own = _words(re.sub(r"^The\s+", "", article.outlet))
    named = [*_agency_mentions(text), *_cited_organizations(parsed)]
    named = [f for f in named if not _is_own(f.name, own)]  # an outlet does not cite itself
    agencies = {f.name.lower() for f in named if f.kind == "agency"}
    officials = _official_speakers(text, quotes) + _cited_officials(parsed)
    named += [f for f in officials if f.name.lower() not in agencies]
    named += _official_subjects(parsed)
    named += _documents(text, parsed, named)
    wires = _wire_agencies(with_credit_lines(article), named)
    wire_names = {w.name for w in wires}
    order: list[tuple[str, SourceKind]] = []
    names: dict[tuple[str, SourceKind], str] = {}
    sentences: dict[tuple[str, SourceKind], list[str]] = {}
    for item in sorted(_merge_short_names([*named, *wires]), key=lambda f: f.start):
        key = (item.name.lower(), item.kind)
        if key not in names:
            order.append(key)
            names[key] = item.name
            sentences[key] = []
        # a credit line taken off the end of the text is in no sentence
        sent = _sentence_of(article.sentences, item.start) if item.start < len(text) else None
        if sent is not None and sent.id not in sentences[key]:
            sentences[key].append(sent.id)
    return [
        SourceCited(
            article=article.id,
            name=names[key],
            kind=key[1],
            sentences=tuple(sentences[key]),
            wire_copy=key[1] == "agency" and names[key] in wire_names,
        )
        for key in order
    ]
