"""Related papers: TF-IDF cosine over capped candidate lists, deterministic."""

import random
import shutil

from papershelf.search import related as related_module
from papershelf.search.related import related
from papershelf.search.text import terms

from .search_helpers import SEARCH_FIXTURES, build_search_site
from .sites import FEEDS, build, fetch, page, site_settings

TEXTS = {
    "moe-a": "sparse mixture experts routing load balance gating tokens experts",
    "moe-b": "expert routing gating load balance sparse mixture tokens",
    "rl-a": "reinforcement learning reward policy gradient rollout verifier",
    "rl-b": "policy gradient reward verifier rollout reinforcement",
    "zh-a": "混合专家模型的路由策略 负载均衡",
    "zh-b": "专家路由与负载均衡的混合专家模型",
    "lone": "astronomy telescope galaxies",
}


def _related(order):
    keys = list(order)
    return related(keys, [terms(TEXTS[key]) for key in keys])


def test_papers_on_the_same_subject_come_first():
    result = _related(TEXTS)
    assert result["moe-a"][0] == "moe-b" and result["rl-b"][0] == "rl-a"
    assert result["zh-a"][0] == "zh-b"
    assert result["lone"] == []  # shares nothing: nothing is better than noise


def test_never_itself_and_at_most_the_limit():
    keys = [f"p{i}" for i in range(30)]
    lists = [["shared", "words", f"w{i % 3}"] for i in range(30)]
    result = related(keys, lists, limit=5)
    assert all(key not in result[key] and len(result[key]) <= 5 for key in keys)


def test_the_same_papers_in_any_order_give_the_same_lists():
    first = _related(TEXTS)
    shuffled = list(TEXTS)
    random.Random(7).shuffle(shuffled)
    assert _related(shuffled) == first


def test_candidates_come_from_capped_postings(monkeypatch):
    # Every paper shares one term: with postings capped at 3, a paper is compared
    # with at most 3 others, never with all of them.
    monkeypatch.setattr(related_module, "POSTINGS_PER_TERM", 3)
    keys = [f"p{i:03d}" for i in range(200)]
    result = related(keys, [["common", "common", f"own{i}", f"own{i}"] for i in range(200)])
    assert max(len(others) for others in result.values()) <= 3


def test_paper_pages_list_related_papers(tmp_path):
    output, _ = build_search_site(tmp_path)
    soup = page(output, "papers/attention-quantization/index.html")
    links = [a["href"] for a in soup.select("section.related a")]
    assert links and all(
        (output / href.lstrip("/").split("../")[-1]).exists() or href for href in links
    )
    assert any("markup-title" in href or "chinese-moe-routing" in href for href in links)


def test_a_page_shows_the_new_title_of_a_related_paper(tmp_path):
    settings = site_settings(tmp_path, ARXIV_KEYWORDS={"LLM": 3.0, "MoE": 3.0, "RL": 2.0})
    notes = tmp_path / "content" / "notes"
    notes.mkdir()
    for note in SEARCH_FIXTURES.glob("*.md"):  # MoE and routing, like 2512.00001
        shutil.copy(note, notes / note.name)
    shutil.copy(SEARCH_FIXTURES / "tags.yml", tmp_path / "content" / "tags.yml")
    fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    output = build(settings)
    listing = [
        path
        for path in sorted((output / "papers").glob("*/index.html"))
        if "papers/2512.00001/"
        in str(
            [
                a["href"]
                for a in page(output, str(path.relative_to(output))).select("section.related a")
            ]
        )
    ]
    assert listing, "no page lists 2512.00001 as related"
    fetch(settings, FEEDS / "day2-cs.CL.replace.rss.xml")  # 2512.00001 becomes (v2)
    build(settings)
    related_titles = page(output, str(listing[0].relative_to(output))).select("section.related a")
    assert any("(v2)" in a.get_text() for a in related_titles)


def test_term_lists_made_when_read_give_the_same_lists():
    """The build hands each paper's terms over as they are read (two passes), never
    a second copy of all of them: the lists are those of plain lists."""
    keys = list(TEXTS)
    reads = []

    class Lazy:
        def __len__(self):
            return len(keys)

        def __getitem__(self, number):
            if number >= len(keys):
                raise IndexError(number)
            reads.append(number)
            return terms(TEXTS[keys[number]])

    assert related(keys, Lazy()) == _related(TEXTS)
    assert len(reads) == 2 * len(keys)  # document frequencies, then the vectors


def _reference_related(keys, term_lists, limit=5):
    """The definition, in plain Python and one paper at a time: what the arrays
    must give, list for list."""
    import math
    from collections import Counter, defaultdict

    document_frequency = Counter(term for terms_ in term_lists for term in set(terms_))
    n = len(term_lists)
    vectors = []
    for terms_ in term_lists:
        weights = {
            term: (1 + math.log(count)) * math.log((n + 1) / (document_frequency[term] + 1))
            for term, count in Counter(terms_).items()
            if document_frequency[term] > 1
        }
        top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
        top = top[: related_module.TOP_TERMS]
        norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1.0
        vectors.append([(term, weight / norm) for term, weight in top if weight > 0])
    postings = defaultdict(list)
    for number, vector in enumerate(vectors):
        for term, weight in vector:
            postings[term].append((weight, number))
    for entries in postings.values():
        entries.sort(key=lambda entry: (-entry[0], keys[entry[1]]))
        del entries[related_module.POSTINGS_PER_TERM :]
    result = {}
    for number, vector in enumerate(vectors):
        scores = defaultdict(float)
        for term, weight in vector:
            for other_weight, other in postings[term]:
                if other != number:
                    scores[other] += weight * other_weight
        best = sorted(
            (item for item in scores.items() if item[1] >= related_module.MIN_SCORE),
            key=lambda item: (-round(item[1], 12), keys[item[0]]),
        )[:limit]
        result[keys[number]] = [keys[other] for other, _ in best]
    return result


def test_the_arrays_give_what_the_definition_gives(monkeypatch):
    # Small blocks and short postings, so that papers span blocks and the caps cut.
    monkeypatch.setattr(related_module, "BLOCK_PAPERS", 7)
    monkeypatch.setattr(related_module, "POSTINGS_PER_TERM", 6)
    rng = random.Random(11)
    vocabulary = [f"w{number}" for number in range(60)]
    keys = [f"2601.{number:05d}" for number in range(90)]
    rng.shuffle(keys)
    term_lists = [
        [rng.choice(vocabulary[: rng.randint(5, 60)]) for _ in range(rng.randint(0, 30))]
        for _ in keys
    ]
    assert related(keys, term_lists) == _reference_related(keys, term_lists)
    assert sum(map(len, _reference_related(keys, term_lists).values())) > 200
