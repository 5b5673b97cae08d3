"""Name matching: keys of a name, spelling variants, acronyms, parts and forms of one full name.

Pure string logic over folded words; no parse needed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import ratio

from rashomon.text import fold

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


# Only a singular possessive marks an owner: a plural one belongs to the name ("Furness
# Magistrates' Court", "the Workers' Party").
_OWNER = re.compile(r"^.*?\S['’]s\s+(?=\S)")


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


# labels the small model gives a bare surname in place of PERSON ("..., Payton said.")
SURNAME_MISLABELS = frozenset({"ORG", "GPE"})


def surnames_of_one_person(names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """One-word names labelled ORG or GPE that are the surname of exactly one person named in
    full among ``names`` ((text, label) pairs), each mapped to that full name, folded keys.

    "Novak" beside "Karel Novak" is that person: the small model calls a bare surname an
    organization or a place as often as a person. A surname shared by two full names maps to
    neither.
    """
    pairs = list(names)
    owners: dict[str, set[str]] = {}
    for text, label in pairs:
        words = text.split()
        if label == "PERSON" and len(words) >= 2 and words[-1][:1].isupper():
            owners.setdefault(fold(words[-1]), set()).add(text)
    out = {}
    for text, label in pairs:
        key = fold(text)
        if label in SURNAME_MISLABELS and " " not in text.strip() and len(owners.get(key, ())) == 1:
            out[key] = next(iter(owners[key]))
    return out


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
