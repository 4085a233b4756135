"""KaTeX, run by Node, renders TeX to MathML; results are cached between builds.

A build makes one ``MathRenderer``, renders its formulas in batches and calls
``save()`` (or uses it as a context manager) at the end. Node starts at most once per
renderer, and only when a formula is not in the cache yet, so a rebuild with nothing
new starts no process and 10,000 abstracts cost one process start, not 10,000.
The cache is a JSON file in Pelican's CACHE_PATH, keyed by a hash of KaTeX's version,
the render script, the display flag and the TeX.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from papershelf.errors import MathRenderError
from papershelf.files import replace_file

logger = logging.getLogger(__name__)

SCRIPT = Path(__file__).with_name("katex_render.js")
CACHE_FILE = "katex-mathml.json"
INSTALL_HINT = "run `make site`, which installs Node packages (npm ci)"


def find_katex(roots: Iterable[Path]) -> Path:
    """The ``node_modules/katex`` folder in one of ``roots`` or a parent of one."""
    for root in roots:
        for folder in (root, *root.parents):
            candidate = folder / "node_modules" / "katex"
            if (candidate / "package.json").is_file():
                return candidate
    raise MathRenderError("KaTeX is not installed (no node_modules/katex)", fix=INSTALL_HINT)


class MathRenderer:
    """Renders (tex, display) pairs to KaTeX's MathML, or None for TeX it rejects."""

    def __init__(self, cache_dir: str | Path, project_root: str | Path | None = None):
        roots = [Path(project_root)] if project_root else [Path.cwd(), SCRIPT.parent]
        self.katex_dir = find_katex(root.resolve() for root in roots)
        self.katex_version = json.loads((self.katex_dir / "package.json").read_text())["version"]
        script_hash = hashlib.sha256(SCRIPT.read_bytes()).hexdigest()[:16]
        # Part of every cache key; page caches can hash it too.
        self.fingerprint = f"katex {self.katex_version} script {script_hash}"
        self.cache_path = Path(cache_dir) / CACHE_FILE
        self._cache = self._load()
        self._changed = False
        self._node: subprocess.Popen | None = None

    def __enter__(self) -> MathRenderer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
        self.save()

    def render(self, formulas: Sequence[tuple[str, bool]]) -> list[str | None]:
        """The MathML of each (tex, display) pair, or None where KaTeX fails to parse."""
        keys = [self._key(tex, display) for tex, display in formulas]
        missing = dict(zip(keys, formulas, strict=True))  # duplicates render once
        missing = {key: formula for key, formula in missing.items() if key not in self._cache}
        if missing:
            answers = self._run_node(list(missing.values()))
            for (key, (tex, _)), answer in zip(missing.items(), answers, strict=True):
                if "error" in answer:
                    logger.warning("KaTeX cannot render %r: %s", tex[:80], answer["error"])
                self._cache[key] = answer
            self._changed = True
        return [self._cache[key].get("mathml") for key in keys]

    def save(self) -> None:
        """Write the cache if this build added to it."""
        if self._changed:
            data = json.dumps(self._cache, sort_keys=True, ensure_ascii=False)
            replace_file(self.cache_path, data.encode("utf-8"))
            self._changed = False

    def close(self) -> None:
        """Stop Node, if it was started."""
        if self._node is None:
            return
        node, self._node = self._node, None
        node.stdin.close()  # Node exits at the end of its input
        try:
            node.wait(timeout=10)
        except subprocess.TimeoutExpired:
            node.kill()
            node.wait()
        node.stdout.close()

    def _key(self, tex: str, display: bool) -> str:
        text = f"{self.fingerprint}\n{'display' if display else 'inline'}\n{tex}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return cache if isinstance(cache, dict) else {}

    def _start_node(self) -> subprocess.Popen:
        node = shutil.which("node")
        if node is None:
            raise MathRenderError("Node.js is not installed", fix=INSTALL_HINT)
        return subprocess.Popen(
            [node, str(SCRIPT), str(self.katex_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def _run_node(self, formulas: list[tuple[str, bool]]) -> list[dict[str, str]]:
        if self._node is None:
            self._node = self._start_node()
        node = self._node
        requests = "".join(
            json.dumps({"tex": tex, "display": display}) + "\n" for tex, display in formulas
        )

        # Write from a thread while reading here: with both pipes full, neither
        # side could go on.
        def write() -> None:
            try:
                node.stdin.write(requests)
                node.stdin.flush()
            except (BrokenPipeError, ValueError):
                pass  # Node died; reading finds out and says so

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answers = []
        for _ in formulas:
            line = node.stdout.readline()
            if not line:
                self._node = None
                raise MathRenderError(
                    f"the KaTeX renderer stopped (exit status {node.wait()})", fix=INSTALL_HINT
                )
            answers.append(json.loads(line))
        writer.join()
        return answers
