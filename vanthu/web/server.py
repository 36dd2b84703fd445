"""``vanthu serve``: the web app under waitress (pure Python, also on the Windows PCs offices have)."""
import contextlib
import signal

from ..archive import people
from ..errors import VanthuError


def run(home, host, port, library=None, threads=8, ready=None):
    """Serve until Ctrl-C; refuses to start while the home has nobody who could log in."""
    if people.count_active(home) == 0:
        raise VanthuError("chưa có người dùng nào đăng nhập được; tạo người đầu tiên bằng lệnh:\n"
                          "  vanthu user add TÊN --role quan-tri --role van-thu\n"
                          "rồi chạy lại: vanthu serve")
    import waitress
    from . import create_app
    app = create_app(home, library, secure_cookies=False)
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads, ident="vanthu")
    except OSError as error:
        raise VanthuError(f"không mở được {host}:{port} ({error.strerror or error}); cổng đang được dùng? "
                          "thử --port khác") from None
    signal.signal(signal.SIGTERM, _stop)  # `kill`, systemd: leave through ``finally`` (the spare LibreOffice dies too)
    with contextlib.ExitStack() as stack:
        _keep_office_warm(stack)
        if ready:
            ready()
        try:
            server.run()
        finally:
            server.close()


def _stop(signum, frame):
    raise SystemExit(128 + signum)


def _keep_office_warm(stack):
    """One LibreOffice kept running for the previews; without LibreOffice the app runs, previews say why not."""
    from ..generator.preview import warm_office
    try:
        stack.enter_context(warm_office())
    except VanthuError:
        pass
