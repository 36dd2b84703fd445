"""Trình ký to phát hành (the sign-off workflow), Nghị định 30 Điều 10–17: the states between a draft and its number.

A drafter submits a draft to a leader, optionally through reviewers
(:func:`submit`); each in turn approves or returns it with a comment
(:func:`approve`, :func:`return_draft`); the leader signs it with their own
key (:func:`sign`); the văn thư numbers, dates and issues it with the
organisation's key (:func:`issue`). Each step is an event in the archive's
log naming the person, the step and the SHA-256 of what was signed. Only the
person whose turn it is may act, and the organisation signs only a document
that already carries the authority's signature (Điều 32.2.d).
"""
import datetime as _dt
import functools
import hashlib
from dataclasses import dataclass

from ..archive import db, people
from ..archive.store import SEPARATE_APPENDIX
from ..archive.home import opened
from ..errors import VanthuError
from . import drafts

SUBMITTED = "trinh-ky"     # on its way through reviewers to the leader (đang trình ký)
RETURNED = "tra-lai"       # returned with a comment, editable again (bị trả lại)
APPROVED = "da-duyet"      # the leader approved it without signing yet (đã duyệt)
SIGNED = "da-ky"           # carries the leader's digital signature (đã ký số)
drafts.STATE_NAMES.update({SUBMITTED: "Đang trình ký", RETURNED: "Bị trả lại", APPROVED: "Lãnh đạo đã duyệt",
                           SIGNED: "Lãnh đạo đã ký số"})
drafts.EDITABLE.add(RETURNED)
drafts.ISSUABLE.add(APPROVED)  # on paper: approved by the leader on its route, signed by hand (issuable_states)

REVIEW, SIGN = "duyet", "ky"
WAITING, LATER, AGREED, SENT_BACK, DONE, DROPPED = "cho", "sau", "dong-y", "tra-lai", "da-ky", "huy"
STEP_NAMES = {WAITING: "đang chờ", LATER: "chưa tới lượt", AGREED: "đồng ý", SENT_BACK: "trả lại",
              DONE: "đã ký", DROPPED: "không còn"}


@dataclass(frozen=True)
class Step:
    """One person's turn on a draft's route (một bước trình ký)."""

    draft_id: int
    round: int
    position: int
    person: str
    duty: str
    state: str
    comment: str
    acted_at: str

    @property
    def label(self):
        duty = "duyệt" if self.duty == REVIEW else "ký"
        note = f": {self.comment}" if self.comment else ""
        return f"{self.person} ({duty}) {STEP_NAMES.get(self.state, self.state)}{note}"


def _now():
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def sha256(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def _built_in_library():
    from ..templates import TemplateLibrary
    return TemplateLibrary()


def _record(draft, library):
    """The draft's checked record; the built-in templates are read once per process."""
    return drafts.check(draft.text, library or _built_in_library(), draft.source)


def _step(row):
    return Step(row["draft_id"], row["round"], row["position"], row["person"], row["duty"], row["state"],
                row["comment"], row["acted_at"])


def route(draft_id, home=None):
    """Every step of the draft's latest route, in order."""
    with opened(home) as archive:
        return _route(archive.conn, int(draft_id))


def _route(conn, draft_id):
    rows = conn.execute("SELECT * FROM signoff_steps WHERE draft_id = ? AND round = (SELECT max(round) FROM"
                        " signoff_steps WHERE draft_id = ?) ORDER BY position", (draft_id, draft_id)).fetchall()
    return [_step(r) for r in rows]


def _current(conn, draft_id):
    return next((s for s in _route(conn, draft_id) if s.state == WAITING), None)


# --- trình ký ------------------------------------------------------------------------------

def submit(draft_id, to, via=(), by=None, home=None):
    """Send the draft to leader ``to`` through reviewers ``via`` (in that order)."""
    leader = _active(to, home)
    if not leader.has(people.LEADER):
        raise VanthuError(f"'{to}' không có vai trò lãnh đạo (lanh-dao): không trình ký cho người này được")
    reviewers = [_active(name, home).username for name in via]
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            draft = drafts.locked(archive.conn, draft_id)
            _refuse_foreign(draft, by)
            drafts.move(archive, draft.id, SUBMITTED, by, {drafts.DRAFT, RETURNED}, f"trình {leader.username}")
            _add_route(archive.conn, draft.id, reviewers, leader.username)
            archive.log("submit", {"draft": draft.id, "by": by, "to": leader.username, "via": reviewers},
                        sha256(draft.text))
        archive.remember_log_head()
    return drafts.get(draft_id, home)


def _active(name, home):
    person = people.get(name, home)
    if not person.active:
        raise VanthuError(f"người dùng '{name}' đã bị khóa")
    return person


def _refuse_foreign(draft, by):
    if by is not None and draft.owner != by:
        raise VanthuError(f"dự thảo {draft.id} là của '{draft.owner}'; chỉ người soạn mới trình ký được")


def _add_route(conn, draft_id, reviewers, leader):
    last = conn.execute("SELECT coalesce(max(round), 0) FROM signoff_steps WHERE draft_id = ?", (draft_id,)).fetchone()[0]
    steps = [(name, REVIEW) for name in reviewers] + [(leader, SIGN)]
    for position, (person, duty) in enumerate(steps):
        conn.execute("INSERT INTO signoff_steps (draft_id, round, position, person, duty, state)"
                     " VALUES (?, ?, ?, ?, ?, ?)", (draft_id, last + 1, position, person, duty,
                                                    WAITING if position == 0 else LATER))


# --- duyệt, trả lại ---------------------------------------------------------------------------

def approve(draft_id, by, comment="", home=None):
    """The person whose turn it is agrees; the next one's turn comes (the leader's: state approved)."""
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            draft, step = _my_turn(archive.conn, draft_id, by)
            _set_step(archive.conn, step, AGREED, comment)
            if step.duty == SIGN:
                drafts.move(archive, draft.id, APPROVED, by, {SUBMITTED}, comment)
            else:
                _next_turn(archive.conn, step)
            archive.log("approve", {"draft": draft.id, "by": by, "comment": comment}, sha256(draft.text))
        archive.remember_log_head()
    return drafts.get(draft_id, home)


def return_draft(draft_id, by, comment, home=None):
    """Send the draft back to its drafter with a comment (trả lại); the route ends."""
    if not (comment or "").strip():
        raise VanthuError("trả lại dự thảo cần ý kiến (--comment) để người soạn biết sửa gì")
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            draft, step = _my_turn(archive.conn, draft_id, by, {SUBMITTED, APPROVED})
            _set_step(archive.conn, step, SENT_BACK, comment)
            archive.conn.execute("UPDATE signoff_steps SET state = ? WHERE draft_id = ? AND round = ? AND state = ?",
                                 (DROPPED, draft.id, step.round, LATER))
            drafts.move(archive, draft.id, RETURNED, by, {SUBMITTED, APPROVED}, comment)
            archive.log("return", {"draft": draft.id, "by": by, "comment": comment}, sha256(draft.text))
        archive.remember_log_head()
    return drafts.get(draft_id, home)


def _my_turn(conn, draft_id, by, states=(SUBMITTED,)):
    """The draft and ``by``'s waiting step on it; anyone else is refused."""
    draft = drafts.locked(conn, draft_id)
    if draft.state == APPROVED and APPROVED in states:
        step = _leader_step(conn, draft.id)
        if step.person == by:
            return draft, step
    step = _current(conn, draft.id) if draft.state == SUBMITTED else None
    if draft.state not in states or step is None or step.person != by:
        raise VanthuError(f"dự thảo {draft.id} ({draft.state_name}) không đang chờ '{by}' xử lý"
                          + (f"; đang chờ '{step.person}'" if step else ""))
    return draft, step


def _leader_step(conn, draft_id):
    return next(s for s in _route(conn, draft_id) if s.duty == SIGN)


def _set_step(conn, step, state, comment=""):
    conn.execute("UPDATE signoff_steps SET state = ?, comment = ?, acted_at = ? WHERE draft_id = ? AND round = ?"
                 " AND position = ?", (state, comment or "", _now(), step.draft_id, step.round, step.position))


def _next_turn(conn, step):
    conn.execute("UPDATE signoff_steps SET state = ? WHERE draft_id = ? AND round = ? AND position = ?",
                 (WAITING, step.draft_id, step.round, step.position + 1))


# --- lãnh đạo ký số -------------------------------------------------------------------------------

def sign(draft_id, by, pin, home=None, library=None, tsa_url=None):
    """The leader ``by`` signs the draft with their own key (step 3), if it waits for them."""
    from ..signing import document, keys, sign as signing, signers
    with opened(home) as archive:
        draft, step = _my_turn(archive.conn, draft_id, by, {SUBMITTED, APPROVED})
        root = archive.home.root
    if step.duty != SIGN:
        raise VanthuError(f"dự thảo {draft.id} đang chờ '{by}' duyệt, chưa tới bước ký")
    record = _record(draft, library)
    key = keys.find(root, "user", by)
    if key.image is None:
        raise VanthuError(f"chưa có ảnh chữ ký của '{by}'; thêm bằng 'vanthu key add --user {by} ... --image'")
    org = keys.find_optional(root, "org", record.issuer.get("code", ""))
    pdf = document.draft_pdf(record)
    prepared = signing.prepare(pdf, *document.sizes(key.image, org.image if org else None))
    with signers.opened(key, pin) as signer:
        _same_person(signer, record)
        signed = signing.leader_signs(prepared, signer, key.image, tsa_url=tsa_url or keys.tsa_url(root))
    _store_signed(draft, step, by, signed, home)
    return drafts.get(draft_id, home)


def _same_person(signer, record):
    """The certificate must name the signer the document names (no signing in another's name)."""
    from ..signing.certs import common_name, same_name
    holder = common_name(signer.signing_cert.subject)
    named = (record.get("signer") or {}).get("name", "")
    if not same_name(holder, named):
        raise VanthuError(f"chứng thư số là của '{holder}', văn bản ghi người ký '{named}': không ký thay được")


def _store_signed(draft, step, by, signed, home):
    digest = sha256(signed)
    with opened(home) as archive:
        with db.write_transaction(archive.conn):
            _, step = _my_turn(archive.conn, draft.id, by, {SUBMITTED, APPROVED})  # still theirs, under the lock
            archive.conn.execute("INSERT INTO signed_drafts (draft_id, pdf, sha256, signer, signed_at)"
                                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT (draft_id) DO UPDATE SET pdf = excluded.pdf,"
                                 " sha256 = excluded.sha256, signer = excluded.signer, signed_at = excluded.signed_at",
                                 (draft.id, signed, digest, by, _now()))
            _set_step(archive.conn, step, DONE)
            drafts.move(archive, draft.id, SIGNED, by, {SUBMITTED, APPROVED}, "")
            archive.log("sign", {"draft": draft.id, "by": by, "record": sha256(draft.text)}, digest)
        archive.remember_log_head()


def signed_pdf(draft_id, home=None):
    """The leader-signed PDF of a draft, checked against the hash logged when it was signed."""
    with opened(home) as archive:
        row = archive.conn.execute("SELECT * FROM signed_drafts WHERE draft_id = ?", (int(draft_id),)).fetchone()
    if row is None:
        raise VanthuError(f"dự thảo {draft_id} chưa được lãnh đạo ký số")
    if sha256(row["pdf"]) != row["sha256"]:
        raise VanthuError(f"bản PDF đã ký của dự thảo {draft_id} đã bị thay đổi sau khi ký; không ban hành được")
    return bytes(row["pdf"])


# --- cấp số, ký số của cơ quan, phát hành ------------------------------------------------------------

def issue(draft_id, by, pin, home=None, library=None, warn=None, tsa_url=None, when=None, index=True, again=False,
          other_year=False, replaces=None, corrects=None):
    """Steps 4–6 for a signed draft: number and date filled, the organisation's signature, archived.

    ``index=False`` leaves the search index to ``vanthu reindex``; ``again``, ``other_year``, ``replaces``,
    ``corrects``: the CLI's options of the same names (as :func:`vanthu.archive.issuing.issue`)."""
    from ..archive.issuing import issue as issue_records
    from ..signing import keys, signers
    draft = drafts.get(draft_id, home)
    refuse_unissuable(draft, by, home, paper=False)
    record = _record(draft, library)
    leader_signed = signed_pdf(draft.id, home)
    with opened(home) as archive:
        root = archive.home.root
    key = keys.find(root, "org", record.issuer.get("code", ""))
    with signers.opened(key, pin) as signer:
        appendices = _separate_appendices(record)  # LibreOffice before the number is taken, not under the lock
        finish = _finisher(leader_signed, appendices, signer, key, tsa_url or keys.tsa_url(root), when)
        mark = _marker(draft, by)
        return issue_records([record], home, to_pdf=finish, warn=warn, inside=mark, index=index, again=again,
                             other_year=other_year, replaces=replaces, corrects=corrects)[0]


def _separate_appendices(record):
    """The PDFs of the appendices in files of their own (model 2.2), none for most documents."""
    from ..signing import document
    if not any(a.get("separate") for a in record.get("appendices") or ()):
        return []
    return document.appendix_pdfs(record)


def _finisher(leader_signed, appendices, signer, key, tsa_url, when):
    """``to_pdf`` for the archive: the number and date filled in, then the organisation signs the document
    and, at the same moment, each appendix in a file of its own (II.8.b: its number, time, name top right)."""
    from ..archive.issuing import PdfFiles
    from ..signing import sign as signing

    def finish(records, _docx):
        (record,) = records
        moment = when or signing.now_vn()
        filled = signing.fill_number_and_date(leader_signed, signing.Filling.of(record.number, record.date))
        pdf = signing.organisation_signs(filled, signer, key.image, when=moment, tsa_url=tsa_url)
        separate = tuple((f"{SEPARATE_APPENDIX}{n}", f"{SEPARATE_APPENDIX}{n}.pdf",
                          signing.sign_attachment(data, signer, record.number, when=moment, tsa_url=tsa_url))
                         for n, data in appendices)
        return [PdfFiles(pdf, separate) if separate else pdf]
    return finish


def _marker(draft, by):
    def mark(archive, results):
        _mark_issued(archive, draft.id, by, False, results[0].id)
        pdf = next(f for f in results[0].files if f.role == "pdf")
        separate = {f.path: f.sha256 for f in results[0].files if f.role.startswith(SEPARATE_APPENDIX)}
        archive.log("sign-org", {"draft": draft.id, "by": by, "number": str(results[0].number),
                                 **({"separate": separate} if separate else {})}, pdf.sha256, results[0].id)
    return mark


def issue_on_paper(draft_id, by, home=None, library=None, pdf=True, warn=None, again=False, other_year=False,
                   replaces=None, corrects=None):
    """Issue on paper a draft the leader approved and signs by hand (văn thư ban hành bản giấy): number,
    date, files and the draft marked issued, in one transaction.

    :func:`refuse_unissuable` decides, and the state is checked again under the write lock, so a
    double click never takes two numbers. ``again``, ``other_year``, ``replaces``, ``corrects``: the CLI's options.
    """
    from ..archive.issuing import issue as issue_records
    from ..archive.pdfexport import convert
    draft = drafts.get(draft_id, home)
    refuse_unissuable(draft, by, home, paper=True)
    record = drafts.check(draft.text, library, draft.source)

    def mark(archive, results):
        _mark_issued(archive, draft.id, by, True, results[0].id)
    return issue_records([record], home, to_pdf=convert if pdf else None, warn=warn, inside=mark, again=again,
                         other_year=other_year, replaces=replaces, corrects=corrects)[0]


# --- the one issue rule: which drafts the văn thư may issue, on paper or signed -----------------------

def issuable_states(paper):
    """The states a draft is issued from: signed by the leader's key (điện tử), or approved by the
    leader on its route, who then signs the printed copy by hand (bản giấy). Never an unreviewed draft."""
    return set(drafts.ISSUABLE) if paper else {SIGNED}


def refuse_unissuable(draft, by, home=None, paper=False):
    """The one rule for issuing a draft (CLI and web, paper and signed): else a clear error, nothing written.

    Only a văn thư issues; a draft is issued once; electronically only once the
    leader signed it (Điều 32.2.d), on paper only once the leader approved it
    on its route. A paper document that never went through vanthu is issued
    from its record file (workflow.md), not as a draft.
    """
    _refuse_non_clerk(by, home)
    if draft.state == drafts.ISSUED:
        drafts.refuse_unissuable(draft, home)
    if draft.state not in issuable_states(paper):
        raise VanthuError(f"dự thảo {draft.id} ({draft.state_name}) {_why_not(draft, paper, home)}")


def _mark_issued(archive, draft_id, by, paper, document_id):
    """The draft marked issued in the number's transaction, if it is still issuable under the lock
    (another clerk, a second click, may have issued it since the rule was checked): else all rolls back."""
    if drafts.locked(archive.conn, draft_id).state == drafts.ISSUED:
        raise VanthuError(f"dự thảo {draft_id} vừa được ban hành ở nơi khác (người khác, hoặc bấm hai lần); "
                          "không ban hành lại (mỗi văn bản chỉ một số)")
    drafts.move(archive, draft_id, drafts.ISSUED, by, issuable_states(paper), "", document_id)


def _refuse_non_clerk(by, home):
    if by is not None and not _active(by, home).has(people.CLERK):
        raise VanthuError(f"'{by}' không có vai trò văn thư (van-thu): chỉ văn thư cấp số, ban hành văn bản")


def _why_not(draft, paper, home):
    if draft.state == SIGNED:  # paper asked for a draft signed with the leader's key
        return "đã có chữ ký số của lãnh đạo: ban hành văn bản điện tử (ký số của cơ quan), không ban hành bản giấy"
    if draft.state == APPROVED:  # signed path asked for a draft only approved
        return ("chưa có chữ ký số của lãnh đạo: văn thư không ký số của cơ quan, không ban hành văn bản điện tử "
                "chưa ký (Điều 32.2.d); nếu lãnh đạo đã ký tay trên bản giấy, ban hành bản giấy (thêm --paper)")
    if draft.state == SUBMITTED:
        with opened(home) as archive:
            step = _current(archive.conn, draft.id)
        waiting = f", đang chờ '{step.person}' {'duyệt' if step.duty == REVIEW else 'ký'}" if step else ""
        return f"chưa được lãnh đạo duyệt{waiting}: chưa ban hành được"
    return ("chưa trình ký, chưa được lãnh đạo duyệt: không ban hành được; người soạn trình ký lãnh đạo trước "
            "(lãnh đạo đồng ý rồi ký số, hoặc đồng ý để ký tay trên bản giấy)")


# --- danh sách chờ --------------------------------------------------------------------------------

def waiting_for(person, home=None):
    """The drafts waiting for ``person``: their turn to review or sign; for a văn thư, the signed ones."""
    with opened(home) as archive:
        rows = archive.conn.execute("SELECT DISTINCT draft_id FROM signoff_steps WHERE person = ? AND state = ?"
                                    " ORDER BY draft_id", (person, WAITING)).fetchall()
        ids = [r[0] for r in rows]
        ids += [r[0] for r in archive.conn.execute(
            "SELECT d.id FROM drafts d JOIN signoff_steps s ON s.draft_id = d.id AND s.duty = ? AND s.person = ?"
            " WHERE d.state = ?", (SIGN, person, APPROVED))]
    mine = [drafts.get(i, home) for i in dict.fromkeys(ids)]
    if people.get(person, home).has(people.CLERK):
        mine += drafts.listing(home, states=[SIGNED])
    return mine


def history(draft_id, home=None):
    """The draft's events from the log, oldest first: (time, who, action, detail)."""
    import json
    with opened(home) as archive:
        rows = archive.conn.execute("SELECT time, \"user\", action, detail, checksum FROM events ORDER BY id").fetchall()
    found = []
    for row in rows:
        detail = json.loads(row["detail"] or "{}")
        if detail.get("draft") == int(draft_id):
            found.append((row["time"], row["user"], row["action"], detail, row["checksum"]))
    return found
