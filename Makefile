# Quick start (fresh Debian, as root):  make demo   |   make test
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
OUT ?= out
SYSTEM_PACKAGES = libreoffice-writer-nogui fonts-liberation2 poppler-utils tesseract-ocr tesseract-ocr-vie ocrmypdf chromium sqlite3 softhsm2 postgresql
DEMO_HOME ?= demo-data
DEMO_PASSWORD ?= vanthu-demo

.PHONY: system install demo serve test bench

# LibreOffice makes the PDFs; Liberation Serif is metric-compatible with Times New Roman.
# Tesseract (Vietnamese model) and OCRmyPDF give scanned incoming documents a text layer.
# Chromium: the browser tests drive Debian's /usr/bin/chromium through Playwright (no browser download).
# SoftHSM2 is the PKCS#11 token the signing tests initialise (a USB token's stand-in).
# PostgreSQL (with its contrib: unaccent, pg_trgm): the archive's second backend; the tests start a throwaway cluster.
system:
	@if ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES); \
	fi

install: system
	$(PIP) install -q -e '.[test]'

demo: install
	mkdir -p $(OUT)
	vanthu render examples/4482-SYT-VP.yaml -o $(OUT)/4482-SYT-VP.docx
	vanthu render examples/dang-ky-tai-khoan-bluezone.yaml -o $(OUT)/dang-ky-tai-khoan-bluezone.docx
	vanthu render examples/4482-SYT-VP.yaml examples/dang-ky-tai-khoan-bluezone.yaml -o $(OUT)/4482-SYT-VP-va-bieu-mau.pdf
	@echo "Kết quả trong thư mục $(OUT)/"
	@echo "Ứng dụng web: make serve  (tạo người dùng thử demo / $(DEMO_PASSWORD), rồi mở http://127.0.0.1:8080)"

# The web app on a demo home, with a demo person holding every role.
serve: install
	@vanthu --home $(DEMO_HOME) user list 2>/dev/null | grep -q '^demo	' || \
	  echo '$(DEMO_PASSWORD)' | vanthu --home $(DEMO_HOME) user add demo --role quan-tri --role van-thu \
	    --role chuyen-vien --role lanh-dao --full-name "Người dùng thử" --password-stdin
	@echo "Mở http://127.0.0.1:8080 trong trình duyệt; đăng nhập: demo / $(DEMO_PASSWORD)"
	vanthu --home $(DEMO_HOME) serve

test: install
	bash scripts/with-postgres.sh $(PYTHON) -m pytest -q

bench: install
	$(PYTHON) bench/render.py
	$(PYTHON) bench/pdf.py
	$(PYTHON) bench/lint.py
	$(PYTHON) bench/issue.py
	$(PYTHON) bench/search.py
	$(PYTHON) bench/incoming.py
