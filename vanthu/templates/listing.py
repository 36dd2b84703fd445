"""Describing templates to the clerk (danh mục mẫu), as plain text tables."""

KIND_NAMES = {"document": "văn bản", "form": "biểu mẫu"}


def table(library):
    """One line per template: name, Vietnamese title, kind, model."""
    rows = [(t.name, t.title, KIND_NAMES[t.kind], t.model and f"mẫu {t.model}") for t in library.templates()]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{name.ljust(width)}  {title} ({kind}{', ' + model if model else ''})"
                     for name, title, kind, model in rows)


def describe(template):
    """One template's fields: name, type, required, label and help."""
    lines = [f"{template.name}: {template.title} ({KIND_NAMES[template.kind]})", f"Tệp mẫu: {template.docx_path}", ""]
    width = max(len(f.name) for f in template.fields.values())
    for f in template.fields.values():
        need = "bắt buộc" if f.required else "tùy chọn"
        lines.append(f"  {f.name.ljust(width)}  {f.type:<7} {need:<9} {f.label}")
        if f.help:
            lines.append(f"  {'':{width}}  {'':7} {'':9} {f.help}")
    return "\n".join(lines)
