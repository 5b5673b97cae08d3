"""Entity mentions -> entities: names grouped within and across articles, and each outlet's labels.

The grouping works from the texts alone (no knowledge base is available offline), as ordered
passes in the spirit of a multi-pass sieve, from the most to the least precise:

1. within each article, mentions with the same key merge. A key is the folded words of a
   name without "the", possessives, "Jr."/"Inc.", a nickname in quotes, a description after a
   comma or preposition ("Christchurch, New Zealand"), an owner ("Indonesia's Aceh") and, for
   people, titles ("President Okafor"); an alias map may rewrite keys;
2. within each article, a short name ("Okafor", "Department of Justice") joins the nearest name
   it starts or ends ("Maria Okafor", "Texas Department of Justice", but not "South Sudan"),
   and an acronym joins the name whose initials it spells;
3. across articles, the same keys merge; then names that are spelling variants (Qaddafi /
   Gadhafi, Kyiv / Kiev: same sound key or consonants, or a high rapidfuzz ratio), forms of one
   full name ("Fred LaRue" / "Frederick C. LaRue"), and short names or acronyms with a single
   longer name in the story ("NLF" / "National Liberation Front");
4. a pronoun (when the caller's mentions include any) joins the nearest earlier mention with
   its label in its article that agrees in number and gender.

No merge joins two clusters that hold different full names ("John Smith" / "Mary Smith"), two
genders ("Mr." / "Mrs.") or two labels (GPE and LOC excepted: spaCy swaps them for one place).

``find_entities`` feeds it spaCy's names, plus untagged repeats of names spaCy tagged elsewhere
in the story and acronyms defined in the text, and reads each outlet's labels for each entity
from the dependency parse.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence

from rashomon.models import Article, Entity, Mention
from rashomon.nlp import ParsedText, Token
from rashomon.text import fold
from rashomon.who.names import (
    _ACRONYM,
    _PLACE_TYPES,
    _POSSESSIVE,
    _TITLES,
    _WORD,
    ENTITY_LABELS,
    MentionText,
    _describe,
    _fold_aliases,
    _Info,
    _is_part,
    _labels_match,
    _names_agree,
    _words,
    defined_acronyms,
    is_acronym_of,
    is_same_full_name,
    is_variant_name,
    name_key,
    surnames_of_one_person,
)


def _genders(text: str) -> set[str]:
    """The gender a pronoun or a courtesy title shows ("she", "Mrs. Okafor"), if any."""
    words = [fold(w) for w in _WORD.findall(text)]
    first = _GENDER.get(words[0]) if words else None
    return {first} if first else set()


class _Clusters:
    """Union-find over mention indices, remembering each cluster's names and labels."""

    def __init__(self, infos: Sequence[_Info], mentions: Sequence[MentionText]) -> None:
        self.parent = list(range(len(infos)))
        self.names: dict[int, set[tuple[str, ...]]] = {
            i: {info.key, *info.also} if info.kind == "name" and info.key else set()
            for i, info in enumerate(infos)
        }
        self.labels: dict[int, set[str]] = {i: {m.label} for i, m in enumerate(mentions)}
        self.genders: dict[int, set[str]] = {i: _genders(m.text) for i, m in enumerate(mentions)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def full_names(self, root: int) -> list[tuple[str, ...]]:
        names = self.names[root]
        return [n for n in names if not any(_is_part(n, other) for other in names)]

    def can_merge(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not all(_labels_match(x, y) for x in self.labels[ra] for y in self.labels[rb]):
            return False
        if len(self.genders[ra] | self.genders[rb]) > 1:
            return False  # "Mr. Smith" and "Mrs. Smith"
        left = [n for n in self.full_names(ra) if len(n) > 1]
        right = [n for n in self.full_names(rb) if len(n) > 1]
        if not left or not right:
            return True
        # Different full names ("John Smith", "Mary Smith") keep two clusters apart; a cluster
        # may hold several (a full name and a nickname form), so one agreeing pair will do.
        return any(_names_agree(x, y) for x in left for y in right)

    def merge(self, a: int, b: int) -> bool:
        if not self.can_merge(a, b):
            return False
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.names[ra] |= self.names.pop(rb)
            self.labels[ra] |= self.labels.pop(rb)
            self.genders[ra] |= self.genders.pop(rb)
        return True

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return sorted(out.values())


def group_mentions(
    mentions: Sequence[MentionText],
    *,
    aliases: Mapping[str, str] | None = None,
    person_labels: Collection[str] = ("PERSON",),
    resolve_pronouns: bool = True,
) -> list[list[int]]:
    """Group mentions that name the same entity; returns a partition of the indices.

    Args:
        mentions: the mentions of one story (one or more documents).
        aliases: variant -> canonical name, e.g. from an alias file; matched on folded words.
        person_labels: the labels of people, whose names lose their titles when matched
            ("President Okafor" / "Okafor").
        resolve_pronouns: join each pronoun to the nearest earlier mention with its label in
            its document; otherwise pronouns stay alone.

    Returns:
        Clusters of indices into ``mentions``, each sorted, ordered by their first index.
    """
    folded_aliases = _fold_aliases(aliases)
    infos = [_describe(m, folded_aliases, person_labels) for m in mentions]
    clusters = _Clusters(infos, mentions)
    # Each document settles its own short names ("Smith" -> "John Smith") before anything
    # crosses documents, so a short name cannot bridge two documents that mean different people.
    _merge_same_key(mentions, infos, clusters, across_docs=False)
    _merge_parts_within_docs(mentions, infos, clusters)
    _merge_same_key(mentions, infos, clusters, across_docs=True)
    _merge_variants(mentions, infos, clusters)
    if resolve_pronouns:
        _merge_pronouns(mentions, infos, clusters)
    return clusters.groups()


def _merge_same_key(
    mentions: Sequence[MentionText],
    infos: Sequence[_Info],
    clusters: _Clusters,
    *,
    across_docs: bool,
) -> None:
    first: dict[tuple[object, ...], int] = {}
    for i, (m, info) in enumerate(zip(mentions, infos, strict=True)):
        if info.kind == "pronoun" or not info.key:
            continue
        label = "GPE" if m.label == "LOC" else m.label
        for words in (info.key, *info.also):
            key = (label, words, "" if across_docs else m.doc)
            if key in first:
                clusters.merge(first[key], i)
            else:
                first[key] = i


def _merge_parts_within_docs(
    mentions: Sequence[MentionText], infos: Sequence[_Info], clusters: _Clusters
) -> None:
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, info in enumerate(infos):
        if info.kind == "name":
            by_doc[mentions[i].doc].append(i)
    for members in by_doc.values():
        for i in members:
            short = infos[i].key
            candidates = [
                j
                for j in members
                if _labels_match(mentions[i].label, mentions[j].label)
                and (
                    short in infos[j].also
                    or any(_is_part(short, k, start=True) for k in (infos[j].key, *infos[j].also))
                )
            ]
            # A short name that fits two people of the article ("Jenkin" beside "John Jenkin"
            # and his sister "Katie Jenkin") joins neither: a wrong join costs more than a
            # missed one, and nearness does not tell which one is meant.
            if candidates and len({clusters.find(j) for j in candidates}) == 1:
                clusters.merge(candidates[0], i)
        _merge_acronyms(members, mentions, infos, clusters)


def _merge_acronyms(
    members: Iterable[int],
    mentions: Sequence[MentionText],
    infos: Sequence[_Info],
    clusters: _Clusters,
) -> None:
    members = list(members)
    for i in members:
        text = mentions[i].text.strip()
        if not _ACRONYM.match(text):
            continue
        for j in members:
            if i != j and is_acronym_of(text, _words_of(mentions[j].text)) and clusters.merge(j, i):
                break


def _words_of(text: str) -> list[str]:
    # A leading "The" stays: "THR" is The Hollywood Reporter (it may also be skipped).
    words = [_POSSESSIVE.sub("", w) for w in _WORD.findall(text)]
    return [w for w in words if w]


def _merge_variants(
    mentions: Sequence[MentionText], infos: Sequence[_Info], clusters: _Clusters
) -> None:
    """Merge clusters across documents whose names are variants, parts or acronyms.

    A short name joins a longer one only when the story has a single cluster it fits: "Smith"
    stays apart when both "John Smith" and "Mary Smith" are in the story.
    """
    representative: dict[tuple[str, tuple[str, ...]], int] = {}
    for i, info in enumerate(infos):
        if info.kind == "name" and info.key:
            for key in (info.key, *info.also):
                representative.setdefault((mentions[i].label, key), i)
    keys = sorted(representative, key=lambda k: (-len(k[1]), k))
    for label_a, key_a in keys:
        i = representative[(label_a, key_a)]
        longer: set[int] = set()
        for label_b, key_b in keys:
            j = representative[(label_b, key_b)]
            if key_a == key_b or not _labels_match(label_a, label_b):
                continue
            if is_variant_name(key_a, key_b) or is_same_full_name(key_a, key_b):
                clusters.merge(i, j)
            elif _is_part(key_a, key_b, start=True) or _is_acronym_mention(
                mentions[i].text, mentions[j].text
            ):
                longer.add(clusters.find(j))
        if len(longer) == 1:
            clusters.merge(longer.pop(), i)


def _is_acronym_mention(short: str, long: str) -> bool:
    short = short.strip()
    return bool(_ACRONYM.match(short)) and is_acronym_of(short, _words_of(long))


_SINGULAR = _words("he him his himself she her hers herself it its itself")
_PLURAL = _words("they them their theirs themselves")
_RELATIVE = _words("who whom whose which that where when")
MAX_RELATIVE_GAP = 40  # characters between a relative pronoun and the mention it follows
_GENDER = {
    **dict.fromkeys(("he", "him", "his", "himself", "mr", "messrs"), "m"),
    **dict.fromkeys(("she", "her", "hers", "herself", "mrs", "ms", "miss"), "f"),
}


def _is_plural(info: _Info) -> bool:
    last = info.key[-1] if info.key else ""
    return info.kind == "nominal" and last.endswith("s") and not last.endswith("ss")


def _merge_pronouns(
    mentions: Sequence[MentionText], infos: Sequence[_Info], clusters: _Clusters
) -> None:
    """Join a pronoun to the nearest earlier mention of its label that agrees with it.

    Agreement is in number, and in gender once the candidate's cluster has shown one (an
    earlier "he", or "Mrs."). A relative pronoun ("who", "where") joins the mention just before
    it. First and second person pronouns stay alone: in news they belong to quotations whose
    speaker is a separate question (the quotes stage answers it).
    """
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].doc, mentions[i].position))
    previous: list[int] = []  # non-pronoun mentions of the current document, in order
    for i in order:
        m, info = mentions[i], infos[i]
        if previous and mentions[previous[-1]].doc != m.doc:
            previous = []
        if info.kind != "pronoun":
            previous.append(i)
            continue
        candidates = [j for j in reversed(previous) if mentions[j].label == m.label]
        target = _antecedent(i, candidates, mentions, infos, clusters)
        if target is not None:
            clusters.merge(target, i)


def _antecedent(
    i: int,
    candidates: Sequence[int],
    mentions: Sequence[MentionText],
    infos: Sequence[_Info],
    clusters: _Clusters,
) -> int | None:
    word = infos[i].key[0]
    if word in _RELATIVE:
        gap = MAX_RELATIVE_GAP
        near = [
            j
            for j in candidates[:1]
            if mentions[i].position - mentions[j].position <= gap + len(mentions[j].text)
        ]
        return near[0] if near else None
    gender = _GENDER.get(word)
    agreeing = [
        j for j in candidates if gender is None or clusters.genders[clusters.find(j)] <= {gender}
    ]
    if word in _SINGULAR:
        named = [j for j in agreeing if infos[j].kind == "name"]
        return next(iter(named), next((j for j in agreeing if not _is_plural(infos[j])), None))
    if word in _PLURAL:
        return next((j for j in agreeing if _is_plural(infos[j]) or infos[j].kind == "name"), None)
    return None


# finance minister", "head of the agency"); relative clauses and the like are left out.
_PHRASE_DEPS = frozenset(
    {"det", "amod", "compound", "nmod", "poss", "case", "cc", "conj", "nummod", "quantmod"}
    | {"advmod", "npadvmod", "prep", "pobj", "hyph", "punct"}
)
_COURTESY = frozenset({"mr", "mrs", "ms", "miss", "mx", "messrs"})
_TITLE_DEPS = frozenset({"compound", "amod", "nmod", "nummod", "punct"})
MAX_DESCRIPTOR_WORDS = 10
_DEMONSTRATIVES = _words("this that these those")
# Nouns that name the kind of thing a name is, in "the <kind> of <Name>".
_KIND_NOUNS = _PLACE_TYPES | _words(
    "port republic kingdom country nation group organization organisation movement "
    "party company firm militia faction"
)


def find_entities(
    articles: Sequence[Article],
    parsed: Sequence[ParsedText],
    *,
    outlets: Sequence[str] | None = None,
    aliases: Mapping[str, str] | None = None,
) -> list[Entity]:
    """The people, organizations, places and groups named in the articles, grouped.

    Args:
        articles: segmented articles (with sentences) of one story.
        parsed: the parse of each article's text, in the same order.
        outlets: the outlet to show for each article (defaults to ``article.outlet``).
        aliases: variant -> canonical name, e.g. from ``parse_aliases``.

    Returns:
        Entities, most mentioned first; ``labels_by_outlet`` lists, for every outlet that names
        the entity, the descriptors it attaches (appositions, titles, "the militant group").

    Raises:
        ValueError: a parse of another text, or an article without sentences.
    """
    if len(parsed) != len(articles) or (outlets is not None and len(outlets) != len(articles)):
        raise ValueError("find_entities needs one parse (and one outlet) per article")
    outlet_of: dict[str, str] = {}
    local_aliases: dict[str, str] = {}
    spans: list[list[tuple[int, int, str]]] = []
    for n, (article, parse) in enumerate(zip(articles, parsed, strict=True)):
        if parse.text != article.text or not article.sentences:
            raise ValueError(f"article {article.id} needs its own parse and its sentences")
        outlet_of[article.id] = outlets[n] if outlets is not None else article.outlet
        spans.append(_name_spans(parse))
        for short, long in _acronyms_after_names(parse, spans[-1]).items():
            local_aliases.setdefault(short, long)
        for short, long in defined_acronyms(article.text).items():
            local_aliases.setdefault(short, long)
    known = _known_names(parsed, spans)
    found: list[tuple[Mention, str, tuple[str, ...]]] = []  # mention, label, descriptors
    for article, parse, tagged in zip(articles, parsed, spans, strict=True):
        untagged = _untagged_spans(parse, tagged, known)
        found.extend(_article_mentions(article, parse, sorted(tagged + untagged)))
    labels = _surnames_as_people(_voted_labels([(m.text, label) for m, label, _ in found]))
    texts = [
        MentionText(
            text=m.text, label=labels[m.text], doc=m.article, position=m.start, is_name=True
        )
        for m, _, _ in found
    ]
    groups = group_mentions(texts, aliases={**local_aliases, **(aliases or {})})
    entities = [
        _entity([found[i] for i in g], [texts[i].label for i in g], outlet_of) for g in groups
    ]
    return _unique_ids(sorted(entities, key=lambda e: (-len(e.mentions), e.name, e.id)))


def _voted_labels(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """One label per name: the one spaCy gave it most often in the story.

    The small spaCy model calls the same name PERSON in one sentence and ORG in the next; a
    name that differs only by label must not become two entities. Ties go alphabetically.
    """
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for text, label in pairs:
        votes[name_key(text)][label] += 1
    best = {key: min(c, key=lambda lab: (-c[lab], lab)) for key, c in votes.items()}
    return {text: best[name_key(text)] for text, _ in pairs}


def _surnames_as_people(labels: dict[str, str]) -> dict[str, str]:
    """A bare surname taken for an organization or a place that is the surname of exactly one
    person named in full in the story is that person: one entity."""
    people = surnames_of_one_person(labels.items())
    return {text: "PERSON" if fold(text) in people else label for text, label in labels.items()}


def _name_spans(parse: ParsedText) -> list[tuple[int, int, str]]:
    """Token spans of spaCy's names, without a leading "the".

    A span with no capital letter ("committee") is a tagging slip, not a name.
    """
    out = []
    for span in parse.entities:
        if span.label not in ENTITY_LABELS or not any(ch.isupper() for ch in span.text):
            continue
        if _is_time_zone(parse, span.token_start, span.token_end):
            continue  # "(1336 GMT)": part of a clock time, not an organization
        first = span.token_start
        while first < span.token_end - 1 and parse.tokens[first].pos == "DET":
            first += 1  # "the United Nations" -> "United Nations"
        out.append((first, span.token_end, span.label))
    return out


_TIME_ZONE = re.compile(r"(?:[A-Z]{1,4}T|UTC)")
_CLOCK = re.compile(r"\d|(?i:[ap]\.?m\.?)$")


def _is_time_zone(parse: ParsedText, start: int, end: int) -> bool:
    """A one-word span shaped like a time zone (GMT, EDT, UTC) right after a clock time."""
    if end - start != 1 or start == 0:
        return False
    word, before = parse.tokens[start].text, parse.tokens[start - 1].text
    return _TIME_ZONE.fullmatch(word) is not None and _CLOCK.search(before) is not None


_PARENTHESISED_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Z.&]{1,9})\s*\)")


def _acronyms_after_names(
    parse: ParsedText, spans: Sequence[tuple[int, int, str]]
) -> dict[str, str]:
    """ "Doctors Without Borders (MSF)": an acronym in parentheses right after a name stands
    for it, whether or not its letters are the name's initials (MSF is French)."""
    found: dict[str, str] = {}
    for start, end, _ in spans:
        after = _PARENTHESISED_ACRONYM.match(parse.text, parse.tokens[end - 1].end)
        if after is not None:
            found.setdefault(after.group(1), _span_text(parse, start, end))
    return found


def _span_text(parse: ParsedText, start: int, end: int) -> str:
    return parse.text[parse.tokens[start].start : parse.tokens[end - 1].end]


def _known_names(
    parsed: Sequence[ParsedText], spans: Sequence[Sequence[tuple[int, int, str]]]
) -> dict[tuple[str, ...], str]:
    """Names spaCy found somewhere in the story, and the surnames of its full person names."""
    pairs = [
        (_span_text(parse, a, b), label)
        for parse, found in zip(parsed, spans, strict=True)
        for a, b, label in found
    ]
    labels = _voted_labels(pairs)
    known = {name_key(text): labels[text] for text, _ in pairs}
    surnames: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for key, label in known.items():
        if label == "PERSON" and len(key) > 1:
            surnames[key[-1:]].add(" ".join(key))
    for surname, owners in surnames.items():
        if len(owners) == 1:  # "Smith" with both John and Mary Smith around is left alone
            known.setdefault(surname, "PERSON")
    return known


def _untagged_spans(
    parse: ParsedText, tagged: Sequence[tuple[int, int, str]], known: Mapping[tuple[str, ...], str]
) -> list[tuple[int, int, str]]:
    """Runs of proper nouns the model left untagged that spell a name it tagged elsewhere.

    The small spaCy model finds "Maria Okafor" in one sentence and misses "Okafor" in the next.
    """
    covered = {i for a, b, _ in tagged for i in range(a, b)}
    out: list[tuple[int, int, str]] = []
    i = 0
    tokens = parse.tokens
    while i < len(tokens):
        if tokens[i].pos != "PROPN" or i in covered or not tokens[i].text[:1].isupper():
            i += 1
            continue
        j = i
        while (
            j < len(tokens)
            and tokens[j].pos == "PROPN"
            and j not in covered
            and tokens[j].text[:1].isupper()
        ):
            j += 1
        # The longest known tail: "Later Okafor" when the run took in a capitalised word.
        for k in range(i, j):
            label = known.get(name_key(_span_text(parse, k, j)))
            if label is not None:
                out.append((k, j, label))
                break
        i = j
    return out


def _article_mentions(
    article: Article, parse: ParsedText, spans: Sequence[tuple[int, int, str]]
) -> list[tuple[Mention, str, tuple[str, ...]]]:
    children: dict[int, list[int]] = defaultdict(list)
    for tok in parse.tokens:
        if tok.head != tok.i:
            children[tok.head].append(tok.i)
    starts = [s.start for s in article.sentences]
    out = []
    for first, last, label in spans:
        start, end = parse.tokens[first].start, parse.tokens[last - 1].end
        sentence = article.sentences[max(bisect.bisect_right(starts, start) - 1, 0)]
        mention = Mention(
            article=article.id,
            sentence=sentence.id,
            text=article.text[start:end],
            start=start,
            end=end,
        )
        out.append((mention, label, _descriptors(parse.tokens, children, range(first, last))))
    return out


def _descriptors(
    tokens: Sequence[Token], children: Mapping[int, Sequence[int]], span: range
) -> tuple[str, ...]:
    """Titles before a name, its appositions, and the noun it is in apposition to."""
    head = next((i for i in span if tokens[i].head not in span or tokens[i].head == i), span[-1])
    found: list[list[int]] = []
    title = _title_before(tokens, span)
    if title:
        found.append(title)
    for child in children.get(head, ()):
        if (
            tokens[child].dep == "appos"
            and child not in span
            and tokens[child].pos in ("NOUN", "ADJ")
        ):
            found.append(_phrase(tokens, children, child, exclude=span))
    parent = tokens[head].head
    if tokens[head].dep == "appos" and parent not in span and tokens[parent].pos == "NOUN":
        found.append(_phrase(tokens, children, parent, exclude=_subtree(children, head)))
    # "the rebel-held city of Aleppo": the name is the object of "of" right after a noun that
    # names its kind ("the streets of Khartoum" and "the governor of Unity State" do not).
    if (
        tokens[head].dep == "pobj"
        and parent == span.start - 1
        and fold(tokens[parent].text) == "of"
    ):
        noun = tokens[parent].head
        dets = [fold(tokens[c].text) for c in children.get(noun, ()) if tokens[c].dep == "det"]
        # "another region of South Sudan" is a part of it, "the region of Abyei" is Abyei.
        if noun == parent - 1 and fold(tokens[noun].lemma) in _KIND_NOUNS and dets in ([], ["the"]):
            found.append(_phrase(tokens, children, noun, exclude=_subtree(children, parent)))
    texts = (_phrase_text(tokens, ids) for ids in found)
    return tuple(t for t in texts if t)


def _title_before(tokens: Sequence[Token], span: range) -> list[int]:
    """Tokens just before a name that modify it: "Deputy Prime Minister", "Texas Gov."."""
    run: list[int] = []
    j = span.start - 1
    while j >= 0 and tokens[j].dep in _TITLE_DEPS and _reaches(tokens, j, span):
        run.insert(0, j)
        j -= 1
    if all(tokens[i].ent_type in ("PERSON", "ORG") or tokens[i].is_punct for i in run):
        return []  # another name, not a title
    if all(_POSSESSIVE.sub("", fold(tokens[i].text)).rstrip(".") in _COURTESY for i in run):
        return []  # "Ms." says nothing about how an outlet sees her
    if j >= 0 and tokens[j].dep == "det" and _reaches(tokens, j, span):
        run.insert(0, j)  # "the aid group MSF", like "MSF, the aid group"
    return run


def _reaches(tokens: Sequence[Token], i: int, span: range) -> bool:
    for _ in range(len(tokens)):
        if i in span:
            return True
        parent = tokens[i].head
        if parent == i or parent < i:
            return False  # titles sit left of the name and point rightwards to it
        i = parent
    return False


def _subtree(children: Mapping[int, Sequence[int]], root: int) -> set[int]:
    seen, todo = set(), [root]
    while todo:
        node = todo.pop()
        seen.add(node)
        todo.extend(children.get(node, ()))
    return seen


def _phrase(
    tokens: Sequence[Token],
    children: Mapping[int, Sequence[int]],
    root: int,
    *,
    exclude: Iterable[int],
) -> list[int]:
    """The contiguous noun phrase around ``root``, without clauses and the excluded tokens."""
    banned = set(exclude)
    keep, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in banned and tokens[child].dep in _PHRASE_DEPS:
                keep.add(child)
                todo.append(child)
    lo = hi = root
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    return list(range(lo, hi + 1))


def _phrase_text(tokens: Sequence[Token], ids: Sequence[int]) -> str:
    ids = list(ids)
    while ids and tokens[ids[0]].is_punct:
        ids.pop(0)
    while ids and tokens[ids[-1]].is_punct:
        ids.pop()
    words = [t for t in (tokens[i] for i in ids) if not t.is_punct]
    if (
        not ids
        or len(words) > MAX_DESCRIPTOR_WORDS
        or not any(t.pos in ("NOUN", "PROPN") for t in words)  # "newly independent" is no label
        or fold(words[0].text) in _DEMONSTRATIVES  # "these people (Khartoum)" points, not labels
    ):
        return ""
    parts = []
    for i in ids:
        tok = tokens[i]
        text = tok.text.lower() if i == ids[0] and tok.pos == "DET" else tok.text
        parts.append(text + (" " if tok.whitespace and i != ids[-1] else ""))
    return "".join(parts)


def _has_title(text: str) -> bool:
    words = _WORD.findall(fold(text))
    return bool(words) and words[0] in _TITLES


def _display(text: str) -> str:
    return (
        _POSSESSIVE.sub("", text.strip()) if text.strip().endswith(("'s", "’s")) else text.strip()
    )


def _entity(
    found: Sequence[tuple[Mention, str, tuple[str, ...]]],
    labels: Sequence[str],
    outlet_of: Mapping[str, str],
) -> Entity:
    forms = Counter(_display(m.text) for m, _, _ in found)
    # The most complete form, then the most used; "Gary Hargrove" before "Coroner Gary Hargrove"
    # and "Comeaux Jr." before "Comeaux" when they are used as often.
    name = min(forms, key=lambda f: (-len(name_key(f)), -forms[f], _has_title(f), -len(f), f))
    label_votes = Counter(labels)
    label = min(label_votes, key=lambda lab: (-label_votes[lab], lab))
    by_outlet: dict[str, set[str]] = defaultdict(set)
    for mention, _, descriptors in found:
        by_outlet[outlet_of[mention.article]].update(descriptors)
    mentions = sorted((m for m, _, _ in found), key=lambda m: (m.article, m.start))
    return Entity(
        id=_entity_id(label, name),
        name=name,
        label=label,
        variants=tuple(sorted({m.text for m in mentions})),
        mentions=tuple(mentions),
        labels_by_outlet=tuple(
            (outlet, tuple(sorted(d, key=lambda s: (fold(s), s))))
            for outlet, d in sorted(by_outlet.items())
        ),
    )


def _entity_id(label: str, name: str, salt: str = "") -> str:
    digest = hashlib.blake2b(
        f"{label}|{' '.join(name_key(name)) or fold(name)}|{salt}".encode(), digest_size=5
    )
    return "e" + digest.hexdigest()


def _unique_ids(entities: Sequence[Entity]) -> list[Entity]:
    """Two entities with one name (two different "Smith"s) get ids salted by their first mention."""
    counts = Counter(e.id for e in entities)
    out = []
    for e in entities:
        if counts[e.id] > 1:
            first = e.mentions[0]
            e = dataclasses.replace(
                e, id=_entity_id(e.label, e.name, f"{first.article}:{first.start}")
            )
        out.append(e)
    return out
