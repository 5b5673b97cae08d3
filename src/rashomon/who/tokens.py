"""A token index over one article's parse: sentences, dependents, subjects and cues, looked up
by position.
"""

from __future__ import annotations

from rashomon.lexicon import CLAUSE_NOUNS, REPORT_LEMMAS
from rashomon.models import Article, Sentence
from rashomon.nlp import ParsedText, Token
from rashomon.who.marks import QuotedSpan, find_double_quotes, find_single_quotes


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
    or comma, however the parser attached it.

    Not after a participle (", revealing through the club's account that ...": the speaker is
    the subject of the clause it hangs on) and not a name governed by a preposition (the
    medium, the place or the addressee of the statement).
    """
    if i == 0 or not doc.tokens[i - 1].is_punct or doc.tokens[i].tag == "VBG":
        return None
    for ent in doc.entities:
        if ent.label in ("PERSON", "ORG") and i < ent.token_start <= i + 3:
            head = doc.span_head(ent.token_start, ent.token_end)
            return None if doc.tokens[head].dep == "pobj" else head
    return None


def _subject(doc: _Doc, i: int) -> int | None:
    """The speaker token of a speech verb: its subject, or its governing verb's subject."""
    seen = 0
    quoted_as = False  # reached through "quoted as saying"
    while seen < 4:
        subjects = [c for c in doc.children[i] if doc.tokens[c].dep in ("nsubj", "nsubjpass")]
        subj = min(subjects, key=lambda c: abs(c - i)) if subjects else None
        if subj is not None and doc.tokens[subj].dep == "nsubj":
            return _same_line_subject(doc, subj, i)
        if subj is not None and quoted_as:
            return _same_line_subject(doc, subj, i)  # "X was quoted as saying": X spoke
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
        head = doc.tokens[tok.head]
        if tok.dep == "pcomp" and head.text.lower() == "as" and head.head != head.i:
            verb = doc.tokens[head.head]
            if verb.lemma.lower() in ("quote", "cite"):
                i, quoted_as = verb.i, True  # "was quoted as saying": up past "as"
                seen += 1
                continue
        if tok.dep in ("xcomp", "advcl", "conj", "pcomp") and tok.head != i:
            i = tok.head
            seen += 1
            continue
        return None
    return None
