"""search_index: the sharded lunr index of every paper, and the /search/ page.

At the end of the build, after the pages, every paper article becomes a search
document (papershelf.search.index), lunr.py indexes them, and the index is
written as shards under ``search/`` (papershelf.search.shards), each file as
soon as it is made; the documents are let go of once it is written. The browser side lives in
``theme/static/js/``: ``search-core.js`` (the same tokenising and query rules),
``search-worker.js`` (loads shards in a Web Worker) and ``search-ui.js``.
lunr.js itself comes from npm (``node_modules/lunr``) and is copied to
``theme/js/lunr.min.js``.

Unchanged papers keep their cached terms; an unchanged collection skips the
index build altogether, and only files whose bytes changed are rewritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path

from lunr import __TARGET_JS_VERSION__
from pelican import signals
from pelican.generators import Generator

from papershelf.build_state import build_state
from papershelf.config import plugin_settings
from papershelf.files import replace_file
from papershelf.notes.tags import tag_aliases
from papershelf.search.documents import search_doc
from papershelf.search.index import build_index, ordered
from papershelf.search.phrases import whole_index
from papershelf.search.shards import stored_file, stored_name, write_search_files
from papershelf.search.term_cache import TERM_CACHE_FILE, TermCache
from papershelf.site.build import BuildError
from papershelf.site.fingerprint import code_digest
from papershelf.site.listing import listing_key, write_page
from papershelf.site.page_scripts import joined
from papershelf.site.staging import reuse

logger = logging.getLogger(__name__)
LOG_PREFIX = "[search_index]"

LUNR_SAVE_AS = "theme/js/lunr.min.js"
# lunr.js and search-core.js in one file, so the worker starts with one request.
BUNDLE_SAVE_AS = "theme/js/search-bundle.js"
CORE_SCRIPT = Path("static") / "js" / "search-core.js"
MANIFEST = "search-manifest.json"


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # SEARCH_*: papershelf.settings


def find_lunr(roots) -> Path:
    for root in roots:
        for folder in (root, *root.parents):
            candidate = folder / "node_modules" / "lunr"
            if (candidate / "lunr.min.js").is_file():
                version = json.loads((candidate / "package.json").read_text())["version"]
                if version != __TARGET_JS_VERSION__:
                    raise BuildError(
                        f"lunr.js {version}, but lunr.py writes indexes for "
                        f"{__TARGET_JS_VERSION__}",
                        where=candidate,
                        fix="run 'npm ci' (package-lock.json pins it)",
                    )
                return candidate / "lunr.min.js"
    raise BuildError("lunr.js is not installed (no node_modules/lunr)", fix="run 'make setup'")


class SearchGenerator(Generator):
    # The documents are made when the index is written, after the pages, and let go
    # of at once: the render never holds them beside its own work.
    docs: list = []

    def generate_output(self, writer):
        options = plugin_settings(self.settings)
        save_as, key = options["SEARCH_SAVE_AS"], listing_key("search")
        write_page(self, writer, save_as, "search", key, noindex=True)
        output = Path(self.output_path)
        lunr_js = find_lunr([Path.cwd(), Path(__file__).resolve().parent]).read_bytes()
        replace_file(output / LUNR_SAVE_AS, lunr_js, durable=False)
        core = (Path(self.settings["THEME"]) / CORE_SCRIPT).read_bytes()
        replace_file(output / BUNDLE_SAVE_AS, joined([lunr_js, core]), durable=False)
        with build_state(self.settings).clock.stage("search"):
            self.docs = self.documents()
            try:
                self.write_index(output / options["SEARCH_INDEX_DIR"].strip("/"))
            finally:
                self.docs = []

    def documents(self) -> list:
        """Every paper's search document, in ref order."""
        aliases = tag_aliases(self.settings)
        return ordered(search_doc(a, aliases) for a in self.context.get("articles", []))

    def write_index(self, folder: Path) -> None:
        cache_dir = Path(self.settings.get("CACHE_PATH") or "cache")
        manifest_path = cache_dir / MANIFEST
        key = self.collection_key()
        manifest = _read_json(manifest_path)
        dump = plugin_settings(self.settings)["SEARCH_DUMP_INDEX"]
        before = manifest.get("files", {})
        relative = folder.relative_to(self.output_path).as_posix()
        kept = bool(before) and all(reuse(self.settings, f"{relative}/{name}") for name in before)
        if not dump and manifest.get("key") == key and kept:
            logger.info("%s %d papers, index unchanged", LOG_PREFIX, len(self.docs))
            return
        started = time.perf_counter()
        # A SearchIndexError names the paper; the CLI prints it as it is.
        builder = build_index(self.docs, TermCache(cache_dir / TERM_CACHE_FILE), LOG_PREFIX)
        sizes: dict[str, str] = {}
        written = total_bytes = 0

        def put(name: str, data: bytes) -> None:
            # Each file goes to disk as soon as it is made (or stays, linked from the
            # last build), so the index is never held whole; the manifest knows it
            # by the digest of its JSON, so an unchanged file is not compressed again.
            nonlocal written, total_bytes
            digest = _digest(data)
            stored = stored_name(name)
            if before.get(stored) == digest and reuse(self.settings, f"{relative}/{stored}"):
                sizes[stored] = digest
                total_bytes += _placed(self.settings, folder, relative, stored).stat().st_size
                return
            stored, data = stored_file(name, data)
            sizes[stored], total_bytes = digest, total_bytes + len(data)
            written += replace_file(folder / stored, data, durable=False)

        if dump:
            index = whole_index(builder).serialize()
            Path(dump).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
            del index
        write_search_files(builder, self.docs, put, let_go=True)
        del builder
        for stale in set(manifest.get("files", {})) - set(sizes):
            (folder / stale).unlink(missing_ok=True)
        cache_dir.mkdir(parents=True, exist_ok=True)
        seconds = round(time.perf_counter() - started, 3)
        record = {"key": key, "files": sizes, "build_seconds": seconds}
        replace_file(manifest_path, json.dumps(record).encode())
        logger.info(
            "%s %d papers, %d files (%d changed), %.1f MB in %.1f s",
            LOG_PREFIX,
            len(self.docs),
            len(sizes),
            written,
            total_bytes / 1e6,
            seconds,
        )

    def collection_key(self) -> str:
        digest = hashlib.sha256()
        # The index is what papershelf.search makes of the documents.
        digest.update(code_digest(["papershelf.search"]).encode())
        for doc in self.docs:
            payload = [doc.text_hash, doc.url, doc.date, list(doc.tags), doc.tag_terms]
            payload.append(repr(doc.facets))  # filters and sorts read them (c/<n>.json)
            digest.update(json.dumps(payload, ensure_ascii=False).encode())
        return digest.hexdigest()


def _placed(settings: dict, folder: Path, relative: str, name: str) -> Path:
    """Where a search file of this build is: written into the stage, or kept in the
    last build's output (papershelf.site.staging.reuse)."""
    path = folder / name
    previous = build_state(settings).previous_output
    if path.is_file() or not previous:
        return path
    return Path(previous) / relative / name


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def get_generators(pelican):
    return SearchGenerator


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_generators.connect(get_generators)
