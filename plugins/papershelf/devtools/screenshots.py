"""Screenshots of the built site for the README, taken in Debian's Chromium.

``python -m papershelf.devtools.screenshots [output] [folder]`` (``make screenshots``)
serves the built site on 127.0.0.1 and writes one PNG per page below; CJK text
needs a CJK font installed (Debian: fonts-noto-cjk, fonts-noto-color-emoji).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from papershelf.devtools.bench_server import base_url, counting_server
from papershelf.devtools.chromium import CHROMIUM, CHROMIUM_ARGS

# (file name, path on the site, color scheme, what to do once it is loaded)
PAGES = [
    ("home.png", "", "light", None),
    ("paper.png", "papers/2511.19269/", "light", None),
    ("tag.png", "tags/moe/top/", "dark", None),
    ("search.png", "search/?q=投机解码", "light", "#search-page-results li"),
    ("saved.png", "saved/", "light", "#saved-list > li .card-summary"),
]
# A reading list kept in the browser (saved.js's format), put there before the page loads.
SAVED_LIST = {
    "version": 1,
    "papers": {
        "2511.19269": {
            "url": "papers/2511.19269/",
            "saved": "2026-12-01T09:30:00.000Z",
            "read": False,
            "note": "对比一致性蒸馏前后的采样步数，复现表 2。",
        },
        "2602.05068": {
            "url": "papers/2602.05068/",
            "saved": "2026-11-30T20:10:00.000Z",
            "read": True,
            "note": "",
        },
        "pe-8637c683c5": {
            "url": "papers/pe-8637c683c5/",
            "saved": "2026-11-28T14:00:00.000Z",
            "read": False,
            "note": "",
        },
    },
}
_SAVED_JSON = json.dumps(json.dumps(SAVED_LIST, ensure_ascii=False), ensure_ascii=False)
PREFILL = {"saved.png": f"localStorage.setItem('papershelf-saved:/', {_SAVED_JSON});"}
VIEWPORT = {"width": 1100, "height": 820}


def take(output: Path, folder: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with counting_server(output) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, path, scheme, wait_for in PAGES:
                context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
                if name in PREFILL:
                    context.add_init_script(PREFILL[name])
                page = context.new_page()
                page.goto(base_url(server) + path)
                if wait_for:
                    page.wait_for_selector(wait_for)
                page.evaluate("document.fonts.ready")
                page.screenshot(path=str(folder / name))
                context.close()
                written.append(folder / name)
                print(f"wrote {folder / name}", flush=True)
        finally:
            browser.close()
    return written


def main(argv: list[str]) -> int:
    output = Path(argv[0] if argv else "output")
    folder = Path(argv[1] if len(argv) > 1 else ".github/screenshots")
    if not (output / "index.html").is_file():
        print(f"{output}/index.html is missing: build the site first (make site)", file=sys.stderr)
        return 1
    take(output, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
