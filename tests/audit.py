"""Hostile input and a browser-side audit of what the page made of it, shared by the property
tests (tests/test_properties.py) and the fuzzed site build (tests/test_fuzz.py).

AUDIT is run in the real browser (Playwright + Debian chromium) on the parsed DOM, after the
page's scripts ran: inside a page's content it allows only the elements, attributes and
classes that our templates and Python-Markdown make; anywhere in the document it finds event
handler attributes, javascript:/file:/data: URLs, frames/objects/embeds, images, scripts that
the page did not bring itself, and titles that would give markup to a tooltip.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Every payload contains "pwn" in what would become live markup (a tag, an attribute, a URL)
# so that a leak is also visible as text; none of them is allowed to become markup.
PAYLOADS = [
    "ok [x](autofocus/contenteditable/onfocus=alert(document.domain)//)",
    "[x](http://a/autofocus/onfocus=window.pwn=1//)",
    '" autofocus onfocus="window.pwn=1" x="',
    "' onmouseover='window.pwn=1' x='",
    "<img src=x onerror=window.pwn=1 class=pwn>",
    "<script>window.pwn=1</script>",
    "<iframe src=file:///etc/passwd class=pwn></iframe>",
    "<svg/onload=window.pwn=1>",
    "</span></mark><b class=pwn>x</b>",
    "<a href=javascript:window.pwn=1>pwn</a>",
    "[pwn](javascript:window.pwn=1)",
    "![pwn](file:///etc/passwd)",
    "<http://pwn.example/>",
    "{: onclick=window.pwn=1 .pwn }",
    "[pwn]{: .pwn onclick=x }",
    "{{ 7*7 }} {% raw %} {# pwn #}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "!!! warning \"pwn\"",
    "??? pr-aside \"pwn\"",
    "++ctrl+alt++ ==pwn== ^^pwn^^ ~~pwn~~ :smile: {++pwn++}",
    "`<b class=pwn>`",
    "&lt;b class=pwn&gt; &#60;i&#62; &amp;",
    "<!-- pwn --> <! --",
    "\\<b class=pwn>",
    "|pwn|table|",
    "* pwn\n- pwn",
    "# pwn",
    "1. pwn",
    "http://a/ <iframe src=//pwn.example>",
    "\u202epwn\u202c \u200b ä ß „pwn“ 😀 \U0001F9E8",
    "\x02wzxhzdk:0\x03",
]


def project_strings(payload: str) -> str:
    """A strings.yml for a project's templates folder with the payload in words that reach
    titles, admonitions, tooltips and the legend (format strings keep their fields)."""
    import yaml

    base = yaml.safe_load((Path(__file__).resolve().parent.parent / "templates" / "strings.yml").read_text("utf-8"))
    for lang in base:
        for key in ("speculative", "promotional", "reason", "warnings", "sources", "unknown", "show",
                    "marks_legend", "no_sources", "sources_title", "rejected_title"):
            if key in base[lang]:
                base[lang][key] = f"{base[lang][key]} {payload}"
        base[lang]["aside_title"] = payload.replace("{", "{{").replace("}", "}}") + " ({n} {lines})"
    return yaml.safe_dump(base, allow_unicode=True)


# Inside the content of a page (article.md-content__inner), only these: what our templates and
# Python-Markdown make, and what Material adds to content when the page loads.
TAGS = ["p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "span", "mark", "details", "summary", "em", "strong", "code",
        "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "div", "label", "input", "sup", "br"]
ATTRS = ["class", "id", "href", "tabindex", "data-pr-tip", "data-rule", "data-pr-toggle", "type", "checked", "open",
         "style", "title", "role", "aria-label", "aria-describedby", "value", "lang",
         "data-search-exclude", "data-pr-badge"]
CLASS = (r"^(pr-[a-z_-]+|admonition|admonition-title|warning|note|headerlink|language-(json|yaml)"
         r"|md-typeset__(scrollwrap|table)|md-ellipsis|highlight)$")
HREF = r"^(https?://|#|\.\.?/|[a-z0-9-]+/|[a-z0-9-]+\.(md|json|csv)$)"
STYLE = r"^text-align: (left|right|center);?$"
SPEC = {"tags": TAGS, "attrs": ATTRS, "cls": CLASS, "href": HREF, "style": STYLE}


def audit_html(fragment: str) -> list[str]:
    """The same whitelist as AUDIT, on HTML as written (for pages not opened in the browser)."""
    import re
    from html.parser import HTMLParser

    problems: list[str] = []

    class Walk(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in TAGS:
                problems.append(f"element {tag}")
            if tag == "input" and "data-pr-toggle" not in dict(attrs):
                problems.append("input")
            for name, value in attrs:
                value = value or ""
                if name not in ATTRS:
                    problems.append(f"attribute {name} on {tag}")
                elif name == "class":
                    problems.extend(f"class {c} on {tag}" for c in value.split() if not re.match(CLASS, c))
                elif name == "href" and not re.match(HREF, value, re.I):
                    problems.append(f"href {value}")
                elif name == "style" and not re.match(STYLE, value):
                    problems.append(f"style {value}")
                elif name == "title" and "headerlink" not in dict(attrs).get("class", ""):
                    problems.append(f"title {value}")

    Walk(convert_charrefs=True).feed(fragment)
    return problems


AUDIT = r"""([root, spec]) => {
  const TAGS = new Set(spec.tags), ATTRS = new Set(spec.attrs);
  const CLASS = new RegExp(spec.cls), HREF = new RegExp(spec.href, "i"), STYLE = new RegExp(spec.style);
  const problems = [];
  const where = el => el.localName + (el.id ? "#" + el.id : "") + " in " + (el.closest("[id]") || {id: "?"}).id;
  for (const el of root.querySelectorAll("*")) {
    if (!TAGS.has(el.localName)) problems.push("element " + where(el));
    if (el.localName === "input" && !el.hasAttribute("data-pr-toggle")) problems.push("input " + where(el));
    // our divs: admonitions, pr-* wrappers (the article's text with its lang, the home page's
    // table), Material's table wrappers, and the class-less wrapper kept out of the search index
    if (el.localName === "div" && !/^(admonition|pr-[a-z-]+|md-typeset__)/.test(el.className)
        && !(el.className === "" && el.hasAttribute("data-search-exclude"))) problems.push("div ." + el.className);
    for (const a of el.attributes) {
      if (!ATTRS.has(a.name)) problems.push("attribute " + a.name + " on " + where(el));
      if (a.name === "class") for (const c of el.classList) if (!CLASS.test(c)) problems.push("class " + c + " on " + where(el));
      if (a.name === "href" && !HREF.test(a.value)) problems.push("href " + a.value);
      if (a.name === "style" && !STYLE.test(a.value)) problems.push("style " + a.value);
      if (a.name === "title" && !el.classList.contains("headerlink")) problems.push("title " + a.value);
      if (a.name === "id" && !/^[\w.-]+$/.test(a.value)) problems.push("id " + a.value);
      if (a.name === "tabindex" && a.value !== "0") problems.push("tabindex " + a.value);
    }
  }
  return problems;
}"""


def audit_content(page) -> list[str]:
    """AUDIT on the page's content (Material's article, else the page's first article)."""
    root = page.query_selector("article.md-content__inner") or page.query_selector("article")
    return page.evaluate(AUDIT, [root, SPEC])


# Anywhere in the document.
AUDIT_DOCUMENT = r"""() => {
  const problems = [];
  if (window.pwn !== undefined) problems.push("a payload ran: window.pwn = " + window.pwn);
  for (const el of document.querySelectorAll("*")) {
    if (/^(iframe|frame|object|embed|img|base|meta|link|style|template|portal)$/.test(el.localName) && !el.closest("head")) problems.push("element " + el.localName);
    if (/pwn/i.test(el.localName) || /pwn/i.test(el.className.baseVal ?? el.className)) problems.push("pwn element " + el.outerHTML.slice(0, 80));
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) problems.push("handler " + a.name + " on " + el.localName);
      if (/pwn/i.test(a.name)) problems.push("pwn attribute " + a.name);
      if (/^(href|src|action|data|formaction|xlink:href)$/.test(a.name) && /^\s*(javascript|file|data|vbscript):/i.test(a.value)) problems.push("url " + a.value);
    }
  }
  for (const s of document.scripts) {
    const ok = s.src ? /\/(assets\/javascripts\/bundle\.[0-9a-f]+\.min|javascripts\/pressreview)\.js$/.test(s.src)
      : (s.type === "application/json" && s.id === "__config") || /^\s*(__md_scope|var palette|document\.body|var media|__md_|var target=document\.getElementById\(location\.hash)/.test(s.text) || s.text.trim() === "";
    if (!ok) problems.push("script " + (s.src || s.text.slice(0, 80)));
  }
  return problems;
}"""


def hover_all(page, limit: int = 400) -> list[str]:
    """Hover and focus every element with an explanation (the tooltip must hold exactly its
    text) and every element with a title (Material's own tooltips, e.g. of cut nav titles)."""
    problems = page.evaluate("""(limit) => {
      const problems = [];
      for (const el of [...document.querySelectorAll("[title]")].slice(0, limit)) {
        for (const type of ["mouseenter", "mouseover", "focus"]) el.dispatchEvent(new MouseEvent(type, {bubbles: type !== "mouseenter"}));
      }
      const marks = [...document.querySelectorAll("[data-pr-tip]")].slice(0, limit);
      for (const el of marks) {
        el.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
        const tip = document.querySelector(".pr-tip--active");
        if (!tip || tip.textContent !== el.getAttribute("data-pr-tip")) problems.push("tooltip of " + el.id);
        if (tip && tip.children.length) problems.push("tooltip with elements");
        el.focus();
      }
      return problems;
    }""", limit)
    return problems
