"""The ``papershelf`` argument parser: commands, flags and their help texts."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from datetime import date

DESCRIPTION = "papershelf: build a static website of AI research papers."


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 1")
    return int(value)


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (0 to 65535)")
    return int(value)


def build_parser(handlers: Mapping[str, Callable]) -> argparse.ArgumentParser:
    """The parser; each command's ``func`` is ``handlers[name]`` (``import KIND`` for
    the importers), so the commands stay in cli.py and this module imports none."""
    parser = argparse.ArgumentParser(prog="papershelf", description=DESCRIPTION)
    parser.add_argument(
        "--settings",
        default="pelicanconf.py",
        help="the Pelican settings file (default: pelicanconf.py)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fetch = commands.add_parser(
        "fetch",
        help="read arXiv feeds into the paper archive",
        description="Read the arXiv feeds of ARXIV_CATEGORIES (or --source) and merge "
        "matching papers into the archive. Exit status 1 if any feed failed.",
    )
    fetch.add_argument(
        "--source",
        action="append",
        metavar="PATH_OR_URL",
        help="a feed file, a directory of feed files, or a URL; repeatable "
        "(default: the live feed of each configured category)",
    )
    fetch.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="announcement day to record (default: the day the feed states)",
    )
    fetch.set_defaults(func=handlers["fetch"])

    build = commands.add_parser(
        "build",
        help="build the site with Pelican",
        description="Build the site from the archive and content/ with Pelican. "
        "Use --settings publishconf.py for publishing.",
    )
    build.add_argument("--output", metavar="DIR", help="output directory (default: output)")
    build.set_defaults(func=handlers["build"])

    serve = commands.add_parser(
        "serve",
        help="serve the built site on this machine; --reload rebuilds it on every change",
        description="Serve the output folder on http://127.0.0.1:8000/ until Ctrl-C. "
        "With --reload, build first, then rebuild on every change under content/, the "
        "theme, the archive and the settings files (only the pages whose inputs changed "
        "are rendered again); open pages reload themselves after each build. A failed "
        "build is told in one line and the last good site stays served.",
    )
    serve.add_argument(
        "--port", type=_port, default=8000, metavar="N", help="port (default: 8000; 0: any free)"
    )
    serve.add_argument(
        "--bind",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="loopback address to listen on (default: 127.0.0.1)",
    )
    serve.add_argument(
        "--reload", action="store_true", help="build, then rebuild and reload on every change"
    )
    serve.add_argument("--output", metavar="DIR", help="output directory (default: output)")
    serve.set_defaults(func=handlers["serve"])

    check = commands.add_parser(
        "check",
        help="validate curated notes",
        description="Validate notes (default: every note in content/notes/). Prints one "
        "line per problem, 'path:line: message (how to fix)'; exit status 1 if any.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="note files to check")
    check.set_defaults(func=handlers["check"])

    new_note = commands.add_parser(
        "new-note",
        help="start a note for an arXiv paper",
        description="Write content/notes/<arxiv-id>.md prefilled from the archive record, "
        "or from the arXiv API. Never overwrites a note.",
    )
    new_note.add_argument("id", metavar="ID", help="arXiv id, e.g. 2511.19269")
    new_note.add_argument(
        "--source", metavar="FILE", help="a saved arXiv API answer to use instead of the network"
    )
    new_note.set_defaults(func=handlers["new-note"])

    importer = commands.add_parser(
        "import",
        help="import notes and papers from other paper lists",
        description="Convert another list of paper notes into note files, or a digest into "
        "archive records. Re-running is idempotent, and a note edited by hand is never "
        "overwritten (it is reported).",
    )
    sources = importer.add_subparsers(dest="kind", required=True, metavar="KIND")
    awesome = sources.add_parser(
        "awesome-notes",
        help="an awesome-list README, one '## ' section per paper",
        description="Write one note per '## ' section of an awesome-list README: title, "
        "arXiv id, date, rating, venue, affiliations, links and highlights. Prints what "
        "was recognised per section, then totals; progress goes to stderr. The files "
        "written are recorded in <ARXIV_ARCHIVE_PATH>/imports/awesome-notes.json.",
    )
    awesome.add_argument("file", metavar="FILE", help="the README to import")
    awesome.add_argument(
        "--notes-dir",
        metavar="DIR",
        help="where to write the notes (default: the notes folder in Pelican's PATH, "
        "content/notes/)",
    )
    awesome.set_defaults(func=handlers["import awesome-notes"])
    explorer = sources.add_parser(
        "paper-explorer",
        help="a paper-explorer dump: entries under topic headings, no titles",
        description="Add one archive record per entry of a paper-explorer dump: a local "
        "id (pe-<hash of the abstract>), a title derived from the text, the topic, "
        "hashtags as tags, the structured summary and the abstract. Prints stated and "
        "imported counts per topic heading (exit status 1 on a mismatch), then totals; "
        "progress goes to stderr. Re-running changes nothing. The stated counts are "
        "kept in <ARXIV_ARCHIVE_PATH>/imports/paper-explorer.json for the topic pages.",
    )
    explorer.add_argument("file", metavar="FILE", help="the dump to import")
    explorer.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="import date recorded on new papers (default: today; papers already "
        "imported keep theirs)",
    )
    explorer.set_defaults(func=handlers["import paper-explorer"])
    arxiv_bot = sources.add_parser(
        "arxiv-bot",
        help="an arXiv-bot README digest: ranked papers into the archive",
        description="Merge the ranked papers of an arXiv-bot README digest into the archive "
        "by arXiv id: the bot's score and rank as an import entry, its AI summaries, and "
        "never a truncated abstract over a fuller one. Double-encoded text is repaired "
        "first. Prints a line per paper, then totals; progress goes to stderr. Re-running "
        "changes nothing.",
    )
    arxiv_bot.add_argument("file", metavar="FILE", help="the digest README to import")
    arxiv_bot.add_argument(
        "--date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the digest day to record (default: the file's 'Last Updated' day)",
    )
    arxiv_bot.set_defaults(func=handlers["import arxiv-bot"])

    summarize = commands.add_parser(
        "summarize",
        help="write AI summaries for papers that have none (off unless configured)",
        description="Ask the OpenAI-compatible chat-completions API at SUMMARY_API_BASE "
        "(model SUMMARY_MODEL, key from the environment variable SUMMARY_API_KEY_ENV names) "
        "for a summary of each paper without one, newest first, SUMMARY_CONCURRENCY at a "
        "time, and store each in the archive as it arrives. A failed paper is named with "
        "the cause and left for the next run; exit status 1 if any failed, 2 if summaries "
        "are not configured. Progress goes to stderr.",
    )
    summarize.add_argument(
        "--limit",
        type=_positive,
        metavar="N",
        help="summarise at most N papers (default: all without a summary)",
    )
    summarize.add_argument(
        "--stale",
        action="store_true",
        help="write again the AI summaries made from an older version of their paper "
        "(a paper replaced since), instead of summarising papers without one",
    )
    summarize.set_defaults(func=handlers["summarize"])

    dedupe = commands.add_parser(
        "dedupe",
        help="merge records that describe one paper (fetch and import run it too)",
        description="Find records of one paper (same arXiv id; same abstract up to "
        "whitespace, case, TeX markup and truncation; same title unless the abstracts "
        "clearly differ; near-duplicate abstracts) without comparing all pairs, and keep "
        "one record with the arXiv id and every source's contribution. Prints a line per "
        "merge with both ids and the reason; the merged-away ids keep working as redirect "
        "pages. Exit status 0.",
    )
    dedupe.add_argument(
        "--dry-run", action="store_true", help="list what would merge and change nothing"
    )
    dedupe.set_defaults(func=handlers["dedupe"])

    resolve = commands.add_parser(
        "resolve",
        help="find the arXiv records of records without an arXiv id, and merge them",
        description="Ask the arXiv API (ARXIV_API_URL) about each record without an arXiv "
        "id, by a distinctive phrase of its abstract (and a short title), accept a result "
        "only when its abstract matches, and merge the record into the arXiv one with "
        "the API's metadata. Records arXiv had no match for are asked again after "
        "ARXIV_RESOLVE_RETRY_DAYS. Exit status 1 if some lookups failed.",
    )
    resolve.add_argument("--limit", type=_positive, metavar="N", help="look up at most N records")
    resolve.add_argument("--dry-run", action="store_true", help="ask and report, but write nothing")
    resolve.set_defaults(func=handlers["resolve"])

    bench = commands.add_parser(
        "bench",
        help="benchmark the build against plain Pelican",
        description="Synthesise N papers, build them with papershelf and as plain "
        "Markdown articles with plain Pelican in the same run, and report wall "
        "time, peak memory and their ratios.",
    )
    bench.add_argument("--papers", type=int, default=1000, metavar="N", help="papers (1000)")
    bench.add_argument("--workdir", metavar="DIR", help="keep the bench sites here")
    bench.add_argument(
        "--seeds",
        metavar="DIR",
        help="seed texts to synthesise from (default: ../shared/seeds beside the "
        "project when present, else the bundled text)",
    )
    bench.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    bench.add_argument(
        "--add",
        type=int,
        default=0,
        metavar="N",
        help="after the rebuild, add N papers of a new day to the archive and build "
        "again: the daily build, against a full build (default 0: no daily build)",
    )
    bench.add_argument(
        "--search",
        action="store_true",
        help="also measure search against Pagefind in headless Chromium (index build, "
        "bytes before the first result, cold and warm latency, Chinese recall and precision)",
    )
    bench.add_argument(
        "--dedupe",
        action="store_true",
        help="instead, time the duplicate finding of 'dedupe' on N/10 and N synthetic "
        "records (1%% of them copies to find) and report seconds and peak memory",
    )
    bench.add_argument(
        "--fetch",
        action="store_true",
        help="instead, time a day's fetch (--add papers, default 300, in feeds served on "
        "127.0.0.1) into an empty archive and into one of N papers, and their ratio",
    )
    bench.set_defaults(func=handlers["bench"])
    return parser
