"""Data only: the one home of rashomon's word lists and name tables.

Wire agencies (one table, one canonical name each), reporting verbs, titles, roles, pronouns and
gender words. Code that needs one of these imports it from here; a second copy would drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


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
# A role named by a general word, and the titles of those who hold it: "the top US diplomat"
# is the secretary of state, foreign minister or ambassador named in the article.
ROLE_HOLDERS: dict[str, frozenset[str]] = {
    "diplomat": frozenset({"minister", "secretary", "ambassador", "envoy"}),
    "lawmaker": frozenset({"senator", "congressman", "congresswoman", "representative", "mp"}),
    "legislator": frozenset({"senator", "congressman", "congresswoman", "representative", "mp"}),
    "envoy": frozenset({"ambassador"}),
}
# Nouns that make a speaker phrase a news agency or outlet ("the news agency Balta said"):
# one that relays another's statement is a source cited, not the statement's speaker.
NEWS_NOUNS = frozenset(
    {
        "news",
        "agency",
        "newspaper",
        "paper",
        "daily",
        "broadcaster",
        "magazine",
        "outlet",
        "tabloid",
        "wire",
        "television",
        "radio",
        "channel",
    }
)
# Speech verbs that deny what they report ("denied they carried out the strike").
DENIAL_LEMMAS = frozenset({"deny", "reject", "dismiss", "refute", "rebut", "dispute", "disown"})
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


# Last words of company and institution names (a person's name does not end in them).
COMPANY_WORDS = _wordset(
    """
    estates holdings industries partners associates systems airlines airways foods motors
    group inc ltd llc corp corporation company co plc gmbh ag bank media energy mining
    technologies pharmaceuticals labs laboratories services solutions lines link logistics
    insurance capital investments properties ventures enterprises
    """
)


# --- wire agencies ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Agency:
    """A wire agency: the one name rashomon shows for it, and every form that credits it."""

    name: str
    names: tuple[str, ...] = ()  # other names written in running text ("Associated Press")
    # Short forms trusted only inside a credit, "(CP) -": alone in text they mean other things.
    credits: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


AGENCIES: tuple[Agency, ...] = (
    Agency("AP", ("Associated Press",), domains=("apnews.com",)),
    Agency("Reuters", ("Thomson Reuters",), domains=("reuters.com",)),
    Agency("AFP", ("Agence France-Presse", "Agence France Presse"), domains=("afp.com",)),
    Agency("dpa", ("Deutsche Presse-Agentur",)),
    Agency("ANSA", domains=("ansa.it",)),
    Agency("EFE", domains=("efe.com",)),
    Agency("Xinhua", domains=("xinhuanet.com",)),
    Agency("Kyodo", ("Kyodo News",)),
    Agency("Yonhap"),
    Agency("PA", ("PA Media", "Press Association")),
    Agency("UPI", ("United Press International",), domains=("upi.com",)),
    Agency("TASS"),
    Agency("Anadolu", ("Anadolu Agency",), domains=("aa.com.tr",)),
    Agency("Canadian Press", ("The Canadian Press",), credits=("CP",)),
    Agency("AAP", ("Australian Associated Press",)),
    Agency("Interfax"),
    Agency("RIA Novosti"),
    Agency("PTI", ("Press Trust of India",)),
    Agency("Bernama"),
    Agency("IRNA"),
    Agency("Antara"),
    Agency("Jiji"),
    Agency("KCNA"),
    Agency("SANA"),
    Agency("WAFA"),
)

# Name as written in running text -> canonical name. "PA" alone is not listed: it is also a
# state; it counts only as a credit (``AGENCY_CREDITS``).
WIRE_AGENCIES: dict[str, str] = {
    written: a.name for a in AGENCIES for written in (a.name, *a.names) if written != "PA"
}
# Canonical name -> every form that credits it in a dateline, a closing credit or an outlet name.
AGENCY_CREDITS: dict[str, tuple[str, ...]] = {
    a.name: (*a.names, *a.credits, *a.domains) for a in AGENCIES
}
# Words that open a noun phrase without naming anything: "Another news agency", "Some reports".
DETERMINERS = _wordset(
    """
    a an the another other others one some several many each every both any all its their
    his her this that these those such no either neither according to
    """
)
# "(Reporting by ...; Editing by ...)": Reuters' credit line.
REPORTING_BY = re.compile(r"\((?:additional\s+)?(?:reporting|writing)\s+by\b[^)]*\)", re.IGNORECASE)
# the reason a closing credit line taken off the end of the text is kept under (boilerplate)
CREDIT_LINE = "credit-line"


# General intensity and evaluative words that signal framing rather than fact.
LOADED_WORDS = frozenset(
    [
        "absolutely",
        "alarming",
        "appalling",
        "astonishing",
        "atrocious",
        "awful",
        "bizarre",
        "blasted",
        "blistering",
        "bloody",
        "brazen",
        "brutal",
        "catastrophic",
        "chaos",
        "chaotic",
        "clearly",
        "controversial",
        "crushing",
        "dangerous",
        "deadly",
        "decimated",
        "desperate",
        "devastating",
        "disastrous",
        "disgraceful",
        "dramatic",
        "dramatically",
        "egregious",
        "embattled",
        "enormous",
        "epic",
        "explosive",
        "extreme",
        "extremely",
        "fierce",
        "fiercely",
        "furious",
        "hailed",
        "heroic",
        "horrific",
        "horrifying",
        "huge",
        "incredible",
        "infamous",
        "insane",
        "lambasted",
        "landmark",
        "massive",
        "merely",
        "miraculous",
        "notorious",
        "obviously",
        "outrageous",
        "overwhelming",
        "praised",
        "promptly",
        "radical",
        "ruthless",
        "scandal",
        "scathing",
        "shameful",
        "shocking",
        "slammed",
        "so-called",
        "staggering",
        "stunning",
        "terrible",
        "terrifying",
        "thug",
        "thugs",
        "tragic",
        "tremendous",
        "unprecedented",
        "very",
        "vicious",
        "wildly",
        "slams",
        "blasts",
    ]
)


# --- dates ---------------------------------------------------------------------------------

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTH_ABBREVIATIONS = (
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec",
)  # fmt: skip
DAY_OF_MONTH = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# the reason a dateline taken off the start of the text is kept under (Article.boilerplate)
DATELINE = "dateline"
