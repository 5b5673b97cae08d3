"""Article + parse -> Quotes: direct quotes, reported speech and who said them.

Direct quotes are found from the quotation marks (straight, curly, guillemets, doubled
apostrophes, and single marks where they cannot be apostrophes); a quotation that runs over
several lines gives one quote per line. Marks around a short title-like or attributive phrase
with no speech verb near it (scare quotes, titles, nicknames, words cited as words) are not
statements and are left out. Reported speech is read from the dependency parse: the clause a
speech verb governs, in either order, and the main clause of "according to X". Speakers are
resolved inside the article: names, surnames, titles and roles met earlier, pronouns, and an
organization for its unnamed spokesperson.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rashomon.models import Article, Quote, Sentence, Speaker
from rashomon.nlp import EntitySpan, ParsedText, Token


def _wordset(words: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string."""
    return frozenset(words.split())


# Verbs whose clausal complement is what someone said, wrote or claimed.
REPORT_LEMMAS = _wordset(
    """
    say tell add note insist state stress warn announce confirm report argue explain
    claim estimate question declare reply respond answer acknowledge admit concede deny
    assert maintain contend suggest predict write recall observe remark comment point
    reveal disclose indicate conclude testify allege complain lament boast assure
    promise vow pledge emphasize emphasise caution reiterate repeat inform agree purport
    concur
    """
)
# Cues that introduce a direct quote (with the reporting verbs): called it "...", "...", it reads.
DIRECT_CUE_LEMMAS = REPORT_LEMMAS | _wordset(
    """
    call describe scream shout cry yell ask write read joke quip whisper plead exclaim
    wonder tweet post laugh sigh urge criticise criticize
    """
)
# Verbs whose object and infinitive are reported: urged parents to check, called on X to stop.
DIRECTIVE_LEMMAS = frozenset({"urge", "call", "appeal", "implore"})
# Verbs whose object is the reported criticism.
OBJECT_LEMMAS = frozenset({"criticise", "criticize"})
# Nouns that carry a reported clause: expressed hope that ...
CLAUSE_NOUNS = frozenset({"hope", "concern", "confidence", "belief", "fear", "view", "doubt"})

_DOUBLE_OPEN = "“«„"
_DOUBLE_CLOSE = "”»"
_MARK = re.compile(r"''|``|[\"“”«»„]|[‘’`']")
_OPENING_CONTEXT = " \t\n([{—–-/"
_CLOSING_CONTEXT = " \t\n)]}.,;:!?—–-/"
_FINAL = ".?!…"
_WORD = re.compile(r"[\w’']+")


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """The text between a pair of quotation marks (offsets exclude the marks)."""

    start: int
    end: int
    single: bool  # single marks ('...')
    opened: int  # offset of the opening mark
    closed: int  # offset just past the closing mark (or the line end when left open)


def _side(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether a mark at text[start:end] has space-like context on its left and right."""
    left = start == 0 or text[start - 1].isspace() or text[start - 1] in _OPENING_CONTEXT
    right = (
        end >= len(text)
        or text[end].isspace()
        or text[end] in _CLOSING_CONTEXT
        or text[end] in "\"”’'"
    )
    return left, right


def _direction(text: str, start: int, end: int) -> str:
    mark = text[start:end]
    if mark in _DOUBLE_OPEN or mark == "``":
        return "open"
    if mark in _DOUBLE_CLOSE:
        left, right = _side(text, start, end)
        # a closing curly mark used as an opening one ("”Yes”): space before, word after
        return "open" if left and not right else "close"
    left, right = _side(text, start, end)
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    return "toggle"


def _line_end(text: str, pos: int) -> int:
    newline = text.find("\n", pos)
    return len(text) if newline < 0 else newline


def find_double_quotes(text: str) -> list[QuotedSpan]:
    """Pairs of double quotation marks, an unclosed one ending where its paragraph ends.

    A quotation left open at a line end continues on the next lines (one sentence per line,
    as in tokenized corpora) unless the next mark opens a new quotation on a later line: the
    multi-paragraph convention, where each paragraph re-opens the mark. A different opening
    mark inside an open quotation on the same line nests (« ... “ ... ” ... »).
    """
    marks = [
        m for m in _MARK.finditer(text) if m.group() not in "‘’`'" or m.group() in ("''", "``")
    ]
    spans: list[QuotedSpan] = []
    stack: list[tuple[int, int]] = []
    for m in marks:
        kind = _direction(text, m.start(), m.end())
        if not stack:
            if kind != "close":
                stack.append((m.start(), m.end()))
            continue
        top = stack[-1]
        if kind == "open" and "\n" in text[top[1] : m.start()]:
            end = text.rfind("\n", 0, m.start())
            spans.extend(QuotedSpan(o[1], end, False, o[0], end) for o in reversed(stack))
            stack = [(m.start(), m.end())]
            continue
        if kind == "open" and _nests(text[top[0] : top[1]], m.group()):
            stack.append((m.start(), m.end()))
            continue
        stack.pop()
        spans.append(QuotedSpan(top[1], m.start(), False, top[0], m.end()))
    for o in reversed(stack):
        end = _line_end(text, o[1])
        spans.append(QuotedSpan(o[1], end, False, o[0], end))
    return sorted(spans, key=lambda s: s.opened)


def _nests(outer: str, inner: str) -> bool:
    """Whether an opening mark starts a quotation inside one opened by another kind of mark."""
    family = {"«": "guillemet", "»": "guillemet", "„": "low"}
    return family.get(outer, "english") != family.get(inner, "english")


def find_single_quotes(text: str) -> list[QuotedSpan]:
    """Pairs of single quotation marks on one line, skipping apostrophes (don't, Jones')."""
    spans: list[QuotedSpan] = []
    for line in re.finditer(r"[^\n]+", text):
        open_at: tuple[int, int] | None = None
        for m in re.finditer(r"(?<!')[‘’`'](?!')", line.group()):
            start, end = line.start() + m.start(), line.start() + m.end()
            mark = text[start:end]
            left, right = _side(text, start, end)
            if mark in "‘`" or (left and not right):
                if left or mark in "‘`":
                    open_at = (start, end)
                continue
            if open_at is not None and right and start - open_at[1] > 0:
                spans.append(QuotedSpan(open_at[1], start, True, open_at[0], end))
                open_at = None
    return spans


def _segments(text: str, span: QuotedSpan) -> list[tuple[int, int]]:
    """The per-line pieces of a quoted span, trimmed of spaces and a trailing framing comma."""
    pieces: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[span.start : span.end]):
        start, end = span.start + line.start(), span.start + line.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
            end -= 1
        if end > start and any(ch.isalnum() for ch in text[start:end]):
            pieces.append((start, end))
    return pieces


class _Doc:
    """Token lookups for one parse: heads, children, sentences, quote masks."""

    def __init__(self, article: Article, parsed: ParsedText) -> None:
        self.article = article
        self.text = parsed.text
        self.tokens = parsed.tokens
        self.children: list[list[int]] = [[] for _ in parsed.tokens]
        for tok in parsed.tokens:
            if tok.head != tok.i:
                self.children[tok.head].append(tok.i)
        self.sentences = article.sentences
        self.double = find_double_quotes(self.text)
        self.single = [
            s for s in find_single_quotes(self.text) if not self._inside_any_double_mark(s)
        ]
        self.in_quote = [self._quoted(t.start) for t in parsed.tokens]
        self.entities = parsed.entities

    def span_head(self, start: int, end: int) -> int:
        """The token of [start, end) whose head lies outside the span."""
        for k in range(start, end):
            if not start <= self.tokens[k].head < end or self.tokens[k].head == k:
                return k
        return end - 1

    def sentence_before(self, sent: Sentence) -> Sentence | None:
        return self.sentences[sent.index - 1] if sent.index > 0 else None

    def _inside_any_double_mark(self, span: QuotedSpan) -> bool:
        return any(
            d.opened <= span.opened < d.closed and span.closed > d.closed for d in self.double
        )

    def _quoted(self, pos: int) -> bool:
        return any(s.start <= pos < s.end for s in self.double)

    def sentence_at(self, pos: int) -> Sentence:
        best = self.sentences[0]
        for sent in self.sentences:
            if sent.start <= pos:
                best = sent
            else:
                break
        return best

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return [t for t in self.tokens if start <= t.start and t.end <= end]

    def subtree(self, i: int) -> list[int]:
        out = [i]
        stack = [i]
        while stack:
            for child in self.children[stack.pop()]:
                out.append(child)
                stack.append(child)
        return sorted(out)

    def child(self, i: int, *deps: str) -> int | None:
        for c in self.children[i]:
            if self.tokens[c].dep in deps:
                return c
        return None


def _cue_text(doc: _Doc, i: int) -> str:
    """The cue as written: the verb with its particle (pointed out) and auxiliaries (is said)."""
    tok = doc.tokens[i]
    if tok.text.lower() == "according":
        return "according to"
    start, end = tok.start, tok.end
    obj = doc.child(i, "dobj")
    if obj == i + 1 and doc.tokens[obj].lemma.lower() in CLAUSE_NOUNS:
        end = doc.tokens[obj].end  # "expressed hope"
    prt = doc.child(i, "prt")
    if prt is not None and doc.tokens[prt].i == i + 1:
        end = doc.tokens[prt].end
    return doc.text[start:end]


def _same_line_subject(doc: _Doc, subj: int, verb: int) -> int | None:
    """A subject parsed across a line break (a subheading run into the text) is cut back to
    the word before the verb on the verb's own line."""
    lo, hi = sorted((doc.tokens[subj].start, doc.tokens[verb].start))
    if "\n" not in doc.text[lo:hi]:
        return subj
    before = verb - 1
    if before < 0:
        return None
    same_line = "\n" not in doc.text[doc.tokens[before].start : doc.tokens[verb].start]
    if doc.tokens[before].pos in ("PROPN", "PRON", "NOUN") and same_line:
        return before
    return None


def _name_after(doc: _Doc, i: int) -> int | None:
    """'"...," said engineer Priya Castellane': a name just after a verb that follows a quote
    or comma, however the parser attached it."""
    if i == 0 or not doc.tokens[i - 1].is_punct:
        return None
    for ent in doc.entities:
        if ent.label in ("PERSON", "ORG") and i < ent.token_start <= i + 3:
            return doc.span_head(ent.token_start, ent.token_end)
    return None


def _subject(doc: _Doc, i: int) -> int | None:
    """The speaker token of a speech verb: its subject, or its governing verb's subject."""
    seen = 0
    while seen < 4:
        subjects = [c for c in doc.children[i] if doc.tokens[c].dep in ("nsubj", "nsubjpass")]
        subj = min(subjects, key=lambda c: abs(c - i)) if subjects else None
        if subj is not None and doc.tokens[subj].dep == "nsubj":
            return _same_line_subject(doc, subj, i)
        if subj is not None:
            return None  # "is said to": passive, no speaker
        named = _name_after(doc, i)
        if named is not None:
            return named
        agent = doc.child(i, "agent")
        if agent is not None:
            return doc.child(agent, "pobj")
        obj = doc.child(i, "dobj", "attr")
        if (
            obj is not None
            and 0 < obj - i <= 3
            and i > 0
            and doc.tokens[i - 1].is_punct
            and doc.tokens[i].lemma.lower() in REPORT_LEMMAS - {"tell", "inform"}
        ):
            return obj  # inverted order: "...," added the doctor
        tok = doc.tokens[i]
        if tok.dep in ("xcomp", "advcl", "conj", "pcomp") and tok.head != i:
            i = tok.head
            seen += 1
            continue
        return None
    return None


# Titles and honorifics dropped from a canonical name ("Mr Gaskin" -> "Gaskin" -> "Dave Gaskin").
TITLES = _wordset(
    """
    mr mrs ms miss dr prof sir dame lord lady judge justice president pres vice gov
    governor rep sen senator capt captain cpl sgt lt gen col maj det insp inspector
    chief officer rev father coach minister secretary mayor prosecutor attorney
    commissioner chairman chairwoman spokesman spokeswoman spokesperson professor doctor
    deputy sheriff king queen prince princess pope bishop cardinal general colonel
    sergeant corporal lieutenant admiral premier chancellor ambassador superintendent
    constable dist da
    """
)
MALE_WORDS = _wordset(
    """
    mr he him his himself man men boy father dad son brother husband boyfriend uncle
    nephew grandfather king prince sir lord spokesman chairman businessman actor waiter
    gentleman
    """
)
FEMALE_WORDS = _wordset(
    """
    mrs ms miss she her hers herself woman women girl mother mom mum daughter sister
    wife girlfriend aunt niece grandmother queen princess lady dame spokeswoman
    chairwoman businesswoman actress waitress widow
    """
)
# An unnamed speaker with one of these roles in a named organization speaks for it.
ORG_ROLES = _wordset(
    """
    spokesman spokeswoman spokesperson representative official journalist reporter
    correspondent statement witness photographer source sources officials staff release
    communique team
    """
)
# Heads of a noun phrase that name an organization by its kind ("the company", "the ministry").
ORG_NOUNS = _wordset(
    """
    company firm newspaper paper daily agency ministry department government council
    police office group organization organisation institute commission board bank court
    union party network broadcaster station club team university hospital service bureau
    inspectorate coastguard guard committee army military authority regulator tribunal
    survey center centre magazine channel
    """
)
# Kinds that may be any organization seen earlier, not only one whose name has the word.
GENERIC_ORG_NOUNS = frozenset(
    {"company", "firm", "newspaper", "paper", "daily", "agency", "group", "magazine"}
)
# Roles that put a person's name after them ("disaster agency official Fauzi").
PERSON_ROLES = _wordset(
    """
    official spokesman spokeswoman spokesperson doctor director officer minister
    president chief head manager coach lawyer attorney prosecutor judge inspector
    commander resident witness analyst professor expert engineer secretary chairman
    leader activist captain detective sergeant governor mayor senator
    """
)
# Heads of a phrase that speaks for an organization without naming a person.
SPOKESPERSONS = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "representative", "statement", "report"}
)
_MODIFIER_DEPS = frozenset(
    {"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "npadvmod", "punct", "case"}
)
# Possessors that place a role rather than give it an owner ("the city's top prosecutor").
PLACE_NOUNS = frozenset({"city", "town", "state", "country", "nation", "region", "county"})
PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
SPEAKER_LABELS = ("PERSON", "ORG", "GPE")


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


# Last words of company and institution names (a person's name does not end in them).
COMPANY_WORDS = _wordset(
    """
    estates holdings industries partners associates systems airlines airways foods motors
    group inc ltd llc corp corporation company co plc gmbh ag bank media energy mining
    technologies pharmaceuticals labs laboratories services solutions lines link logistics
    insurance capital investments properties ventures enterprises
    """
)


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

    def _mention(self, ent: EntitySpan) -> _Mention | None:
        if ent.label not in SPEAKER_LABELS:
            return None
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
        """Canonical name and mention text of the speaker whose phrase has head token ``i``."""
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
        spans = [(lo, hi)]
        spans += [(c, doc.subtree(c)[-1]) for c in doc.children[i] if doc.tokens[c].dep == "appos"]
        spans.append((hi + 1, hi + 4 if doc.tokens[i].text.lower() in TITLES else hi + 1))
        for a, b in spans:
            found = [
                m
                for m in self.mentions
                if m.label == "PERSON"
                and a <= m.token_start <= b
                and not self._is_possessor(m, i)
                and self._joined(hi, m.token_start)
            ]
            if found:
                holding = [m for m in found if m.token_start <= i < m.token_end]
                return (holding or found)[-1].name
        return None

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
            return None  # "the beer distributor's president": a role in another body
        for m in reversed(before):
            kind_fits = (m.label == "PERSON") != (noun in ORG_NOUNS)
            if kind_fits and noun in self.descriptors.get(m.name, ()):
                return m.name
        ahead = self._named_soon_after(noun, pos)
        if ahead is not None:
            return ahead
        if noun in ORG_NOUNS:
            return self._organization(i, lo, hi, noun)
        if noun in SPOKESPERSONS:
            named = self._organization_of(i)
            if named is not None:
                return named
            for k in range(lo, i):
                if doc.tokens[k].lemma.lower() in ORG_NOUNS and doc.tokens[k].head == i:
                    return self._organization(k, *self.mention_span(k), doc.tokens[k].lemma.lower())
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
            if nearby and noun in self.descriptors.get(m.name, ()):
                return m.name
        return None

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
        """The most recent compatible person, preferring subjects and earlier speakers."""
        doc = self.doc
        sent: Sentence | None = doc.sentence_at(pos)
        while sent is not None:
            lo, hi = sent.start, min(sent.end, pos)
            found = [
                (m.start, m.subject, m.name)
                for m in self.mentions
                if m.label == "PERSON" and lo <= m.start < hi and not m.quoted
            ]
            found += [
                (p, True, n) for p, n, label in self.history if label == "PERSON" and lo <= p < hi
            ]
            # "..., a police spokesman said. He said ...": the person who spoke for the body
            found += [(p, True, n) for p, n, g in self.voices if lo <= p < hi and g in ("", gender)]
            found.sort(key=lambda f: (f[1], f[0]), reverse=True)
            for _start, _subject, name in found:
                if self.gender.get(name, gender) == gender:
                    return name
            sent = doc.sentence_before(sent)
        return None

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
        return not (n_words <= 2 and not _governs(doc, cue, span))
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
    if parsed.text != article.text:
        raise ValueError(f"parse of a different text given for article {article.id}")
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
            )
            for start, end in cand.pieces
        )
    quotes.sort(key=lambda q: (q.start, q.end))
    return [dataclasses.replace(q, id=f"{article.id}:q{n}") for n, q in enumerate(quotes, start=1)]


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
