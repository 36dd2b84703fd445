"""The help page's Markdown (docs/huong-dan.md) as HTML: headings, paragraphs, lists, images, bold, code.

Enough for our own guide; escaped first, so the text can hold no HTML.
"""
import re

from markupsafe import Markup, escape

_IMAGE = re.compile(r"^!\[([^\]]*)\]\((?:img/)?([\w.-]+)\)$")


def _inline(text):
    text = str(escape(text))
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\[([^\]]+)\]\((/[^)\s]*)\)", r'<a href="\2">\1</a>', text)


def to_html(text, image_url):
    """HTML of the guide; ``image_url(name)`` says where a screenshot is served."""
    out, items, para = [], [], []

    def flush():
        if para:
            out.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()
        if items:
            out.append("<ol>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ol>")
            items.clear()
    for line in text.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,3})\s+(.*)$", stripped)
        item = re.match(r"^(?:\d+\.|-)\s+(.*)$", stripped)
        image = _IMAGE.match(stripped)
        if not stripped or heading or image:
            flush()
        if heading:
            level = len(heading[1])
            out.append(f"<h{level}>{_inline(heading[2])}</h{level}>")
        elif image:
            out.append(f'<figure><img src="{escape(image_url(image[2]))}" alt="{escape(image[1])}" loading="lazy">'
                       f"<figcaption>{escape(image[1])}</figcaption></figure>")
        elif item:
            if para:
                flush()
            items.append(item[1])
        elif stripped:
            para.append(stripped)
    flush()
    return Markup("\n".join(out))
