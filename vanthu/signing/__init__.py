"""Digital signatures (chữ ký số) as Nghị định 30 lays them out (Điều 8, 13, 17; Phụ lục I mục II.7–II.8).

- :mod:`.certs`: certificates and their validity (chứng thư số);
- :mod:`.keys`: each person's and each organisation's key in the home (khóa ký);
- :mod:`.placement`: where the number, date, signature and seal go on the page;
- :mod:`.stamps`: the visible images and information lines, with a font whose
  Vietnamese letters pyHanko measures right;
- :mod:`.sign`: the leader's signature, the number and date filled in, the
  organisation's signature, attachments;
- :mod:`.inspect`: every signature of a PDF, validated (``vanthu signatures``).

pyHanko does the cryptography and the PDF revisions; nothing here prints.
"""
