// theme/static/js/search-ui.js run under Node against a minimal DOM (tests/search_fuzz_node.js):
// its header box is sent a query, a fake worker answers with the given results, and the
// result list it builds is returned. The DOM has no parser: innerHTML, outerHTML,
// insertAdjacentHTML and document.write throw, so markup can only come from elements
// the script creates itself.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const UI_SOURCE = fs.readFileSync(path.join(__dirname, "..", "theme", "static", "js", "search-ui.js"), "utf8");
const NO_MARKUP = ["innerHTML", "outerHTML", "insertAdjacentHTML"];

class Text {
  constructor(data) { this.nodeType = 3; this.data = String(data); this.parentNode = null; }
  get textContent() { return this.data; }
}

class Element {
  constructor(tag) {
    this.nodeType = 1;
    this.tagName = tag.toUpperCase();
    this.childNodes = [];
    this.parentNode = null;
    this.attributes = {};
    this.dataset = {};
    this.listeners = {};
    this.className = "";
    this.hidden = false;
    this.value = "";
    for (const name of NO_MARKUP) {
      Object.defineProperty(this, name, {
        get() { throw new Error(name + " read"); },
        set() { throw new Error(name + " set: markup from a string"); },
      });
    }
  }
  get children() { return this.childNodes.filter((n) => n.nodeType === 1); }
  get firstChild() { return this.childNodes[0] || null; }
  get lastChild() { return this.childNodes[this.childNodes.length - 1] || null; }
  get textContent() { return this.childNodes.map((n) => n.textContent).join(""); }
  set textContent(text) {
    this.childNodes.forEach((n) => { n.parentNode = null; });
    this.childNodes = text === "" || text == null ? [] : [new Text(text)];
  }
  appendChild(node) { return this.insertBefore(node, null); }
  insertBefore(node, before) {
    if (!(node instanceof Element || node instanceof Text)) throw new Error("not a node: " + node);
    if (node.parentNode) node.parentNode.removeChild(node);
    const at = before ? this.childNodes.indexOf(before) : this.childNodes.length;
    this.childNodes.splice(at < 0 ? this.childNodes.length : at, 0, node);
    node.parentNode = this;
    return node;
  }
  removeChild(node) {
    this.childNodes.splice(this.childNodes.indexOf(node), 1);
    node.parentNode = null;
    return node;
  }
  remove() { if (this.parentNode) this.parentNode.removeChild(this); }
  replaceWith(node) { this.parentNode.insertBefore(node, this); this.remove(); }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  addEventListener(type, listener) { (this.listeners[type] = this.listeners[type] || []).push(listener); }
  dispatchEvent(event) { (this.listeners[event.type] || []).forEach((listener) => listener(event)); }
  contains(node) { for (; node; node = node.parentNode) if (node === this) return true; return false; }
  focus() {}
  // One compound selector: tag, .class, #id, [name=value] (what search-ui.js asks for).
  matches(selector) {
    const parts = selector.match(/^([a-z]*)((?:[.#][\w-]+)*)((?:\[[\w-]+(?:="?[^"\]]*"?)?\])*)$/);
    if (!parts) throw new Error("selector not supported: " + selector);
    if (parts[1] && parts[1].toUpperCase() !== this.tagName) return false;
    for (const [, kind, name] of parts[2].matchAll(/([.#])([\w-]+)/g)) {
      if (kind === "." && this.className.split(" ").indexOf(name) < 0) return false;
      if (kind === "#" && this.attributes.id !== name) return false;
    }
    for (const [, name, value] of parts[3].matchAll(/\[([\w-]+)(?:="?([^"\]]*)"?)?\]/g)) {
      const actual = name.startsWith("data-") ? this.dataset[name.slice(5)] : this.attributes[name] ?? this[name];
      if (actual === undefined || (value !== undefined && String(actual) !== value)) return false;
    }
    return true;
  }
  querySelectorAll(selector) {
    const found = [];
    const walk = (node) => node.children.forEach((child) => {
      if (child.matches(selector)) found.push(child);
      walk(child);
    });
    walk(this);
    return found;
  }
  querySelector(selector) { return this.querySelectorAll(selector)[0] || null; }
}

function element(tag, attributes, children) {
  const node = new Element(tag);
  Object.assign(node, attributes || {});
  if (node.id) node.attributes.id = node.id;
  (children || []).forEach((child) => node.appendChild(child));
  return node;
}

/* Loads search-ui.js into a page holding the header search box; returns
 * search(query, answer) -> Promise of {list, panel, allLink} (Elements) once the answer
 * {total, items} to the query has been shown. */
function searchBox() {
  const list = element("ul", { className: "search-results" });
  const panel = element("div", { className: "search-panel", hidden: true }, [
    element("p", { className: "search-status" }), list, element("a", { className: "search-all" }),
  ]);
  const input = element("input", { name: "q" });
  input.attributes.name = "q";
  const form = element("form", { className: "site-search" }, [input, element("p", { id: "site-search-live" }), panel]);
  Object.assign(form.dataset, { searchIndex: "search/" });
  form.attributes.action = "search/";
  const body = element("body", {}, [form]);
  let worker = null;
  let answer = null;
  const document = {
    baseURI: "https://papers.example/",
    currentScript: { src: "https://papers.example/theme/js/site.js", dataset: { siteUrl: "" } },
    activeElement: body,
    querySelector: (selector) => body.querySelector(selector),
    getElementById: (id) => body.querySelector("#" + id),
    createElement: (tag) => new Element(tag),
    createTextNode: (data) => new Text(data),
    addEventListener() {},
    write() { throw new Error("document.write"); },
  };
  document.documentElement = element("html", { lang: "en" });
  const fill = (text, args) => text.replace(/%\((\w+)\)s/g, (_, key) => String(args[key]));
  const window = {
    Worker: class {
      constructor() { worker = this; }
      postMessage(message) {
        if (message.type !== "search") return;
        const reply = Object.assign({ type: "results", id: message.id, q: message.q, offset: 0, final: true, more: false }, answer);
        Promise.resolve().then(() => this.onmessage({ data: reply }));
      }
    },
    papershelfI18n: {
      ready: Promise.resolve(),
      _: (text, args) => fill(text, args || {}),
      ngettext: (one, many, n, args) => fill(n === 1 ? one : many, args || {}),
      number: String,
      dateText: String,
      textLang: () => "en",
    },
  };
  const context = vm.createContext({
    ...window, document, URL, URLSearchParams, Event: class { constructor(type) { this.type = type; } },
    setTimeout: (fn) => { fn(); return 0; }, clearTimeout() {},
  });
  context.window = context.self = context;
  // An answer's handler runs in a promise: what it throws would only be logged.
  const errors = [];
  process.on("unhandledRejection", (error) => errors.push(error));
  vm.runInContext(UI_SOURCE, context, { filename: "search-ui.js" });
  return function search(query, reply) {
    answer = reply;
    input.value = query;
    input.dispatchEvent({ type: "input" });
    return new Promise((resolve) => setImmediate(resolve)).then(() => {
      if (errors.length) throw errors.splice(0)[0];
      if (!worker) throw new Error("search-ui.js started no worker");
      return { list, panel, allLink: panel.querySelector("a.search-all") };
    });
  };
}

module.exports = { searchBox, Element, Text };
