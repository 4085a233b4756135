"""render_cache: skip rendering pages whose inputs have not changed.

A page is skipped when the manifest from the last build recorded the same key
for it and its file from the last build is still there (in a staged build,
papershelf.site.staging links it into the new tree). The key hashes the theme's templates
and static files, the plain-valued settings, and the page's own inputs: the
``render_key`` of its article (set by paper_articles), or the ``cache_key``
a listing page's generator computed (see papershelf.site.listing). Pages built
from anything else are always rendered.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from pelican import signals

from papershelf.build_state import build_state
from papershelf.config import plugin_settings
from papershelf.files import replace_file
from papershelf.site.compact_html import CompactTemplate
from papershelf.site.feeds import FeedWriter
from papershelf.site.fingerprint import code_digest
from papershelf.site.staging import reuse

logger = logging.getLogger(__name__)
LOG_PREFIX = "[render_cache]"
MANIFEST = "render-manifest.json"
_PLAIN = (str, int, float, bool, type(None))


def _plain(value) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def code_packages(settings: dict) -> list[str]:
    """The packages whose code renders pages: every plugin of the build and the
    core. The importers and dev tools never run in a build, so an edit there
    keeps the cached pages."""
    plugins = [p if isinstance(p, str) else p.__name__ for p in settings.get("PLUGINS") or []]
    return ["papershelf", *plugins]


NOT_RENDERING = ("papershelf.importers", "papershelf.devtools")


def site_fingerprint(settings: dict) -> str:
    """Hash of what every page depends on: theme, plugin code, settings."""
    digest = hashlib.sha256()
    theme = Path(settings["THEME"])
    for path in sorted(p for p in theme.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(theme)).encode() + b"\0")
        digest.update(path.read_bytes())
    digest.update(code_digest(code_packages(settings), exclude=NOT_RENDERING).encode())
    # KaTeX's pinned version renders every page's math.
    lock = Path(__file__).resolve().parents[2] / "package-lock.json"
    if lock.is_file():
        digest.update(lock.read_bytes())
    # Build state (where the last build's files are, ...) is not plain and says
    # nothing about what a page shows.
    plain = {k: v for k, v in settings.items() if k.isupper() and _plain(v)}
    digest.update(json.dumps(plain, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def page_key(fingerprint: str, name: str, kwargs: dict) -> str | None:
    """The key of one page, or None when its inputs are not all known."""
    parts = [fingerprint, name]
    if kwargs.get("cache_key"):
        # A listing page: its generator hashed everything the page shows.
        parts.append(f"listing={kwargs['cache_key']}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()
    for key in sorted(kwargs):
        value = kwargs[key]
        if key == "article":
            render_key = getattr(value, "render_key", None)
            if render_key is None:
                return None
            parts.append(f"article={render_key}")
        elif key in ("category", "blog", "url", "override_output", "relative_urls"):
            parts.append(f"{key}={value}")
        else:
            return None
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class CachingWriter(FeedWriter):
    """papershelf's writer (Atom feeds: papershelf.site.feeds) that keeps unchanged pages."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.enabled = plugin_settings(settings)["RENDER_CACHE_ENABLED"]
        self.manifest_path = Path(settings["CACHE_PATH"]) / MANIFEST
        self.fingerprint = site_fingerprint(settings)
        try:
            self.previous = json.loads(self.manifest_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            self.previous = {}
        self.current: dict[str, str] = {}
        self.skipped = 0

    def write_file(self, name, template, context, *args, **kwargs):
        key = page_key(self.fingerprint, name, kwargs) if self.enabled and name else None
        if key is not None:
            self.current[name] = key
            if self.previous.get(name) == key and reuse(self.settings, name):
                self.skipped += 1
                return
        super().write_file(name, CompactTemplate(template), context, *args, **kwargs)

    # papershelf.site.listing passes a cache_key to write_feed only to writers saying so.
    accepts_cache_key = True

    def write_feed(self, elements, context, path=None, *args, cache_key=None, **kwargs):
        """A feed whose generator hashed its items into ``cache_key`` is kept like a page."""
        if cache_key and self.enabled and path:
            key = hashlib.sha256(f"{self.fingerprint}\n{path}\nfeed={cache_key}".encode())
            self.current[path] = key.hexdigest()
            if self.previous.get(path) == self.current[path] and reuse(self.settings, path):
                self.skipped += 1
                return None
        return super().write_feed(elements, context, path, *args, **kwargs)

    def save_manifest(self) -> None:
        if not self.enabled:
            return
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(self.manifest_path, json.dumps(self.current, sort_keys=True).encode())
        logger.info("%s %d unchanged pages kept", LOG_PREFIX, self.skipped)


class RecordedWriter(CachingWriter):
    """A caching writer that the build state remembers, to save its manifest."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        build_state(settings).writers.append(self)


def get_writer(pelican):
    return RecordedWriter


def finalized(pelican) -> None:
    writers = build_state(pelican.settings).writers
    while writers:
        writers.pop().save_manifest()


def check_settings(pelican) -> None:
    plugin_settings(pelican.settings)  # RENDER_CACHE_ENABLED: papershelf.settings


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(finalized)
