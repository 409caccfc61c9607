"""The ``quotetrace`` command line.

``quotetrace run [CORPUS] [--out DIR] [--run-id ID] [-p NAME VALUE ...]``
executes the verification notebooks on a corpus with papermill and writes a
report folder (see :mod:`quotetrace.run`); long stages print their progress
on stderr. ``quotetrace find "QUOTE" FOLDER [--since DATE]`` lists where else
the quote appears (see :mod:`quotetrace.search`). Exit codes: 0 done, 2 bad input or
parameters (the message says which), 3 a notebook failed (the message names
the cell).
"""

from __future__ import annotations

import argparse
import sys

from .errors import QuotetraceError, RunError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quotetrace", description="Verify quotes and claims across news sources.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the verification notebooks on a corpus and write a report folder")
    run.add_argument("corpus", nargs="?", default="tweetgate", help="bundled corpus name or a folder of articles (default: tweetgate)")
    run.add_argument("--out", default=None, help="reports folder (default: ./reports)")
    run.add_argument("--run-id", default=None, help="name of the run folder (default: UTC start time)")
    run.add_argument("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786) to run extraction and matching on")
    run.add_argument("--verdicts", default=None, help="verdict store to show (default: <out>/<corpus>/verdicts.sqlite)")
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="notebook parameter, e.g. -p score_cutoff 85 (see: papermill --help-notebook notebooks/verify_quotes.ipynb)",
    )
    find = sub.add_parser("find", help="where else does a quote appear? look for it in every article of a folder")
    find.add_argument("quote", help="the words to look for")
    find.add_argument("corpus", help="bundled corpus name or a folder of articles")
    find.add_argument("--since", default=None, help="only articles published on or after this date (YYYY-MM-DD)")
    find.add_argument("--out", default=None, help="reports folder whose cache to use (default: ./reports)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            from .run import run_report

            parameters = dict(args.parameter)
            if args.scheduler:
                parameters["scheduler"] = args.scheduler
            result = run_report(args.corpus, out=args.out, run_id=args.run_id, parameters=parameters, verdicts_db=args.verdicts, progress=True)
            print(f"Report for {result.corpus}: {result.folder}")
            for f in result.files:
                print(f"  {f}")
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
