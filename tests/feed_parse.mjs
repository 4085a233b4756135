// Reads Atom feeds with @rowanmanning/feed-parser, a parser independent of
// feedparser, and prints what it understood as one JSON object: feed file -> feed.
// Usage: node tests/feed_parse.mjs FEED.xml ...  (run by tests/test_atom_feeds.py)
import { readFileSync } from "node:fs";
import { parseFeed } from "@rowanmanning/feed-parser";

const iso = (date) => (date ? date.toISOString() : null);
const result = {};
for (const path of process.argv.slice(2)) {
  const feed = parseFeed(readFileSync(path, "utf8"));
  result[path] = {
    type: feed.meta.type,
    title: feed.title,
    self: feed.self,
    url: feed.url,
    updated: iso(feed.updated),
    authors: feed.authors.map((author) => author.name),
    entries: feed.items.map((item) => ({
      id: item.id,
      title: item.title,
      url: item.url,
      published: iso(item.published),
      updated: iso(item.updated),
      authors: item.authors.map((author) => author.name),
      categories: item.categories.map((category) => category.term),
    })),
  };
}
process.stdout.write(JSON.stringify(result, null, 1) + "\n");
