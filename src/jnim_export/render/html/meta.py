"""The page's <head>: title, description, language, Open Graph, schema.org JSON-LD, canonical URL."""

from __future__ import annotations

import calendar
import re

from ... import __version__
from ...model import Document, Paragraph, plain_text
from ...urls import link_allowed
from .dom import El, json_script, style_element

__all__ = ["display_date", "head", "join_names", "native_title", "page_url"]

_MONTHS = [calendar.month_name[i] for i in range(13)]
# Scripts written right to left, by primary language subtag.
RTL = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi"})


def display_date(date: str) -> str:
    parts = date.split("-")
    try:
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1])]} {parts[0]}"
        return f"{_MONTHS[int(parts[1])]} {int(parts[2])}, {parts[0]}"
    except (ValueError, IndexError):
        return date


def join_names(names: tuple[str, ...] | list[str]) -> str:
    names = list(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def native_title(doc: Document) -> tuple[str, str | None, str] | None:
    """(text, lang, dir) of the group's name in another script, when the content has one."""
    text = getattr(doc.meta, "native_title", None)
    if not isinstance(text, str) or not text.strip():
        return None
    lang = getattr(doc.meta, "native_title_lang", None)
    lang = lang if isinstance(lang, str) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang) else None
    direction = "auto"
    if lang is not None:
        direction = "rtl" if lang.split("-")[0].lower() in RTL else "ltr"
    return text.strip(), lang, direction


def page_url(doc: Document) -> str | None:
    url = getattr(doc.meta, "url", None)
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) and link_allowed(url) else None


def description(doc: Document) -> str:
    subject = " ".join(doc.meta.subject.split())
    if subject:
        return subject
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                text = " ".join(plain_text(block.text).split())
                if len(text) <= 200:
                    return text
                return text[:200].rsplit(" ", 1)[0] + "…"
    return doc.meta.title


def _json_ld(doc: Document, url: str | None, native: tuple | None) -> dict:
    m = doc.meta
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": m.title,
    }
    if native:
        data["alternativeHeadline"] = native[0]
    data.update({
        "description": description(doc),
        "inLanguage": m.language,
        "datePublished": m.date,
        "author": [{"@type": "Person", "name": a} for a in m.authors],
        "publisher": {"@type": "Organization", "name": m.publisher, "alternateName": m.publisher_short},
        "isPartOf": {"@type": "CreativeWorkSeries", "name": m.series},
        "articleSection": [s.title for s in doc.sections],
        "keywords": ", ".join(m.keywords),
        "copyrightNotice": m.copyright,
    })
    if not m.keywords:
        del data["keywords"]
    if url:
        data["url"] = url
        data["mainEntityOfPage"] = url
    return data


def head(doc: Document, css: str) -> El:
    m = doc.meta
    url = page_url(doc)
    native = native_title(doc)
    desc = description(doc)
    locale = m.language.replace("-", "_")
    h = El("head", None,
           El("meta", {"charset": "utf-8"}),
           El("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
           El("title", None, f"{m.title} | {m.series} | {m.publisher}"),
           El("meta", {"name": "description", "content": desc}),
           El("meta", {"name": "author", "content": join_names(m.authors)}),
           El("meta", {"name": "keywords", "content": ", ".join(m.keywords)}) if m.keywords else None,
           El("meta", {"name": "color-scheme", "content": "light dark"}),
           El("meta", {"name": "generator", "content": f"jnim-export {__version__}"}))
    if url:
        h.append(El("link", {"rel": "canonical", "href": url}))
    og = [("og:type", "article"), ("og:title", m.title), ("og:description", desc), ("og:site_name", m.publisher),
          ("og:locale", locale)]
    if url:
        og.append(("og:url", url))
    og.append(("article:published_time", m.date))
    og += [("article:author", a) for a in m.authors]
    og.append(("article:section", m.series))
    og += [("article:tag", k) for k in m.keywords]
    h.extend(El("meta", {"property": p, "content": c}) for p, c in og)
    h.append(json_script(_json_ld(doc, url, native)))
    h.append(style_element(css))
    return h
