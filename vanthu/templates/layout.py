"""The page geometry and styles of Nghị định 30 (Phụ lục I), in one place.

Both the template builder (``scripts/build_templates.py``) and the generator
read these numbers, so a rule drawn at render time fits the cell it sits in.
All lengths are in twips (1/20 pt; 567 twips = 1 cm).
"""
TWIPS_PER_MM = 1440 / 25.4

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838               # A4
MARGIN_TOP, MARGIN_BOTTOM = 1134, 1134               # 20 mm (decree: 20-25)
MARGIN_LEFT, MARGIN_RIGHT = 1701, 851                # 30 mm (30-35), 15 mm (15-20), rounded up
HEADER_DISTANCE = 567                                # 10 mm, as in the official files
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 9354

# The header is a borderless two-column table (ô 2-3-5b | ô 1-4), a little
# wider than the text on the left, as in the official Word files.
HEADER_INDENT = -284
HEADER_LEFT = 3912                                   # 6.9 cm
HEADER_RIGHT = TEXT_WIDTH - HEADER_INDENT - HEADER_LEFT
# The bottom block: Nơi nhận on the left, the signature on the right.
FOOTER_LEFT = 3686                                   # 6.5 cm
FOOTER_RIGHT = TEXT_WIDTH - FOOTER_LEFT
CELL_MARGIN = 108                                    # Word's default left/right cell padding

CIRCULATION_TOP = 510                                # ô 11: 9 mm from the top of the page, in the margin
BODY_INDENT = 567                                    # first-line indent 1 cm
ISSUER_RULE_SHARE = 0.42                             # rule under the issuer: 1/3 to 1/2 of its line

# style id: (size pt, bold, italic, alignment, extra) — the decree's §3 table.
STYLES = {
    "VBParent": (13, False, False, "center", {}),
    "VBIssuer": (13, True, False, "center", {}),
    "VBNational": (12, True, False, "center", {}),
    "VBMotto": (13, True, False, "center", {}),
    "VBNumber": (13, False, False, "center", {"before": 6}),
    "VBPlaceDate": (14, False, True, "center", {"before": 6}),
    "VBSubjectCV": (12, False, False, "center", {"before": 6}),
    "VBTypeTitle": (14, True, False, "center", {"before": 18}),
    "VBTypeSubject": (14, True, False, "center", {}),
    "VBAuthority": (14, True, False, "center", {"before": 12}),
    "VBKinhGui": (14, False, False, "left", {"before": 12, "first": 1985}),
    "VBKinhGuiItem": (14, False, False, "left", {"left": 2552}),
    "VBBody": (14, False, False, "both", {"before": 6, "first": BODY_INDENT}),
    "VBBase": (14, False, True, "both", {"before": 6, "first": BODY_INDENT}),
    "VBBodyCenter": (14, True, False, "center", {"before": 6}),
    "VBCenter": (14, False, False, "center", {"before": 6}),  # "... điện:", "... trân trọng giới thiệu:"
    "VBConfirm": (12, False, True, "center", {}),             # model 1.10's confirmation box
    "VBNoiNhan": (12, True, True, "left", {}),  # level with the first line of ô 7a: no space above
    "VBNoiNhanItem": (11, False, False, "left", {}),
    "VBSignTitle": (14, True, False, "center", {}),
    "VBSignName": (14, True, False, "center", {"before": 72}),
    "VBSignNote": (14, False, True, "center", {}),
    "VBPageNumber": (14, False, False, "center", {}),
    "VBSpacer": (12, False, False, "left", {"keep": True}),  # the blank line above the signature block, kept with it
    "VBMark": (13, True, False, "center", {"before": 6}),
    "VBRule": (2, False, False, "center", {}),
    "VBCellEnd": (1, False, False, "left", {}),        # the empty last paragraph a table cell must keep
    "VBFormTitle": (14, True, False, "center", {"after": 12}),
    "VBFormLine": (14, False, False, "both", {"before": 6}),
    "VBFormNote": (14, False, True, "both", {"before": 6}),
    "VBContact": (11, False, False, "center", {}),
    "VBTableText": (13, False, False, "left", {}),
    "VBTableHeader": (13, True, False, "center", {}),
}
