"""The ``papershelf`` command line: one function per command, and ``main``.

Every error a user can fix is a PapershelfError: ``main`` prints it as one line,
``papershelf: path:line: message (fix)``, and exits with its status (2). Exit
status 1 means "problems found" (check, import) or "some feeds failed" (fetch)
and is returned by the commands themselves. Anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from papershelf import cli_parser
from papershelf.errors import PapershelfError, SettingsError


def cmd_fetch(args) -> int:
    from papershelf.config import load_settings
    from papershelf.ingest.fetch import run_fetch

    settings = load_settings(args.settings)
    return run_fetch(settings["PAPERSHELF_VALIDATED"], args.source, args.date)


def cmd_build(args) -> int:
    from papershelf.config import load_settings
    from papershelf.site.build import run_pelican

    overrides = {"OUTPUT_PATH": args.output} if args.output else {}
    settings = load_settings(args.settings, overrides)
    built = run_pelican(settings)
    for warning in built.warnings:
        print(f"papershelf: warning: {warning}", file=sys.stderr)
    print(built.report)
    print(f"site built in {settings['OUTPUT_PATH']}")
    return 0


def cmd_serve(args) -> int:
    from papershelf.site.devserver import run_serve

    def report(error: PapershelfError) -> None:
        print(f"papershelf: {error_line(error, args.settings)}", file=sys.stderr, flush=True)

    return run_serve(
        args.settings,
        output=args.output,
        bind=args.bind,
        port=args.port,
        reload=args.reload,
        report=report,
    )


def cmd_check(args) -> int:
    from pelican.urlwrappers import Tag

    from papershelf.config import load_settings
    from papershelf.notes.commands import run_check

    settings = load_settings(args.settings)
    return run_check(
        settings["PAPERSHELF_VALIDATED"],
        args.paths,
        tag_page=lambda name: Tag(name, settings).url,
    )


def cmd_new_note(args) -> int:
    from papershelf.config import load_settings
    from papershelf.notes.commands import run_new_note

    run_new_note(load_settings(args.settings)["PAPERSHELF_VALIDATED"], args.id, args.source)
    return 0


def cmd_import_awesome_notes(args) -> int:
    from papershelf.config import load_settings
    from papershelf.importers.writing import run_import_awesome_notes

    options = load_settings(args.settings)["PAPERSHELF_VALIDATED"]
    return run_import_awesome_notes(options, args.file, args.notes_dir)


def cmd_import_arxiv_bot(args) -> int:
    from papershelf.config import load_settings
    from papershelf.importers.arxiv_bot_import import run_import_arxiv_bot

    options = load_settings(args.settings)["PAPERSHELF_VALIDATED"]
    return run_import_arxiv_bot(options, args.file, args.date)


def cmd_import_paper_explorer(args) -> int:
    from papershelf.config import load_settings
    from papershelf.importers.paper_explorer_import import run_import_paper_explorer

    options = load_settings(args.settings)["PAPERSHELF_VALIDATED"]
    return run_import_paper_explorer(options, args.file, args.date)


def cmd_summarize(args) -> int:
    from pathlib import Path

    from papershelf.config import load_settings
    from papershelf.summaries.summarize import run_summarize

    settings = load_settings(args.settings)
    # The project root is the folder holding the content, as for ARXIV_ARCHIVE_PATH.
    project_root = Path(settings.get("PATH", ".")).resolve().parent
    return run_summarize(
        settings["PAPERSHELF_VALIDATED"], args.limit, project_root, stale=args.stale
    )


def cmd_dedupe(args) -> int:
    from papershelf.config import load_settings
    from papershelf.ingest.dedupe_run import run_dedupe

    return run_dedupe(load_settings(args.settings)["PAPERSHELF_VALIDATED"], args.dry_run)


def cmd_resolve(args) -> int:
    from papershelf.config import load_settings
    from papershelf.ingest.resolve import run_resolve

    options = load_settings(args.settings)["PAPERSHELF_VALIDATED"]
    return run_resolve(options, args.limit, args.dry_run)


def cmd_bench(args) -> int:
    if args.dedupe:
        from papershelf.devtools.bench_dedupe import format_dedupe_report, run_dedupe_bench

        sizes = sorted({args.papers // 10, args.papers})
        print(format_dedupe_report(run_dedupe_bench(sizes, args.seeds)))
        return 0
    if args.fetch:
        from papershelf.devtools.bench_fetch import run_fetch_bench

        return run_fetch_bench(args)
    from papershelf.devtools.bench import run_bench

    return run_bench(args)


HANDLERS = {
    "fetch": cmd_fetch,
    "build": cmd_build,
    "serve": cmd_serve,
    "check": cmd_check,
    "new-note": cmd_new_note,
    "import awesome-notes": cmd_import_awesome_notes,
    "import arxiv-bot": cmd_import_arxiv_bot,
    "import paper-explorer": cmd_import_paper_explorer,
    "summarize": cmd_summarize,
    "dedupe": cmd_dedupe,
    "resolve": cmd_resolve,
    "bench": cmd_bench,
}


def build_parser() -> argparse.ArgumentParser:
    return cli_parser.build_parser(HANDLERS)


def error_line(error: PapershelfError, settings_file: str) -> str:
    """The one line to print for ``error``: a setting's error names the settings
    file, a path under the working folder is shown relative to it (as ``check``
    shows notes), and a message spanning lines is joined into one."""
    where = error.where
    if isinstance(error, SettingsError) and where is None:
        where = settings_file  # the key is in the message; the file is the CLI's to say
    if where and os.path.isabs(where):
        relative = os.path.relpath(where)
        where = where if relative.startswith("..") else relative
    shown = PapershelfError(error.message, where=where, line=error.line, fix=error.fix)
    return " ".join(part.strip() for part in str(shown).splitlines() if part.strip())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
    )
    try:
        return args.func(args)
    except PapershelfError as error:
        print(f"papershelf: {error_line(error, args.settings)}", file=sys.stderr)
        return error.exit_status
    except OSError as error:
        # A folder that cannot be written (ARXIV_ARCHIVE_PATH, --output), a full
        # disk: the machine's state, not a bug, and the file says where to look.
        told = PapershelfError(error.strerror or str(error), where=error.filename)
        print(f"papershelf: {error_line(told, args.settings)}", file=sys.stderr)
        return told.exit_status
    except KeyboardInterrupt:
        # Every write is atomic, so an interrupted run leaves whole files only.
        print("papershelf: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
