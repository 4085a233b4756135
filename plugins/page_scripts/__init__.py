"""page_scripts: the scripts every page runs, as one file, ``theme/js/site.js``.

Written by every build from the theme's sources (papershelf.site.page_scripts),
only when its bytes change; pages load it with ``partials/page_scripts.html``.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from papershelf.files import replace_file
from papershelf.site.page_scripts import page_scripts


class PageScriptsGenerator(Generator):
    def generate_output(self, writer):
        save_as, data = page_scripts(self.settings)
        replace_file(Path(self.output_path) / save_as, data, durable=False)


def get_generators(pelican):
    return PageScriptsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
