"""The one entry point the edges call: inputs -> Comparison, with the production models."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from rashomon.analyze.align import shipped_pair_model
from rashomon.analyze.checks import check_inputs
from rashomon.analyze.compose import COMPARE_STEPS, compare_articles, who_said_what
from rashomon.analyze.segment import segment_article
from rashomon.backends import SentenceEmbedder, SpacyParser, identify_language, load_models
from rashomon.corpus.store import Store
from rashomon.errors import InputError, NotEnoughArticlesError
from rashomon.inputs.files import read_inputs, unique_ids
from rashomon.inputs.overrides import apply_overrides
from rashomon.inputs.text import check_unicode, parse_text
from rashomon.models import Article, Comparison
from rashomon.settings import Settings, load_settings
from rashomon.who.aliases import parse_aliases

Input = str | Path | Article
# How many times run_compare calls on_progress (reading, checking, loading models, then the
# steps of compare_articles): a progress bar's length.
RUN_COMPARE_STEPS = 3 + COMPARE_STEPS


def load_articles(
    inputs: Sequence[Input],
    *,
    settings: Settings,
    outlets: Mapping[str, str] | None = None,
    dates: Mapping[str, str] | None = None,
    texts: bool = False,
) -> tuple[list[Article], list[InputError]]:
    """Read paths, URLs, raw texts and Article objects, keeping the order given.

    A string is an http(s) URL or a path, never text, unless ``texts`` is set (the Python
    API): then a string that holds a line break and names no existing file is article text. A
    path that does not exist is an error, whatever it looks like.
    """
    articles: list[Article] = []
    errors: list[InputError] = []
    for n, item in enumerate(inputs, start=1):
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, Path) or not (texts and is_text(item)):
            found, errs = read_inputs([item], settings=settings)
            articles.extend(found)
            errors.extend(_hinted(e, item) if texts else e for e in errs)
        else:
            try:
                check_unicode(item, name="text", where=f"<text {n}>")
                articles.append(
                    parse_text(item, source=f"<text {n}>", day_first=settings.day_first)
                )
            except InputError as err:
                errors.append(err)
    articles = unique_ids(articles)
    if outlets or dates:
        articles = apply_overrides(articles, outlets=outlets or {}, dates=dates or {})
    return articles, errors


def is_text(item: str) -> bool:
    """The Python API's rule: a string with a line break that names no existing file is article
    text; any other string is a path or a URL."""
    if "\n" not in item or item.startswith(("http://", "https://")):
        return False
    try:
        return not Path(item).exists()
    except (OSError, ValueError):  # too long for a file name, or a NUL in it
        return True


def _hinted(error: InputError, item: str | Path) -> InputError:
    """A missing path given as a one-line string: say how to pass article text instead."""
    if not isinstance(item, str) or error.problem != "file not found":
        return error
    return InputError(
        error.where,
        error.problem,
        "Check the path and its spelling; to compare article text, pass it with its line "
        "breaks (a string without one is a path) or as an Article",
        line=error.line,
    )


def run_compare(
    inputs: Sequence[Input],
    *,
    settings: Settings,
    outlets: Mapping[str, str] | None = None,
    dates: Mapping[str, str] | None = None,
    on_progress: Callable[[str], None] | None = None,
    texts: bool = False,
) -> tuple[Comparison, list[InputError]]:
    """Read the inputs and compare the usable ones; return the inputs rejected too.

    The comparison's warnings name the rejected inputs, then what reading the others noticed,
    then what ``analyze.checks`` finds doubtful about comparing them (duplicates, not one
    story, not English).

    A string is a path or a URL (the command line), unless ``texts`` is set: see
    ``load_articles``.

    Raises:
        InputError: the first rejected input, when fewer than two articles are left.
        NotEnoughArticlesError: fewer than two inputs were given.
    """
    step = on_progress or (lambda _msg: None)
    step(f"reading {len(inputs)} inputs")
    articles, errors = load_articles(
        inputs, settings=settings, outlets=outlets, dates=dates, texts=texts
    )
    if errors and len(articles) < 2:
        if len(errors) == 1:
            raise errors[0]
        raise NotEnoughArticlesError(len(articles), rejected=errors)
    if len(articles) < 2:
        raise NotEnoughArticlesError(len(articles))
    step("checking the inputs")
    checks = check_inputs(
        articles, identify_language=identify_language, window_days=settings.window_days
    )
    step("loading the language models")
    load_models(settings.spacy_model, settings.embedding_model, settings.numeric)
    comparison = compare_articles(
        articles,
        parser=SpacyParser(settings.spacy_model),
        embedder=SentenceEmbedder(settings.embedding_model, numeric=settings.numeric),
        pair_model=shipped_pair_model(),
        settings=settings,
        on_progress=on_progress,
        aliases=read_aliases(settings),
    )
    warnings = (*(str(e) for e in errors), *comparison.warnings, *checks)
    if warnings:
        comparison = dataclasses.replace(comparison, warnings=warnings)
    return comparison, errors


def read_aliases(settings: Settings) -> dict[str, str] | None:
    """The user's alias file (CSV or YAML by its suffix), if the settings name one."""
    if not settings.aliases_file:
        return None
    path = Path(settings.aliases_file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(str(path), f"cannot read the alias file: {err.strerror}") from err
    fmt: Literal["csv", "yaml"] = "yaml" if path.suffix.lower() in {".yaml", ".yml"} else "csv"
    return parse_aliases(text, fmt=fmt, where=str(path))


def run_quotes(
    inputs: Sequence[Input],
    *,
    settings: Settings,
    outlets: Mapping[str, str] | None = None,
    dates: Mapping[str, str] | None = None,
) -> tuple[Comparison, list[InputError]]:
    """Quotes, speakers, entities and sources of one or more articles (no alignment).

    Raises:
        InputError: the first rejected input, when no article is left.
    """
    articles, errors = load_articles(inputs, settings=settings, outlets=outlets, dates=dates)
    if not articles:
        if errors:
            raise errors[0]
        raise NotEnoughArticlesError(0, needed=1, command="quotes")
    parser = SpacyParser(settings.spacy_model)
    parsed = parser.parse([a.text for a in articles])
    articles = [segment_article(a, p) for a, p in zip(articles, parsed, strict=True)]
    who = who_said_what(
        articles,
        parsed,
        SentenceEmbedder(settings.embedding_model, numeric=settings.numeric),
        aliases=read_aliases(settings),
    )
    comparison = Comparison(
        articles=tuple(articles),
        conflicts=who.conflicts,
        quotes=who.quotes,
        entities=who.entities,
        sources_cited=who.sources,
        quote_variants=who.variants,
        warnings=(*(str(e) for e in errors), *(w for a in articles for w in a.warnings)),
    )
    return comparison, errors


def compare_story(store: Store, story_id: str, *, settings: Settings) -> Comparison:
    """The comparison of a stored story: from the cache, or computed and cached.

    Raises:
        InputError: no story with that id.
        NotEnoughArticlesError: the story has one distinct article only.
    """
    if store.get_story(story_id) is None:
        raise InputError(story_id, "no story with this id", "List them with: rashomon stories")
    cached = store.get_comparison(story_id)
    if cached is not None:
        return cached
    articles = unique_ids(store.story_articles(story_id))
    if len(articles) < 2:
        raise NotEnoughArticlesError(len(articles), story=story_id)
    comparison = compare_articles(
        articles,
        parser=SpacyParser(settings.spacy_model),
        embedder=SentenceEmbedder(settings.embedding_model, numeric=settings.numeric),
        pair_model=shipped_pair_model(),
        settings=settings,
        aliases=read_aliases(settings),
    )
    store.put_comparison(story_id, comparison)
    return comparison


def compare(
    inputs: Sequence[Input],
    *,
    settings: Settings | None = None,
    outlets: Mapping[str, str] | None = None,
    dates: Mapping[str, str] | None = None,
) -> Comparison:
    """Compare articles given as paths, URLs, texts or Article objects.

    A string is an http(s) URL, or a path, unless it holds a line break and names no existing
    file: then it is the article's text. A path that does not exist is an error, never text.
    Inputs that cannot be read are listed in ``Comparison.warnings`` when at least two others
    can; otherwise the first problem is raised.

    Raises:
        InputError: an input cannot be read and fewer than two articles are left.
        NotEnoughArticlesError: fewer than two articles were given.
    """
    comparison, _ = run_compare(
        inputs, settings=settings or load_settings(), outlets=outlets, dates=dates, texts=True
    )
    return comparison
