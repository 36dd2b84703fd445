"""The generator (bộ sinh văn bản): YAML records to DOCX, laid out per Nghị định 30."""
