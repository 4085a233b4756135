"""interface_language: the theme speaks the language Pelican's ``DEFAULT_LANG`` names.

Adds ``jinja2.ext.i18n`` to Pelican's Jinja environment and installs the
interface catalog of ``DEFAULT_LANG`` (``en`` or ``zh``) on every generator's
environment (newstyle gettext: ``_("%(n)s papers", n=...)`` escapes its values),
with the filters ``date_text``, ``month_text``, ``days_text`` and ``number`` in that language,
``label`` (a msgid Python marked with ``N_``, translated as text: never formatted,
so data that is no msgid passes through as it is) and the globals ``html_lang``
(``en``, ``zh-Hans``) and ``interface_lang`` (``en``, ``zh``). Writes the scripts' catalog
to ``theme/i18n/<lang>.json``. The work is in ``papershelf.site.i18n``.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from papershelf.files import replace_file
from papershelf.language import HTML_LANG, interface_lang
from papershelf.site.i18n import filters, js_messages, translations

EXTENSION = "jinja2.ext.i18n"


def add_extension(pelican) -> None:
    settings = pelican.settings
    interface_lang(settings)  # a bad DEFAULT_LANG stops here, before any page
    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    extensions = list(environment.get("extensions", []))
    if EXTENSION not in extensions:
        environment["extensions"] = [*extensions, EXTENSION]
    settings["JINJA_ENVIRONMENT"] = environment


def install(generator) -> None:
    env = getattr(generator, "env", None)
    if env is None or not hasattr(env, "install_gettext_translations"):
        return
    settings = generator.settings
    catalog = translations(settings)
    env.install_gettext_translations(catalog, newstyle=True)
    env.filters.update(filters(settings), label=catalog.gettext)
    lang = interface_lang(settings)
    env.globals.update(html_lang=HTML_LANG[lang], interface_lang=lang)


class ScriptCatalogGenerator(Generator):
    """Writes the scripts' catalog (only when its bytes change)."""

    def generate_output(self, writer):
        save_as, data = js_messages(self.settings)
        replace_file(Path(self.output_path) / save_as, data, durable=False)


def get_generators(pelican):
    return ScriptCatalogGenerator


def register() -> None:
    signals.initialized.connect(add_extension)
    signals.generator_init.connect(install)
    signals.get_generators.connect(get_generators)
