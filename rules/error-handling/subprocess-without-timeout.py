import logging
import subprocess
from subprocess import check_output

logger = logging.getLogger(__name__)


def render_pdf(html_path: str, pdf_path: str) -> None:
    # ruleid: subprocess-without-timeout
    subprocess.run(["wkhtmltopdf", html_path, pdf_path], check=True)


def git_revision() -> str:
    # ruleid: subprocess-without-timeout
    return check_output(["git", "rev-parse", "HEAD"], text=True).strip()


def thumbnail(src: str, dest: str) -> bool:
    try:
        # ok: subprocess-without-timeout
        subprocess.run(["convert", src, "-resize", "256x256", dest], check=True, timeout=30)
    except subprocess.TimeoutExpired:
        logger.warning("thumbnail timed out for %s", src)
        return False
    return True


def disk_usage(path: str) -> str:
    # ok: subprocess-without-timeout
    return subprocess.check_output(["du", "-sh", path], text=True, timeout=10).split()[0]


def run_tool(args: list[str], **options) -> subprocess.CompletedProcess:
    options.setdefault("timeout", 60)
    # ok: subprocess-without-timeout
    return subprocess.run(args, check=True, capture_output=True, **options)


def start_worker() -> subprocess.Popen:
    # ok: subprocess-without-timeout
    return subprocess.Popen(["celery", "-A", "orders", "worker"])
