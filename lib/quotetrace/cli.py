"""The ``quotetrace`` command line.

``quotetrace run [CORPUS] [--out DIR] [--run-id ID] [--on-error skip] [--originals FOLDER] [--recompute] [-p NAME VALUE ...]``
executes the verification notebooks on a corpus with papermill and writes a
report folder (see :mod:`quotetrace.run`), printing one line per stage (and
the progress of long stages), the verdict store it read, and at the end a
summary and the HTML report to open. ``quotetrace run --help`` lists the
notebooks' parameters. ``quotetrace find "QUOTE" FOLDER [--since DATE]``
lists where else the quote appears (see :mod:`quotetrace.search`). Exit
codes: 0 done, 2 bad input, parameters or report folder (the message says
which), 3 a notebook failed (the message names the cell).
"""

from __future__ import annotations

import argparse
import difflib
import sys

from .errors import QuotetraceError, RunError

__all__ = ["main"]


class _SubParser(argparse.ArgumentParser):
    """A sub-command's parser; ``run``'s help ends with the notebooks' parameters."""

    def format_help(self) -> str:
        text = super().format_help()
        return text + "\n" + _parameters_help() if self.prog.split()[-1] == "run" else text


def _parameters_help() -> str:
    """The parameters the report notebooks declare (name, type, default, help), for ``run --help``."""
    from .paths import notebooks_dir
    from .run import _RUN_SETS, REPORT_NOTEBOOKS, notebook_parameters

    lines = ["notebook parameters (-p NAME VALUE):"]
    seen: dict[str, list[str]] = {}
    declared: dict[str, dict] = {}
    for name in REPORT_NOTEBOOKS:
        try:
            params = notebook_parameters(notebooks_dir() / name)
        except Exception as exc:  # help must print even when a notebook cannot be read
            lines.append(f"  ({name} cannot be read: {exc})")
            continue
        for p, info in params.items():
            if p in _RUN_SETS:
                continue
            declared.setdefault(p, info)
            seen.setdefault(p, []).append(name.removesuffix(".ipynb"))
    for p, info in declared.items():
        where = "" if len(seen[p]) == len(REPORT_NOTEBOOKS) else f" [{', '.join(seen[p])} only]"
        lines.append(f"  {p} ({info['type']}, default {info['default']}){where}")
        if info.get("help"):
            lines.append(f"      {info['help']}")
    return "\n".join(lines) + "\n"


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("quotetrace")
    except metadata.PackageNotFoundError:
        from . import __version__

        return __version__


def _parser() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(prog="quotetrace", description="Verify quotes and claims across news sources.")
    parser.add_argument("--version", action="version", version=f"quotetrace {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_SubParser)
    run = sub.add_parser(
        "run",
        help="run the verification notebooks on a corpus and write a report folder",
        description="Run the verification notebooks on a corpus and write a report folder.",
    )
    run.add_argument("corpus", nargs="?", default="tweetgate", help="bundled corpus name or a folder of articles, subfolders included (default: tweetgate)")
    run.add_argument("--out", default=None, help="reports folder (default: reports/ in a quotetrace checkout, else a per-user data folder)")
    run.add_argument("--run-id", default=None, help="name of the run folder (default: UTC start time and a random suffix)")
    run.add_argument("--on-error", choices=("raise", "skip"), default="raise",
                     help="skip: load the articles that can be read and list the others in problems.csv (default: raise, naming every bad file)")
    run.add_argument("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786) to run extraction and matching on")
    run.add_argument("--originals", default=None,
                     help="folder of originals (tweets.js, .vtt/.srt/.txt transcripts, statements) to check every quote against "
                          "(default: the corpus's own, marked role=original in its manifest or in its originals/ folder)")
    run.add_argument("--recompute", action="store_true",
                     help="run the notebooks even when nothing changed since the last run (by default its report is reused)")
    run.add_argument("--verdicts", default=None, help="verdict store to show (default: <out>/<corpus>/verdicts.sqlite, the review notebook's store)")
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="notebook parameter, e.g. -p score_cutoff 85 (listed below)",
    )
    find = sub.add_parser("find", help="where else does a quote appear? look for it in every article of a folder")
    find.add_argument("quote", help="the words to look for")
    find.add_argument("corpus", help="bundled corpus name or a folder of articles")
    find.add_argument("--since", default=None, help="only articles published on or after this date, written year first: YYYY-MM-DD (or YYYY-MM, YYYY)")
    find.add_argument("--out", default=None, help="reports folder whose cache to use (default: the reports folder quotetrace run uses)")
    return parser, run


def _options(parser: argparse.ArgumentParser) -> list[str]:
    return [o for action in parser._actions for o in action.option_strings]


def _without_iri_grammars() -> None:
    """Keep jsonschema from building its IRI grammars in this process.

    papermill and nbconvert validate notebooks with jsonschema, whose format checkers import
    ``rfc3987_syntax`` when it is installed (jupyterlab brings it); that import builds about 35
    Earley parsers, 1.3-2 s of every run, for the ``iri`` formats, which no notebook schema uses
    (python-jsonschema/jsonschema#1428). Marking the module absent makes jsonschema skip those two
    checkers and nothing else. Done only before jsonschema is first imported.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    _without_iri_grammars()
    parser, run_parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        if args.command == "run":
            hints = [m for e in extra if e.startswith("-") for m in difflib.get_close_matches(e.split("=")[0], _options(run_parser), n=1)]
            run_parser.error(f"unrecognized arguments: {' '.join(extra)}" + (f" (did you mean {', '.join(hints)}?)" if hints else ""))
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "run":
            from .run import run_report

            parameters = dict(args.parameter)
            if args.scheduler:
                parameters["scheduler"] = args.scheduler
            if args.originals:
                parameters["originals"] = args.originals  # passed to the notebooks that declare it
            result = run_report(
                args.corpus,
                out=args.out,
                run_id=args.run_id,
                parameters=parameters,
                verdicts_db=args.verdicts,
                on_error=args.on_error,
                progress=lambda line: print(line, flush=True),
                recompute=args.recompute,
            )
            for html in result.html:
                if html.is_file():
                    print(f"Open: {html}")
            return 0
        if args.command == "find":
            from .search import find_command

            print(find_command(args.quote, args.corpus, since=args.since, out=args.out))
            return 0
    except RunError as exc:
        print(f"quotetrace: the run failed: {exc}", file=sys.stderr)
        return 3
    except QuotetraceError as exc:
        print(f"quotetrace: {exc}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
