"""The register and archive (sổ đăng ký và kho lưu trữ)."""
