"""Summaries of a paper. Four kinds, each with one name everywhere in the code:

- the **note summary** (``note_summary``): the curator's ``Summary:`` highlights in a note;
- the **structured summary** (``structured_summary``): an import's TL;DR, problem,
  method, ... fields (the paper-explorer dump);
- the **AI summary** (``ai_summary``): Markdown written by a model, from a bot digest
  or ``papershelf summarize`` (``summarize.py``, with its chat client ``chat.py``);
- the **short summary** (``short.py``): the one paragraph every card, feed entry and
  meta description shows, chosen from the three above or the abstract. On an
  article it is Pelican's ``summary`` (HTML) and ``summary_text`` (plain).
"""
