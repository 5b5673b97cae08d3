"""Speaker resolution inside one article: names, surnames, titles and roles met earlier,
pronouns, and an organization for its unnamed spokesperson.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rashomon.lexicon import (
    _MODIFIER_DEPS,
    COMPANY_WORDS,
    FEMALE_WORDS,
    GENERIC_ORG_NOUNS,
    MALE_WORDS,
    ORG_NOUNS,
    ORG_ROLES,
    PERSON_PRONOUNS,
    PERSON_ROLES,
    PLACE_NOUNS,
    REPORT_LEMMAS,
    ROLE_HOLDERS,
    SPEAKER_LABELS,
    SPOKESPERSONS,
    TITLES,
)
from rashomon.models import Sentence
from rashomon.nlp import EntitySpan, Token
from rashomon.text import fold
from rashomon.who.names import surnames_of_one_person
from rashomon.who.tokens import _Doc


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    token_start: int
    token_end: int
    label: str
    name: str  # canonical
    quoted: bool  # inside a direct quote
    subject: bool  # the subject of its clause


def _clean_name(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip()).strip(" ,.-–—\"“”'‘’")
    words = text.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words)


_SMALL_WORDS = frozenset({"of", "the", "and", "for", "de", "la", "al", "von", "van", "du", "y"})


def _person_tail(name: str, label: str) -> tuple[str, str]:
    """Split a role off a name the NER ran together: "Union steward Ben Okafor" -> Ben Okafor."""
    words = name.split()
    cut = -1
    for k, word in enumerate(words[:-1]):
        bare = word.lower().rstrip(".")
        if (word.islower() and bare not in _SMALL_WORDS and word.isalpha()) or (
            label != "ORG" and bare in TITLES
        ):
            cut = k
    tail = words[cut + 1 :]
    if cut < 0 or not 1 <= len(tail) <= 3 or not all(w[:1].isupper() for w in tail):
        return name, label
    return " ".join(tail), "PERSON"


def _is_company_name(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and words[-1].lower().rstrip(".") in COMPANY_WORDS


def _has_capital(name: str) -> bool:
    return any(w[:1].isupper() for w in name.split())


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s.\-]+", name) if w and w.lower() not in ("of", "the", "and")]
    return "".join(w[0] for w in words).upper()


def _expand(name: str, label: str, names: Sequence[tuple[str, str]]) -> str:
    """The fullest form of a name seen in the article: surname -> full name, acronym -> name."""
    words = name.lower().split()
    best = name
    for other, other_label in names:
        if len(other) <= len(best):
            continue
        if (other_label == "PERSON") != (label == "PERSON") and not (
            label == "PERSON" and _could_be_person(other)
        ):
            continue
        other_words = other.lower().split()
        if label == "PERSON":
            if len(words) == 1 and words[0] in (other_words[0], other_words[-1]):
                best = other
            continue
        if len(words) == 1 and name.isupper() and _initials(other) == name.replace(".", ""):
            best = other
    return best


def _could_be_person(name: str) -> bool:
    """A two- or three-word capitalized name with no organization word in it."""
    words = name.split()
    return (
        2 <= len(words) <= 3
        and all(w[:1].isupper() and w.isalpha() for w in words)
        and not {w.lower() for w in words} & (ORG_NOUNS | COMPANY_WORDS)
    )


def _gender_of_words(words: Iterable[str]) -> str | None:
    for word in words:
        w = word.lower().rstrip(".")
        if w in MALE_WORDS:
            return "m"
        if w in FEMALE_WORDS:
            return "f"
    return None


class _SpeakerResolver:
    """Resolves speaker noun phrases to canonical names from one article's own context."""

    def __init__(self, doc: _Doc) -> None:
        self.doc = doc
        raw = [m for m in (self._mention(e) for e in doc.entities) if m is not None]
        raw = sorted(raw + self._unlabelled_subjects(raw), key=lambda m: m.start)
        raw = self._relabel_people(raw)
        names = [(m.name, m.label) for m in raw]
        self.mentions = [
            _Mention(
                m.start,
                m.end,
                m.token_start,
                m.token_end,
                m.label,
                _expand(m.name, m.label, names),
                m.quoted,
                m.subject,
            )
            for m in raw
        ]
        self.lone_surnames = surnames_of_one_person(names)
        self.descriptors: dict[str, set[str]] = {}
        self.gender: dict[str, str] = {}
        for m in self.mentions:
            words = self._descriptor_words(m)
            self.descriptors.setdefault(m.name, set()).update(words)
            if m.label == "PERSON" and m.name not in self.gender:
                found = _gender_of_words(words)
                if found:
                    self.gender[m.name] = found
        self._pronoun_genders()
        self.nominals = self._find_nominals()
        self.history: list[tuple[int, str, str]] = []  # (offset, name, label) of speakers so far
        # speakers that are people credited to an organization ("a police spokesman said" ->
        # the police): (offset, organization, gender of the role word or "")
        self.voices: list[tuple[int, str, str]] = []
        # the mention chain: every subject pronoun outside quotes, resolved in reading order,
        # so "He met Petrov. '...,' he said." keeps to the person the first "He" was
        self.chain: list[tuple[int, str]] = []
        self._chain_pronouns()

    def _find_nominals(self) -> list[tuple[int, str, str]]:
        """Organizations named by a kind with modifiers: (offset, name, kind noun)."""
        out = []
        for tok in self.doc.tokens:
            noun = tok.lemma.lower()
            if tok.pos == "NOUN" and noun in ORG_NOUNS and not self.doc.in_quote[tok.i]:
                lo, hi = self.mention_span(tok.i)
                name = self._nominal_name(tok.i, lo, hi)
                if name is not None and _has_capital(name):
                    out.append((self.doc.tokens[lo].start, name, noun))
        return out

    def _unlabelled_subjects(self, known: Sequence[_Mention]) -> list[_Mention]:
        """Proper-noun subjects the NER missed ("Doug said", "Whitmire questioned")."""
        doc = self.doc
        covered = {k for m in known for k in range(m.token_start, m.token_end)}
        out = []
        for tok in doc.tokens:
            if tok.pos != "PROPN" or tok.tag == "NNPS" or tok.dep not in ("nsubj", "appos"):
                continue
            if tok.i in covered or tok.ent_type:
                continue
            lo, hi = self.proper_chain(tok.i)
            while lo < tok.i and any(k in covered for k in range(lo, tok.i)):
                lo += 1  # "Pelham Bay Mayor Rosalind Hartigan": the place is its own entity
            if any(k in covered for k in range(lo, hi + 1)):
                continue
            if lo > 0 and doc.tokens[lo - 1].text.lower() in ("the", "a", "an"):
                continue  # "the District Attorney said": a role, not a name
            name, _ = _person_tail(
                _clean_name(doc.text[doc.tokens[lo].start : doc.tokens[hi].end]), "PERSON"
            )
            if name and name[0].isupper() and name.lower().rstrip(".") not in TITLES:
                out.append(
                    _Mention(
                        doc.tokens[lo].start,
                        doc.tokens[hi].end,
                        lo,
                        hi + 1,
                        "ORG" if _is_company_name(name) else "PERSON",
                        name,
                        doc.in_quote[lo],
                        True,
                    )
                )
        return out

    def proper_chain(self, i: int) -> tuple[int, int]:
        """The run of proper nouns around token i on its line."""
        doc = self.doc
        lo = hi = i
        while lo > 0 and self._joins(lo - 1, lo):
            lo -= 1
        while hi + 1 < len(doc.tokens) and self._joins(hi, hi + 1):
            hi += 1
        return lo, hi

    def _joins(self, a: int, b: int) -> bool:
        """Whether adjacent tokens belong to one proper name (T-Mobile, Gary Ross)."""
        left, right = self.doc.tokens[a], self.doc.tokens[b]
        if "\n" in self.doc.text[left.end : right.start]:
            return False
        both = left.pos == "PROPN" and right.pos == "PROPN"
        if not left.whitespace:
            return both or left.text == "-" or right.text == "-"
        return both

    def _titled_person(self, ent: EntitySpan) -> bool:
        """A span the NER gave another label that is a title and a name: "Qeshm Governor Mehdi
        Irannejad" (tagged a work of art) is a person, named after the title."""
        tokens = self.doc.tokens[ent.token_start : ent.token_end]
        for k, tok in enumerate(tokens[:-1]):
            title = tok.lemma.lower() in PERSON_ROLES or tok.text.lower().rstrip(".") in TITLES
            if title and all(t.pos == "PROPN" for t in tokens[k + 1 :]):
                return True
        return False

    def _mention(self, ent: EntitySpan) -> _Mention | None:
        if ent.label not in SPEAKER_LABELS:
            if not self._titled_person(ent):
                return None
            ent = dataclasses.replace(ent, label="PERSON")
        first = ent.token_start
        while ent.label == "PERSON" and first < ent.token_end - 1:
            if self.doc.tokens[first].pos not in ("NOUN", "ADJ"):
                break
            first += 1  # "Farmer Anna Berg": a role word the NER took into the name
        text = self.doc.text[self.doc.tokens[first].start : ent.end]
        name, label = _person_tail(_clean_name(text), ent.label)
        if label == "PERSON" and _is_company_name(name):
            label = "ORG"  # "Harcastle Estates": a company the NER took for a person
        before = self.doc.tokens[ent.token_start - 1] if ent.token_start > 0 else None
        if (
            before is not None
            and before.lemma.lower() in PERSON_ROLES
            and ent.token_end - ent.token_start <= 3
        ):
            label = "PERSON"  # "agency official Fauzi": a person the NER took for a place
        if not name or not any(ch.isupper() for ch in name):
            return None
        head = self.doc.span_head(ent.token_start, ent.token_end)
        subject = self.doc.tokens[head].dep in ("nsubj", "nsubjpass")
        quoted = self.doc.in_quote[ent.token_start]
        return _Mention(
            ent.start, ent.end, ent.token_start, ent.token_end, label, name, quoted, subject
        )

    def _descriptor_words(self, m: _Mention) -> set[str]:
        """Titles, roles and appositions next to a name: Prosecutor Dana Whitfield, a doctor."""
        doc = self.doc
        words = {w.lower().rstrip(".") for w in doc.text[m.start : m.end].split()[:-1]}
        k = m.token_start - 1
        while (
            k >= 0 and doc.tokens[k].pos in ("NOUN", "PROPN", "ADJ") and not doc.tokens[k].ent_type
        ):
            words.add(doc.tokens[k].lemma.lower())
            k -= 1
        head = doc.span_head(m.token_start, m.token_end)
        for c in doc.children[head]:
            if c < m.token_start and doc.tokens[c].dep in ("nmod", "compound"):
                # a title with its own name in it: "US Secretary of State Mara Quillon"
                words.update(
                    doc.tokens[j].lemma.lower()
                    for j in doc.subtree(c)
                    if doc.tokens[j].pos in ("NOUN", "PROPN") and not doc.tokens[j].ent_type
                )
            if doc.tokens[c].dep == "appos" and not doc.tokens[c].ent_type:
                words.update(
                    doc.tokens[j].lemma.lower()
                    for j in doc.subtree(c)
                    if doc.tokens[j].pos == "NOUN"
                )
        tok = doc.tokens[head]
        if tok.dep == "appos" and doc.tokens[tok.head].pos == "NOUN":
            words.add(doc.tokens[tok.head].lemma.lower())
        return {w for w in words if w.isalpha()}

    def _relabel_people(self, raw: list[_Mention]) -> list[_Mention]:
        """A name the NER took for an organization or place but described as a person
        ("Bettie Page, a woman known ...", "agency official Fauzi") is a person, everywhere."""
        people = set()
        for m in raw:
            words = self._descriptor_words(m)
            org_like = bool(set(m.name.lower().split()) & ORG_NOUNS)
            described = bool(_gender_of_words(words) or words & PERSON_ROLES)
            if m.label != "PERSON" and not org_like and described:
                people.add(m.name)
        first_names = {n.split()[0] for n in people if len(n.split()) > 1}
        return [
            _Mention(
                m.start, m.end, m.token_start, m.token_end, "PERSON", m.name, m.quoted, m.subject
            )
            if m.name in people or m.name in first_names
            else m
            for m in raw
        ]

    def _pronoun_genders(self) -> None:
        """Give a person the gender of a subject pronoun that can only refer to them.

        Candidates are the people named as subjects in the pronoun's sentence (before it) and
        the sentence before; those of the other gender drop out; one left means a match.
        """
        doc = self.doc
        for _ in range(2):
            for tok in doc.tokens:
                gender = _gender_of_words([tok.text]) if tok.pos == "PRON" else None
                if gender is None or doc.in_quote[tok.i] or tok.dep not in ("nsubj", "nsubjpass"):
                    continue
                sent = doc.sentence_at(tok.start)
                lo = doc.sentences[max(0, sent.index - 1)].start
                names = {
                    m.name
                    for m in self.mentions
                    if m.label == "PERSON"
                    and lo <= m.start < tok.start
                    and not m.quoted
                    and m.subject
                }
                names = {n for n in names if self.gender.get(n, gender) == gender}
                if len(names) == 1:
                    self.gender.setdefault(names.pop(), gender)

    def _chain_pronouns(self) -> None:
        """Resolve each third-person pronoun that is the subject of a main clause outside
        quotes, in reading order; each is then a subject mention of its person (of the
        pronoun's gender) for the pronouns after it. Pronouns of subordinate clauses
        ("who married him before he was killed") are left out: they often refer elsewhere."""
        doc = self.doc
        for tok in doc.tokens:
            gender = PERSON_PRONOUNS.get(tok.text.lower())
            if gender is None or doc.in_quote[tok.i] or tok.dep not in ("nsubj", "nsubjpass"):
                continue
            verb = doc.tokens[tok.head]
            while verb.dep == "conj" and verb.head != verb.i:
                verb = doc.tokens[verb.head]
            if verb.dep != "ROOT" and verb.lemma.lower() not in REPORT_LEMMAS:
                continue
            name = self._person_before(tok.start, gender)
            if name is not None:
                self.chain.append((tok.start, name))
                self.gender.setdefault(name, gender)

    def mention_span(self, i: int) -> tuple[int, int]:
        """Token range [lo, hi] of the speaker phrase: titles and modifiers before its head."""
        doc = self.doc
        lo = hi = i
        for c in doc.children[i]:
            if c < i and doc.tokens[c].dep in _MODIFIER_DEPS:
                lo = min(lo, doc.subtree(c)[0])
            if c > i and doc.tokens[c].dep in ("compound", "flat") and c == hi + 1:
                hi = c
        ent = self._entity_at(i)
        if ent is not None:
            lo, hi = min(lo, ent.token_start), max(hi, ent.token_end - 1)
        while lo < i and (
            doc.tokens[lo].is_punct or "\n" in doc.text[doc.tokens[lo].start : doc.tokens[i].start]
        ):
            lo += 1
        return lo, hi

    def _entity_at(self, i: int) -> _Mention | None:
        for m in self.mentions:
            if m.token_start <= i < m.token_end:
                return m
        return None

    def resolve(self, i: int, *, enclosing: str | None = None) -> tuple[str | None, str]:
        """Canonical name and mention text of the speaker whose phrase has head token ``i``.

        A bare surname the NER took for a place or body that is the surname of exactly one
        person named in full in the article ("..., Payton said." after "Dale Payton") is that
        person. Only the credit changes: the mention chain keeps spaCy's labels.
        """
        name, mention = self._resolve(i, enclosing=enclosing)
        if name is not None and " " not in name:
            name = self.lone_surnames.get(fold(name), name)
        return name, mention

    def _resolve(self, i: int, *, enclosing: str | None = None) -> tuple[str | None, str]:
        doc = self.doc
        tok = doc.tokens[i]
        if tok.text.lower() in ("who", "which", "that") and doc.tokens[tok.head].dep == "relcl":
            i = doc.tokens[tok.head].head  # the noun the relative clause describes
            tok = doc.tokens[i]
        lo, hi = self.mention_span(i)
        mention = doc.text[doc.tokens[lo].start : doc.tokens[hi].end]
        if tok.pos == "PRON":
            return self._pronoun(tok, enclosing), mention
        noun = tok.lemma.lower()
        if noun in ORG_NOUNS and self._entity_at(i) is None:
            # names before the kind are its modifiers: "the Orrin Falls coast guard"
            named = self._named_organization(i, hi)
            return (named or self._by_role(i, lo, hi)), mention
        person = self._named_person(i, lo, hi)
        if person is not None:
            return person, mention
        inside = [m for m in self.mentions if lo <= m.token_start and m.token_end - 1 <= hi]
        if inside and (tok.lemma.lower() in ORG_ROLES or self._entity_at(i) is not None):
            return inside[-1].name, mention
        if tok.pos == "PROPN" and tok.tag != "NNPS":
            if doc.tokens[lo].text.lower() in ("the", "a", "an"):
                # "the District Attorney": a capitalized role, used for someone named before
                role = self._by_role(i, lo, hi)
                if role is not None:
                    return role, mention
            name, _ = _person_tail(self._proper_name(i), "PERSON")
            return _expand(name, "PERSON", self._names()), mention
        if tok.text[:1].isupper() and tok.text.isalpha():
            known = _expand(tok.text, "PERSON", self._names())
            if known != tok.text:
                return known, mention  # a surname the tagger took for a common noun
        return self._by_role(i, lo, hi), mention

    def _pronoun(self, tok: Token, enclosing: str | None) -> str | None:
        word = tok.text.lower()
        if word in PERSON_PRONOUNS:
            return self._person_before(tok.start, PERSON_PRONOUNS[word])
        if word in ("i", "we") and enclosing:
            return enclosing
        if word in ("they", "it"):
            return self._group_before(tok.start)
        return None

    def _names(self) -> list[tuple[str, str]]:
        return [(m.name, m.label) for m in self.mentions]

    def _proper_name(self, i: int) -> str:
        lo, hi = self.proper_chain(i)
        return _clean_name(self.doc.text[self.doc.tokens[lo].start : self.doc.tokens[hi].end])

    def _named_person(self, i: int, lo: int, hi: int) -> str | None:
        """A person named in the phrase or right after it (apposition), not a possessor.

        Within the phrase the name holding its head wins, else the one nearest the head.
        """
        doc = self.doc
        spans = [(lo, hi, False)]
        spans += [(doc.subtree(c)[0], doc.subtree(c)[-1], True) for c in self._appositions(i)]
        spans.append((hi + 1, hi + 4 if doc.tokens[i].text.lower() in TITLES else hi + 1, False))
        for a, b, apposed in spans:
            found = [
                m
                for m in self.mentions
                if m.label == "PERSON"
                and a <= m.token_start <= b
                and not self._is_possessor(m, i)
                and (apposed or self._joined(hi, m.token_start))
            ]
            if found:
                holding = [m for m in found if m.token_start <= i < m.token_end]
                return (holding or found)[-1].name
        return None

    def _appositions(self, i: int) -> list[int]:
        """Appositions naming the phrase with head ``i``: its own ("one of the leaders, Abdel
        Hilu") and, for a role, those the parser hung on its "of" phrase ("the governor of
        Unity State, Taban Deng,")."""
        doc = self.doc
        out = [c for c in doc.children[i] if doc.tokens[c].dep == "appos"]
        role = doc.tokens[i].lemma.lower()
        if role in PERSON_ROLES or role in TITLES or doc.tokens[i].pos == "NUM":
            for prep in doc.children[i]:
                if doc.tokens[prep].dep == "prep" and doc.tokens[prep].text.lower() == "of":
                    for obj in doc.children[prep]:
                        out += [c for c in doc.children[obj] if doc.tokens[c].dep == "appos"]
        return out

    def apposed(self, i: int) -> list[int]:
        """Token ids of the appositions of token ``i`` (their whole subtrees)."""
        return [k for c in self._appositions(i) for k in self.doc.subtree(c)]

    def _is_possessor(self, m: _Mention, i: int) -> bool:
        head = self.doc.span_head(m.token_start, m.token_end)
        return self.doc.tokens[head].dep == "poss" and head != i

    def _joined(self, hi: int, start: int) -> bool:
        """Whether only names and "of" stand between a title and a name after it."""
        between = self.doc.tokens[hi + 1 : start]
        return all(t.text[:1].isupper() or t.text in ("of", ",") for t in between)

    def _owned_elsewhere(self, lo: int, i: int) -> bool:
        """Whether the phrase names its role's owner by a common noun (not a place)."""
        doc = self.doc
        return any(
            doc.tokens[k].dep == "poss"
            and doc.tokens[k].pos == "NOUN"
            and doc.tokens[k].lemma.lower() not in PLACE_NOUNS
            for k in range(lo, i)
        )

    def _named_organization(self, i: int, hi: int) -> str | None:
        """ "the local newspaper Caldmoor Times": an organization named in apposition."""
        doc = self.doc
        starts = {c for c in doc.children[i] if doc.tokens[c].dep == "appos"} | {hi + 1}
        for m in self.mentions:
            if m.label == "ORG" and any(m.token_start <= k < m.token_end for k in starts):
                return m.name
        return None

    def _by_role(self, i: int, lo: int, hi: int) -> str | None:
        """A role or kind ("the judge", "the ministry") -> the entity it was used for earlier."""
        doc = self.doc
        noun = doc.tokens[i].lemma.lower()
        pos = doc.tokens[lo].start
        before = [m for m in self.mentions if m.start < pos and not m.quoted]
        if self._owned_elsewhere(lo, i):
            if noun in ORG_NOUNS:
                # "the Bristol district attorney's office": a body named by its owner
                own = self._nominal_name(i, lo, hi)
                return own if own is not None and _has_capital(own) else None
            return None  # "the beer distributor's president": a role in another body
        # a plural role ("Deputies said") is a group: never the one person who holds the role,
        # but it may be the people named together ("attorneys X and Y")
        plural = doc.tokens[i].tag in ("NNS", "NNPS")
        one_person = noun not in ORG_NOUNS and not plural
        for m in reversed(before):
            people = m.label == "PERSON" and " and " in m.name
            kind_fits = (m.label == "PERSON") == one_person or (plural and people)
            if kind_fits and self._described_as(m.name, noun):
                return m.name
        # a body's noun ("the union") is never the person named after it ("union steward X")
        ahead = self._named_soon_after(noun, pos) if noun not in ORG_NOUNS else None
        if ahead is not None and (one_person or " and " in ahead):
            return ahead
        if noun in ORG_NOUNS:
            return self._organization(i, lo, hi, noun)
        if noun in SPOKESPERSONS:
            named = self._organization_of(i)
            if named is not None:
                return named
            modifiers = [k for k in range(lo, i) if doc.tokens[k].head == i]
            for k in modifiers:
                if doc.tokens[k].lemma.lower() in ORG_NOUNS:
                    return self._organization(k, *self.mention_span(k), doc.tokens[k].lemma.lower())
            if any(doc.tokens[k].pos in ("NOUN", "PROPN") for k in modifiers):
                return None  # "a city spokeswoman": some other body's, not the last that spoke
            return self._group_before(pos) if noun != "report" else None
        return None

    def _organization_of(self, i: int) -> str | None:
        """ "a spokeswoman for Harcastle Estates": the organization after "for"/"of"/"at"."""
        doc = self.doc
        for prep in doc.children[i]:
            if doc.tokens[prep].dep != "prep" or doc.tokens[prep].text.lower() not in (
                "for",
                "of",
                "at",
            ):
                continue
            obj = doc.child(prep, "pobj")
            ent = self._entity_at(obj) if obj is not None else None
            if ent is not None and ent.label in ("ORG", "GPE"):
                return ent.name
        return None

    def _named_soon_after(self, noun: str, pos: int) -> str | None:
        """ "The president of South Sudan said ... President Salva Kiir said": a role named in
        the next two sentences."""
        sent = self.doc.sentence_at(pos)
        last = self.doc.sentences[min(len(self.doc.sentences) - 1, sent.index + 2)]
        for m in self.mentions:
            nearby = pos < m.start < last.end and not m.quoted and m.label == "PERSON"
            if nearby and self._described_as(m.name, noun):
                return m.name
        return None

    def _described_as(self, name: str, noun: str) -> bool:
        """Whether the article gives ``name`` the role ``noun`` or a title that holds it."""
        words = self.descriptors.get(name, set())
        return noun in words or bool(words & ROLE_HOLDERS.get(noun, frozenset()))

    def _home_place(self) -> str | None:
        """The place an article is about: its most often named place (the first on a tie)."""
        surnames = {w for m in self.mentions if m.label == "PERSON" for w in m.name.split()}
        places = [
            m.name
            for m in self.mentions
            if m.label == "GPE" and not m.quoted and m.name not in surnames
        ]
        if not places:
            return None
        return max(places, key=lambda p: (places.count(p), -places.index(p)))

    def _organization(self, i: int, lo: int, hi: int, noun: str) -> str | None:
        """ "the Karsland weather service" names itself; "the ministry" is the last one named."""
        own = self._nominal_name(i, lo, hi)
        if own is not None and (noun not in GENERIC_ORG_NOUNS or _has_capital(own)):
            return own
        pos = self.doc.tokens[lo].start
        same = [(p, n) for p, n, h in self.nominals if h == noun]
        earlier = [n for p, n in same if p < pos]
        if earlier or same:
            return (earlier or [same[0][1]])[-1]
        orgs = [m for m in self.mentions if m.label == "ORG" and not m.quoted]
        for m in sorted(
            orgs, key=lambda m: (m.start >= pos, -m.start if m.start < pos else m.start)
        ):
            if noun in m.name.lower().split():
                return m.name
        if noun in GENERIC_ORG_NOUNS:
            return self._group_before(pos)
        place = self._home_place()
        if noun == "police" and place is not None:
            return f"{place} police"  # unnamed police are the force of the story's place
        return None

    def _nominal_name(self, i: int, lo: int, hi: int) -> str | None:
        """The phrase itself when modifiers make it a name: "Mirevale's health ministry"."""
        doc = self.doc
        words = [
            doc.tokens[k].text
            for k in range(lo, hi + 1)
            if doc.tokens[k].dep not in ("det", "case", "punct") and doc.tokens[k].pos != "PRON"
        ]
        if len(words) < 2:
            return None
        return _clean_name(" ".join(words))

    def _person_before(self, pos: int, gender: str) -> str | None:
        """The most recent compatible person, preferring subjects and earlier speakers.

        Sentences are read backwards from ``pos``; in each, subjects (named, pronouns of the
        mention chain, speakers) win over other mentions, the latest first. A person only
        mentioned in passing (not a subject) loses to the speaker of the sentence before:
        "X said ... . The deal was signed by Y. '...,' he added." is X's.
        """
        doc = self.doc
        sent: Sentence | None = doc.sentence_at(pos)
        passing: str | None = None
        while sent is not None:
            lo, hi = sent.start, min(sent.end, pos)
            found = [
                (m.start, m.subject, m.name)
                for m in self.mentions
                if m.label == "PERSON" and lo <= m.start < hi and not m.quoted
            ]
            found += [(p, True, n) for p, n in self.chain if lo <= p < hi]
            speakers = [
                (p, True, n) for p, n, label in self.history if label == "PERSON" and lo <= p < hi
            ]
            # "..., a police spokesman said. He said ...": the person who spoke for the body
            speakers += [
                (p, True, n) for p, n, g in self.voices if lo <= p < hi and g in ("", gender)
            ]
            found += speakers
            found.sort(key=lambda f: (f[1], f[0]), reverse=True)
            fits = [(subject, name) for _, subject, name in found if self._fits(name, gender)]
            if passing is not None:
                # the sentence before a name in passing: only its speaker outranks that name
                spoke = [n for _, _, n in sorted(speakers, reverse=True) if self._fits(n, gender)]
                return spoke[0] if spoke else passing
            if fits and fits[0][0]:
                return fits[0][1]
            if fits:
                passing = fits[0][1]
            sent = doc.sentence_before(sent)
        return passing

    def _fits(self, name: str, gender: str) -> bool:
        return self.gender.get(name, gender) == gender

    def _group_before(self, pos: int, *, max_sentences: int = 3) -> str | None:
        """They/it: the most recent organization that spoke or was named nearby."""
        sent = self.doc.sentence_at(pos)
        lo = self.doc.sentences[max(0, sent.index - max_sentences)].start
        for p, name, label in reversed(self.history):
            if lo <= p < pos and label != "PERSON":
                return name
        orgs = [
            m
            for m in self.mentions
            if m.label == "ORG" and lo <= m.start < pos and not m.quoted and m.subject
        ]
        return orgs[-1].name if orgs else None

    def label_of(self, name: str | None) -> str:
        for m in self.mentions:
            if m.name == name:
                return m.label
        if name and name.split()[-1].lower() in ORG_NOUNS:
            return "ORG"  # a named kind: "Mirevale health ministry", "Caldmoor police"
        return "PERSON" if name else "UNKNOWN"
