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
import csv
import dataclasses
import hashlib
import io
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import yaml
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import ratio

from rashomon.analyze.features import fold
from rashomon.errors import InputError
from rashomon.models import Article, Entity, Mention
from rashomon.nlp import ParsedText, Token

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
_COMPATIBLE = {frozenset({"GPE", "LOC"})}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that name a role or courtesy before a name; dropped from the matching key only.
_TITLES = _words(
    "mr mrs ms miss mx dr prof sir dame lord lady rev father sister brother president vice "
    "deputy prime minister premier chancellor secretary general gen lt col maj capt sgt cpl "
    "adm cmdr gov governor sen senator rep representative congressman congresswoman mayor "
    "judge justice chief king queen prince princess sheikh pope bishop cardinal ambassador "
    "commissioner chairman chairwoman chair ceo director inspector officer detective sheriff "
    "attorney foreign interior defence defense finance state former acting late dep coach "
    "actor actress singer star rapper president-elect coroner spokesman spokeswoman "
    "spokesperson lawyer professor doctor pastor rabbi imam cleric commander colonel captain "
    "lieutenant sergeant corporal admiral marshal constable superintendent"
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "inc", "ltd", "corp", "co", "llc", "plc"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_PREPOSITIONS = _words(
    "in on at to from into onto outside inside near of for by with during since until after "
    "before about around through across toward towards off over under within along beyond "
    "between among throughout"
)
_FUNCTION_WORDS = frozenset({"of", "and", "the", "for", "de", "du", "des", "la", "le", "&"})
_PRONOUNS = _words(
    "he him his himself she her hers herself it its itself they them their theirs themselves "
    "i me my mine myself we us our ours ourselves you your yours yourself yourselves who whom "
    "whose which that where when"
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s?$")
_ACRONYM = re.compile(r"^[A-Z][A-Z.&]{1,9}$")
# "National Liberation Front (NLF)": a run of capitalised words (function words allowed inside)
# followed by a parenthesised all-capitals word.
_DEFINED_ACRONYM = re.compile(
    r"((?:[A-Z][\w'’.-]*\s+)(?:(?:of|and|for|the|de|&)\s+|[A-Z][\w'’.-]*\s+)*[A-Z][\w'’.-]*)"
    r"\s*\(\s*([A-Z][A-Za-z.&]{1,9})\s*\)"
)

# Spelling variants of one word. Plain thresholds do badly on the ECB+ dev stories
# (benchmarks/eval_entities.py --pairs: Jaro-Winkler >= 0.9 passes 14 pairs of one entity and
# 15 of two, mostly plurals and "Brooklyn"/"Brooklynites"), so a variant must first share a sound
# key or its consonants; the plain ratio is kept for long words only, where 90 passed one
# plural pair ("marshal"/"marshals"), which the plural guard now stops.
MIN_VARIANT_RATIO = 90.0  # rapidfuzz ratio of two folded words of 6+ letters
MIN_SOUND_JARO_WINKLER = 0.7  # for words whose sound keys agree (Qaddafi/Gadhafi: 0.81)
MIN_VARIANT_JARO_WINKLER = 0.85  # for words whose consonants agree (Mohammed/Muhammad: 0.85)


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionText:
    """What the grouping needs to know about one mention.

    ``position`` orders mentions within their document (a character offset will do).
    ``is_name`` says whether the mention is a proper name; None lets the grouping guess it
    from capitalisation.
    """

    text: str
    label: str
    doc: str
    position: int = 0
    is_name: bool | None = None


@dataclass(slots=True)
class _Info:
    key: tuple[str, ...]  # matching words
    kind: Literal["name", "nominal", "pronoun"]
    person: bool = False
    also: tuple[tuple[str, ...], ...] = ()  # other keys, e.g. nickname + surname


# A nickname inside a name: Luis "Jerry" Ortiz, Kimani 'Kiki' Gray, Kimani (Kiki) Gray.
_NICKNAME = re.compile(r"""\s["“'‘(]((?:[Tt]he\s)?[A-Z][\w.-]*)["”'’)](?=\s)""")
# Where the name ends and its description begins: "Christchurch, New Zealand",
# "the Stiles Unit in Beaumont", "Qeshm island off Iran's coast".
_NAME_END = re.compile(r",|\s(?:in|on|at|near|off|outside|from|into|who|which|that)\s")


def _name_core(text: str) -> str:
    nickname_free = _NICKNAME.sub("", text)
    words = nickname_free.split()
    skip = 0
    while skip < len(words) and fold(words[skip]) in _DETERMINERS | _PREPOSITIONS:
        skip += 1
    head = " ".join(words[skip:])
    end = _NAME_END.search(head)
    head = head[: end.start()] if end and end.start() > 0 else head
    # "New Zealand's Aoraki Mount Cook National Park" names the park, not New Zealand.
    owner = _OWNER.match(head)
    return head[owner.end() :] if owner else head


_OWNER = re.compile(r"^.*?\S['’]s?\s+(?=\S)")


def _nicknamed(text: str) -> tuple[str, ...]:
    """The nickname-and-surname form of a name with a nickname ("Jerry Ortiz")."""
    match = _NICKNAME.search(text)
    if match is None:
        return ()
    surname = name_key(text)[-1:] if name_key(text) else ()
    return (*name_key(match.group(1), person=False), *surname)


def name_key(
    text: str, *, person: bool = True, aliases: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """Folded words of a name without determiners, possessives, suffixes and (for a person)
    titles: "President Maria Okafor's" -> ("maria", "okafor").

    A nickname in quotes or parentheses and a description after a comma or a preposition
    ("Christchurch, New Zealand"; "the Stiles Unit in Beaumont") are left out.
    """
    words = [_POSSESSIVE.sub("", w) for w in _WORD.findall(fold(_name_core(text)))]
    words = [_ABBREVIATIONS.get(w, w) for w in _join_initials([w for w in words if w])]
    while words and (words[0] in _DETERMINERS or words[0] in _PREPOSITIONS):
        words.pop(0)
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    canonical = aliases.get(" ".join(words)) if aliases else None
    # Titles only go from people's names: "State Department" must not become "department".
    while person and len(words) > 1 and (words[0] in _TITLES or words[0] == "of"):
        words.pop(0)
    if aliases and canonical is None:
        canonical = aliases.get(" ".join(words))
    if canonical is not None:
        return name_key(canonical, person=person)
    return tuple(words)


# Unambiguous abbreviations inside names ("Mt Cook" / "Mount Cook"); "St" is not one of them.
_ABBREVIATIONS = {"mt": "mount", "ft": "fort", "mtn": "mountain", "natl": "national"}


def _join_initials(words: list[str]) -> list[str]:
    """ "U.S." and "U. S." both read ("us",): a run of single letters is one word."""
    out: list[str] = []
    run = ""
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            out.append(run)
        run = ""
        if word:
            out.append(word)
    return out


def _fold_aliases(aliases: Mapping[str, str] | None) -> dict[str, str]:
    if not aliases:
        return {}
    keys = {variant: name_key(variant, person=False) for variant in aliases}
    return {" ".join(keys[k]): v for k, v in aliases.items() if keys[k]}


def looks_like_name(text: str) -> bool:
    """Whether a mention reads as a proper name: its words (after "the", "in" ...) capitalised."""
    words = [m.group() for m in _WORD.finditer(text) if not m.group().isdigit()]
    while words and fold(words[0]) in _DETERMINERS | _PREPOSITIONS:
        words.pop(0)  # "in Hawaiian Gardens", "the Estelle Unit"
    content = [w for w in words if fold(w) not in _FUNCTION_WORDS | _DETERMINERS]
    return bool(content) and all(w[0].isupper() for w in content)


def _describe(
    mention: MentionText, aliases: Mapping[str, str], person_labels: Collection[str]
) -> _Info:
    folded = fold(mention.text).strip()
    if folded in _PRONOUNS and not (len(folded) > 1 and mention.text.strip().isupper()):
        return _Info(key=(folded,), kind="pronoun")
    is_name = mention.is_name if mention.is_name is not None else looks_like_name(mention.text)
    person = mention.label in person_labels
    key = name_key(mention.text, person=person, aliases=aliases)
    also = [_nicknamed(mention.text) if is_name else (), () if person else _place_name(key)]
    return _Info(
        key=key,
        kind="name" if is_name else "nominal",
        person=person,
        also=tuple(k for k in also if k and k != key),
    )


_PLACE_TYPES = _words(
    "city town village province state county region district island municipality prefecture "
    "borough area"
)


def _place_name(key: tuple[str, ...]) -> tuple[str, ...]:
    """The name inside "province of Aceh" or "Aceh province": ("aceh",)."""
    if len(key) >= 3 and key[0] in _PLACE_TYPES and key[1] == "of":
        return key[2:]
    if len(key) >= 2 and key[-1] in _PLACE_TYPES:
        return key[:-1]
    return ()


def is_acronym_of(short: str, words: Sequence[str]) -> bool:
    """Whether ``short`` (e.g. "NLF", "U.N.") is made of the initials of ``words``.

    Function words may be skipped or kept; an all-capitals word may count whole ("UN Relief and
    Works Agency" -> "UNRWA").
    """
    letters = fold(short).replace(".", "").replace("&", "")
    if len(letters) < 2 or not letters.isalpha():
        return False

    def match(i: int, j: int) -> bool:
        if j == len(letters):
            return i == len(words)
        if i == len(words):
            return False
        word = fold(words[i]).replace(".", "")
        options = []
        if word in _FUNCTION_WORDS:
            options.append(0)
        if word:
            options.append(1)
        if words[i].isupper() and len(word) > 1:
            options.append(len(word))
        return any(letters[j : j + n] == word[:n] and match(i + 1, j + n) for n in options)

    return len(words) >= 2 and match(0, 0)


def _sound_key(word: str) -> str:
    """A rough transliteration key: consonant classes kept, each vowel run kept as front/back.

    Qaddafi, Gadhafi and Kadhafi -> "kBdBfE"; Kyiv and Kiev -> "kEv"; Gaza "gBzB" differs
    from Giza "gEzB".
    """
    word = word.replace("ph", "f").replace("ck", "k").replace("dj", "j").replace("kh", "k")
    out: list[str] = []
    for ch in word:
        if ch in "aou":
            cls = "B"
        elif ch in "eiy":
            cls = "E"
        elif ch in "qgkc":
            cls = "k"
        elif ch == "h" and out and out[-1] in "dtk":
            continue  # "dh", "th", "kh", "gh": the h marks the transliteration, not a sound
        elif ch.isalpha():
            cls = ch
        else:
            continue
        if out and out[-1] == cls:
            continue
        out.append(cls)
    return "".join(out)


def _skeleton(word: str) -> str:
    key = _sound_key(word)
    return "".join(ch for ch in key if ch not in "BE")


def is_variant_word(a: str, b: str) -> bool:
    """Whether two folded words are spellings of the same name (transliteration, typo)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or not (a.isalpha() and b.isalpha()):
        return False
    if a[0] != b[0] and not (a[0] in "cgkq" and b[0] in "cgkq"):
        return False  # a transliteration keeps the first sound; c/g/k/q swap (Qaddafi/Gadhafi)
    if _is_plural_of(a, b) or _is_plural_of(b, a):
        return False  # "villager"/"villagers": one and many are different entities
    if _sound_key(a) == _sound_key(b) and JaroWinkler.similarity(a, b) >= MIN_SOUND_JARO_WINKLER:
        return True
    if len(_skeleton(a)) >= 4 and _skeleton(a) == _skeleton(b):
        return JaroWinkler.similarity(a, b) >= MIN_VARIANT_JARO_WINKLER
    return min(len(a), len(b)) >= 6 and ratio(a, b) >= MIN_VARIANT_RATIO


def _is_plural_of(plural: str, single: str) -> bool:
    return plural in (single + "s", single + "es") or (
        single.endswith("y") and plural == single[:-1] + "ies"
    )


def is_variant_name(a: Sequence[str], b: Sequence[str]) -> bool:
    """Same number of words, each a spelling variant of the other's word in the same place."""
    if len(a) != len(b) or not a:
        return False
    return all(is_variant_word(x, y) for x, y in zip(a, b, strict=True))


def _is_part(short: Sequence[str], long: Sequence[str], *, start: bool = True) -> bool:
    """Whether ``short`` is the start (if allowed) or the end of ``long``."""
    n = len(short)
    if not 0 < n < len(long) or all(w in _FUNCTION_WORDS for w in short):
        return False
    if tuple(long[:n]) == tuple(short):
        # "Kraft" is "Kraft Foods" and "Staunton Police" the "Staunton Police Department", but
        # "UN" is not the "UN Security Council", nor "Israel" the "Israel Defense Forces".
        return start and (
            bool(_SUB_BODIES.intersection(short)) or not _SUB_BODIES.intersection(long[n:])
        )
    # "South Sudan" is not Sudan, nor "New Mexico" Mexico.
    return tuple(long[-n:]) == tuple(short) and long[-n - 1] not in _DIRECTIONS


# Words that make a name's start into the name of a body inside or under it.
_SUB_BODIES = _words(
    "council court forces force army navy police ministry department committee commission "
    "agency assembly parliament senate congress government cabinet office bureau "
    "party university school hospital embassy consulate airport station board"
)
_DIRECTIONS = _words(
    "north south east west northern southern eastern western new upper lower central"
)


def _labels_match(a: str, b: str) -> bool:
    return a == b or frozenset({a, b}) in _COMPATIBLE


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


def _names_agree(x: Sequence[str], y: Sequence[str]) -> bool:
    return (
        tuple(x) == tuple(y)
        or _is_part(x, y)
        or _is_part(y, x)
        or is_variant_name(x, y)
        or is_same_full_name(x, y)
    )


MIN_SURNAME_RATIO = 85.0  # "Duncan Rait" / "Duncan Raite": a typo when the first names agree


def is_same_full_name(x: Sequence[str], y: Sequence[str]) -> bool:
    """Two full names of one person: "Fred LaRue" / "Frederick C. LaRue" / "F. LaRue".

    The last words must agree (or, when the first words are equal, differ by a typo); the
    first words must be equal, an initial of each other or a short form ("Fred"/"Frederick");
    middle names and initials may be missing on one side.
    """
    if len(x) < 2 or len(y) < 2:
        return False
    first_x, first_y, last_x, last_y = x[0], y[0], x[-1], y[-1]
    if not _first_names_agree(first_x, first_y) and not (
        last_x == last_y and _same_stem(first_x, first_y)
    ):
        return False
    if not (last_x == last_y or is_variant_word(last_x, last_y)):
        typo = first_x == first_y and min(len(last_x), len(last_y)) >= 4
        if not (typo and ratio(last_x, last_y) >= MIN_SURNAME_RATIO):
            return False
    middle_x, middle_y = x[1:-1], y[1:-1]
    return not middle_x or not middle_y or _first_names_agree(middle_x[0], middle_y[0])


def _same_stem(a: str, b: str) -> bool:
    """Two forms of one given name on one stem: "Alexis" / "Alexandros".

    Names that part only in their last letter ("Mario" / "Maria") are often two people.
    """
    stem = next(
        (n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return stem >= 4 and min(len(a), len(b)) - stem >= 2


def _first_names_agree(a: str, b: str) -> bool:
    if a == b or is_variant_word(a, b):
        return True
    short, long = sorted((a, b), key=len)
    if len(short) == 1:
        return long.startswith(short)  # an initial
    return len(short) >= 3 and long.startswith(short) and len(long) - len(short) <= 5


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
            if candidates:
                # Several full names end the same way ("Smith"): the nearest one is meant.
                pos = mentions[i].position
                clusters.merge(min(candidates, key=lambda j: abs(mentions[j].position - pos)), i)
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


def defined_acronyms(text: str) -> dict[str, str]:
    """Acronyms a text defines in parentheses: {"NLF": "National Liberation Front"}.

    The long form is the shortest run of capitalised words just before the parenthesis whose
    initials make the acronym, so "Rebels of the National Liberation Front (NLF)" gives
    "National Liberation Front".
    """
    found: dict[str, str] = {}
    for match in _DEFINED_ACRONYM.finditer(text):
        acronym = match.group(2)
        words = match.group(1).split()
        for start in range(len(words) - 1, -1, -1):
            if words[start].lower() in _FUNCTION_WORDS:
                continue
            if is_acronym_of(acronym, [w.strip(".,") for w in words[start:]]):
                found.setdefault(acronym, " ".join(words[start:]))
                break
    return found


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
    labels = _voted_labels([(m.text, label) for m, label, _ in found])
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


def _name_spans(parse: ParsedText) -> list[tuple[int, int, str]]:
    """Token spans of spaCy's names, without a leading "the".

    A span with no capital letter ("committee") is a tagging slip, not a name.
    """
    out = []
    for span in parse.entities:
        if span.label not in ENTITY_LABELS or not any(ch.isupper() for ch in span.text):
            continue
        first = span.token_start
        while first < span.token_end - 1 and parse.tokens[first].pos == "DET":
            first += 1  # "the United Nations" -> "United Nations"
        out.append((first, span.token_end, span.label))
    return out


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
