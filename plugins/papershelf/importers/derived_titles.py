"""Readable titles for papers whose source gives none, derived from their own text.

In order of preference: the method or system the paper introduces, with what it
is ("GuardSpace: A guardrail framework for preserving safety alignment …"), else
the first clause of the TL;DR, else the abstract's contribution sentence ("we
propose …") or its first clause. Deterministic, pure, and bounded in length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_TITLE_CHARS = 120
NAME, TLDR, ABSTRACT = "name", "tldr", "abstract"

# A capitalised word, a digit-led one (2-GRPO), or camel case (xLSTM, vLLM),
# hyphens, dots and digits inside (AceReason-Nemotron-1.1).
_WORD = r"(?:[A-Z0-9][\w'’+]*|[a-z]+[A-Z][\w+]*)(?:[-.][\w+]+)*"
_ACRONYM = r"\([A-Z][\w.+-]*\)"
_CONNECTOR = r"(?:of|for|and|with|in|via|on|to|from|by|the|as|&)"
_NAME_PHRASE = (
    rf"(?:\$\\?[\w{{}}\\]+\$-?)?{_WORD}"
    rf"(?:(?:\s|-)(?:{_WORD}|{_ACRONYM})|\s{_CONNECTOR}(?=\s{_WORD}))*"
)
NAME_AT_START = re.compile(rf"^(?:the\s+|our\s+)?(?P<name>{_NAME_PHRASE})")
_ADVERBS = r"(?:\w+ly\s+|first\s+|further\s+|then\s+|also\s+|thus\s+|hence\s+|here\s+)*"
# "we propose", "This paper introduces", "we further present" …
INTRO = re.compile(
    r"\b(?:[Ww]e|[Tt]his (?:paper|work|study)|[Oo]ur (?:work|paper))\s+" + _ADVERBS + r"(?:"
    r"propose|present|introduce|develop|design|build|construct|release|devise|create|"
    r"contribute|offer|formulate|unveil|put forward|establish|curate)(?:s|d)?\b[,:]?\s+"
    r"(?:(?:in this (?:paper|work)|here),?\s+)?(?:and \w+\s+)?"
)
# "an algorithm, NAME, that …" and "a framework called NAME": the head is a noun phrase.
HEAD_THEN_NAME = re.compile(
    r"^(?P<head>(?:a|an|the|our)\s(?:(?!\b(?:that|which|who|to|using|by|via|is|are|trains?)\b)"
    rf"[^,.;:]){{0,80}}?)(?:,\s*|:\s*|\s(?:called|named|dubbed|termed|coined)\s+)"
    rf"(?P<name>{_NAME_PHRASE})"
)
# "a novel NAME framework …": only adjectives between the article and the name.
ARTICLE_THEN_NAME = re.compile(
    rf"^(?:a|an|the|our)\s(?:[a-z-]+\s){{0,2}}?(?P<name>{_NAME_PHRASE})"
    r"(?=\s+(?:framework|method|model|algorithm|system|benchmark|approach|dataset|agent)\b)"
)
CALLED = re.compile(rf"\b(?:called|named|dubbed|termed|coined)\s+(?P<name>{_NAME_PHRASE})")
# Words that look like names but are the field's vocabulary, not a new system.
GENERIC = {
    "AI", "LLM", "LLMs", "MLLM", "MLLMs", "LM", "LMs", "VLM", "VLMs", "RL", "RLHF", "RLVR",
    "SFT", "DPO", "PPO", "GRPO", "CoT", "MoE", "KV", "GPU", "GPUs", "NLP", "QA", "API",
    "LRMs", "LRM", "ICL", "SOTA", "dLLM", "dLLMs", "DLM", "DLMs", "LVLM", "LVLMs",
}  # fmt: skip
_ADJECTIVE_COMPOUND = re.compile(
    r"-(?:based|like|aware|free|style|level|driven|guided|specific|oriented|agnostic|centric|"
    r"efficient|scale|time|wise)$"
)
_CLAUSE_END = re.compile(r"\s*(?:[,;:.]\s|\s[–—]\s|\s-\s)")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z($\\])")
# A period that ends an abbreviation, not a sentence.
_ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|vs|al|cf|etc|Fig|Eq|Sec|resp)|\b[A-Z])\.$")
_LEAD_IN = re.compile(
    r"^(?:(?:In|Here,?|Therefore,?|To (?:this end|address th\w+(?: \w+){0,4}))"
    r"(?: this (?:paper|work|study))?,?\s+)?"
    r"(?:[Ww]e|[Tt]his (?:paper|work|study))\s+" + _ADVERBS + r"(?:"
    r"propose|present|introduce|study|show|find|demonstrate|investigate|explore|develop|"
    r"analy[sz]e|examine|identify|reveal|prove|provide|design|establish|argue|offer|build|"
    r"observe|address|tackle|focus on|consider|revisit|measure|evaluate|aim to \w+)(?:s|d)?\s+"
    r"(?:and \w+\s+)?(?:that\s+)?"
)


@dataclass(frozen=True)
class DerivedTitle:
    text: str
    source: str  # NAME, TLDR or ABSTRACT


_TEX_STYLE = re.compile(
    r"\\(?:textbf|textit|texttt|textsc|textrm|text|emph|underline)"
    r"\{([^{}]*)\}"
)

# A math span that only styles letters: $\\mathrm{KERN}$, $\\textbf{e}$.
_MATH_STYLE = re.compile(r"\$\\(?:text\w*|emph|underline|math(?:rm|bf|it|sf|tt))\{([^{}$\\]*)\}\$")

# Symbols a title can show as text (titles are not typeset as math).
_TEX_SYMBOLS = {
    "nabla": "∇", "times": "×", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
    "epsilon": "ε", "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "sigma": "σ",
    "tau": "τ", "phi": "φ", "infty": "∞", "leq": "≤", "geq": "≥", "approx": "≈",
}  # fmt: skip


def plain(text: str) -> str:
    """Text without the markup that names carry in abstracts: ``**CGPO**``,
    ``$\\textbf{D}$iscernment``, ``adv**AN**tage``, ``Fine- Tuning`` (a line-break
    hyphen)."""
    while (styled := _TEX_STYLE.sub(r"\1", _MATH_STYLE.sub(r"\1", text))) != text:
        text = styled
    text = re.sub(r"\\([A-Za-z]+)(?![A-Za-z])", lambda m: _TEX_SYMBOLS.get(m[1], m[0]), text)
    text = re.sub(r"(?<![\w$^])\$([^\sA-Za-z$\\^_{}]{1,3})\$", r"\1", text)  # $∇$ -> ∇
    text = re.sub(r"(?<![\w$^])\$([A-Za-z][^$\\^_{}]{0,60})\$", r"\1", text)  # $Ada$ptive
    text = re.sub(r"(?<=[a-z])\*+([A-Z]+)\*+", lambda m: m[1].lower(), text)
    text = re.sub(r"(?<![\w\\])_(\w[^_$]*?\w)_(?!\w)", r"\1", text.replace("*", ""))
    return " ".join(re.sub(r"(?<=\w)- (?=[A-Z])", "-", text).split())


def sentences(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in _SENTENCE_BREAK.split(plain(text)):
        if pieces and _ABBREVIATION.search(pieces[-1]):
            pieces[-1] += " " + piece
        elif piece:
            pieces.append(piece)
    return pieces


def _is_name(phrase: str) -> bool:
    """A distinctive name: a token with two capitals, a capital and a digit, or a
    lower-upper hump (GuardSpace, ASFT, R1, xLSTM), not the field's vocabulary;
    at most eight words, and no adjective such as ``ODE-based``."""
    tokens = re.findall(r"[\w+.'’-]+", phrase.replace("$", ""))
    distinctive = [
        token
        for token in tokens
        if token not in GENERIC
        and len(token) > 1
        and (
            sum(c.isupper() for c in token) >= 2
            or re.search(r"[a-z][A-Z]", token)
            or (token[0].isupper() and re.search(r"\d", token))
        )
    ]
    return bool(distinctive) and len(tokens) <= 8 and not _ADJECTIVE_COMPOUND.search(phrase)


def _trim_name(phrase: str) -> str:
    """Without a trailing connector or an unclosed '(' (the greedy match's leftovers)."""
    phrase = re.sub(rf"(?:\s{_CONNECTOR})+$", "", phrase.strip())
    if phrase.count("(") > phrase.count(")"):
        phrase = phrase[: phrase.rfind("(")].rstrip()
    return phrase


def _clause(text: str, min_words: int = 3) -> str:
    """``text`` up to its first clause end (not inside parentheses, and not before
    ``min_words`` words: "a scalable, curvature-guided RL method" stays whole)."""
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth <= 0 and _CLAUSE_END.match(text, index) and len(text[:index].split()) >= min_words:
            return text[:index]
    return text.rstrip(".")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _named(name: str, head: str, after: str) -> tuple[str, str]:
    """``(name, title)``: ``Name: descriptor`` from an appositive after the name, or
    the head noun phrase that introduced it, with a relative clause after the name."""
    after = after.lstrip()
    appositive = re.match(r"^(?:\([^)]*\)\s*)?[,:–—]\s*(?P<desc>(?:a|an|the)\s.*)", after)
    relative = re.match(r"^,?\s*(?P<rel>(?:that|which|to|for|with)\s.*)", after)
    if appositive:
        return name, f"{name}: {_capitalised(_clause(appositive['desc']))}"
    if head and relative:
        return name, f"{name}: {_capitalised(head)} {_clause(relative['rel'])}"
    if relative and relative["rel"].startswith("for "):
        return name, f"{name} {_clause(relative['rel'])}"
    if head:
        return name, f"{name}: {_capitalised(head)}"
    return name, name


def _introduced_name(sentence: str) -> tuple[str, str] | None:
    """``(name, title)`` for a name the sentence introduces, if it introduces one."""
    for intro in INTRO.finditer(sentence):
        rest = sentence[intro.end() :]
        for pattern in (NAME_AT_START, HEAD_THEN_NAME, ARTICLE_THEN_NAME):
            found = pattern.match(rest)
            if not found or not _is_name(name := _trim_name(found["name"])):
                continue
            after = rest[found.start("name") + len(name) :]
            head = found.groupdict().get("head") or ""
            return _named(name, head.strip(), after)
    called = CALLED.search(sentence)
    if called and _is_name(name := _trim_name(called["name"])):
        return _named(name, "", sentence[called.start("name") + len(name) :])
    return None


def _hinted_name(abstract: str, hints: Iterable[str]) -> tuple[str, str] | None:
    """A Latin name the Chinese summary says is proposed (提出X), when the abstract
    says what it is (a bare mention is too often a baseline or the field's jargon)."""
    text = plain(abstract)
    for hint in hints:
        # ASCII: a name ends where the Chinese starts (提出AsyPPO框架 -> AsyPPO).
        for proposed in re.findall(rf"提出了?[^，。,;；]{{0,12}}?({_NAME_PHRASE})", hint, re.ASCII):
            name = _trim_name(proposed)
            where = text.find(name)
            if not _is_name(name) or where < 0:
                continue
            after = text[where + len(name) :]
            named = _named(name, "", after[: after.find(". ") % (len(after) + 1)])
            if named[1] != name or " " in name:  # "Token-Adaptive Loss Reweighting" says enough
                return named
    return None


def _without_lead_in(sentence: str) -> str:
    """``We show that X`` -> ``X``; ``In this paper, we propose a Y`` -> ``A Y``."""
    stripped = _LEAD_IN.sub("", sentence, count=1)
    return _capitalised(stripped) if stripped else sentence


# Where a long title may end: before a new clause.
_TITLE_BREAK = re.compile(
    r",\s|;\s|\s[–—]\s|\s(?=(?:while|which|where|whereby|thereby|by|via|using|through)\s)"
)
_DANGLING_WORD = re.compile(
    r"(?:\s+(?:in|of|for|and|or|to|with|by|on|at|from|that|the|a|an|as|via|into))+$"
)


def bounded_title(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """At most ``limit`` characters: cut before the last clause that keeps at least
    40% (and three words of a descriptor), else at a word boundary with '…'; no
    trailing period or dangling preposition."""
    text = " ".join(text.split()).rstrip(" .;,:")
    if len(text) <= limit:
        return text
    window = text[:limit]
    ends = [
        m.start()
        for m in _TITLE_BREAK.finditer(window)
        if m.start() > limit * 0.4  # and not inside "A lightweight, post-hoc framework"
        and len(window[: m.start()].rsplit(": ", 1)[-1].split()) >= 3
    ]
    cut = text[: ends[-1]] if ends else window[: window.rfind(" ")]
    if cut.count("(") > cut.count(")"):
        cut = cut[: cut.rfind("(")]
    cut = _DANGLING_WORD.sub("", cut.rstrip(" ,;:")).rstrip(" ,;:")
    return cut if ends else cut + "…"


def _fallback(tldr_sentences: list[str], abstract_sentences: list[str]) -> DerivedTitle:
    """The TL;DR's first clause, else the abstract's contribution or first clause."""
    if tldr_sentences:
        return DerivedTitle(bounded_title(_without_lead_in(tldr_sentences[0])), TLDR)
    for sentence in abstract_sentences:
        if intro := INTRO.search(sentence):  # what the paper contributes
            return DerivedTitle(bounded_title(_capitalised(sentence[intro.end() :])), ABSTRACT)
    first = abstract_sentences[0] if abstract_sentences else "Untitled"
    return DerivedTitle(bounded_title(_clause(first)), "")  # "": the opening, not a claim


def derive_title(abstract: str, tldr: str = "", hints: Iterable[str] = ()) -> DerivedTitle:
    """The title of a paper from its TL;DR and abstract (``hints``: other summary
    lines, where a Latin name after 提出 confirms what the abstract introduces).

    The first name introduced wins; its title is the first sentence that says
    what it is. A bare one-word name is completed by the TL;DR or the abstract's
    contribution, never by the abstract's opening (background, not the paper).
    """
    tldr_sentences, abstract_sentences = sentences(tldr), sentences(abstract)
    found = [_introduced_name(s) for s in [*tldr_sentences, *abstract_sentences]]
    candidates = [candidate for candidate in found if candidate]
    if not candidates and (hinted := _hinted_name(abstract, hints)):
        candidates = [hinted]
    fallback = _fallback(tldr_sentences, abstract_sentences)
    if not candidates:
        return DerivedTitle(fallback.text, fallback.source or ABSTRACT)
    name = candidates[0][0]
    core = name.split(" (")[0]  # "Fusion-of-N" and "Fusion-of-N (FusioN)" are one name
    titles = [title for each, title in candidates if each.split(" (")[0] == core]
    described = next((title for title in titles if title != name), None)
    if described or " " in name or not fallback.source:
        return DerivedTitle(bounded_title(described or name), NAME)
    clause = fallback.text
    combined = clause if clause.startswith(name) else f"{name}: {clause}"
    return DerivedTitle(bounded_title(combined), NAME)
