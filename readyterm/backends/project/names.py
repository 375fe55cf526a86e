"""Which distribution provides a Python import name, and which come along with another.

A small table of the well-known mismatches, then PEP 503 normalisation, then the metadata of
whatever is installed next to readyterm.
"""

from __future__ import annotations

import functools
from importlib import metadata

from readyterm.backends.project.common import normalize
from readyterm.backends.project.manifests import requirement_name

#: Import name -> the distributions that provide it (the first is the one to suggest).
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "yaml": ("PyYAML",),
    "PIL": ("Pillow",),
    "cv2": (
        "opencv-python",
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    ),
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "bs4": ("beautifulsoup4",),
    "jwt": ("PyJWT",),
    "dateutil": ("python-dateutil",),
    "dotenv": ("python-dotenv",),
    "decouple": ("python-decouple",),
    "psycopg2": ("psycopg2-binary", "psycopg2"),
    "psycopg": ("psycopg", "psycopg-binary"),
    "attr": ("attrs",),
    "magic": ("python-magic",),
    "Crypto": ("pycryptodome", "pycrypto"),
    "Cryptodome": ("pycryptodomex",),
    "OpenSSL": ("pyOpenSSL",),
    "jose": ("python-jose",),
    "multipart": ("python-multipart",),
    "socketio": ("python-socketio",),
    "engineio": ("python-engineio",),
    "telegram": ("python-telegram-bot",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "slugify": ("python-slugify",),
    "serial": ("pyserial",),
    "usb": ("pyusb",),
    "git": ("GitPython",),
    "github": ("PyGithub",),
    "gitlab": ("python-gitlab",),
    "MySQLdb": ("mysqlclient",),
    "mysql": ("mysql-connector-python",),
    "memcache": ("python-memcached",),
    "ldap": ("python-ldap",),
    "fitz": ("PyMuPDF",),
    "zmq": ("pyzmq",),
    "dns": ("dnspython",),
    "nacl": ("PyNaCl",),
    "kafka": ("kafka-python",),
    "grpc": ("grpcio",),
    "googleapiclient": ("google-api-python-client",),
    "google.protobuf": ("protobuf",),
    "google.oauth2": ("google-auth",),
    "pkg_resources": ("setuptools",),
    "_pytest": ("pytest",),
    "rest_framework": ("djangorestframework",),
    "django_filters": ("django-filter",),
    "corsheaders": ("django-cors-headers",),
    "debug_toolbar": ("django-debug-toolbar",),
    "environ": ("django-environ",),
    "storages": ("django-storages",),
    "crispy_forms": ("django-crispy-forms",),
    "bson": ("pymongo",),
    "gridfs": ("pymongo",),
    "argon2": ("argon2-cffi",),
    "snappy": ("python-snappy",),
    "mpl_toolkits": ("matplotlib",),
    "pylab": ("matplotlib",),
    "Bio": ("biopython",),
    "wx": ("wxPython",),
    "gi": ("PyGObject",),
    "cairo": ("pycairo",),
    "OpenGL": ("PyOpenGL",),
    "faiss": ("faiss-cpu", "faiss-gpu"),
    "speech_recognition": ("SpeechRecognition",),
    "win32api": ("pywin32",),
    "win32con": ("pywin32",),
    "pythoncom": ("pywin32",),
    "pywintypes": ("pywin32",),
    "Levenshtein": ("Levenshtein", "python-Levenshtein"),
    "consul": ("python-consul",),
    "whois": ("python-whois",),
    "Xlib": ("python-xlib",),
    "ddtrace": ("ddtrace",),
    "elasticapm": ("elastic-apm",),
    "pythonjsonlogger": ("python-json-logger",),
    "websocket": ("websocket-client",),
    "nats": ("nats-py",),
    "factory": ("factory-boy",),
    "hamcrest": ("PyHamcrest",),
    "discord": ("discord.py",),
    "telebot": ("pyTelegramBotAPI",),
    "slack": ("slackclient",),
    "jenkins": ("python-jenkins",),
    "vertexai": ("google-cloud-aiplatform",),
    "aws_cdk": ("aws-cdk-lib",),
    "tortoise": ("tortoise-orm",),
    "cassandra": ("cassandra-driver",),
    "snowflake.connector": ("snowflake-connector-python",),
    "snowflake.snowpark": ("snowflake-snowpark-python",),
    "databricks.sql": ("databricks-sql-connector",),
    "airflow": ("apache-airflow",),
    "grpc_tools": ("grpcio-tools",),
    "grpc_status": ("grpcio-status",),
    "newspaper": ("newspaper3k",),
    "umap": ("umap-learn",),
    "osgeo": ("GDAL",),
    "barcode": ("python-barcode",),
    "pdfminer": ("pdfminer.six",),
    "community": ("python-louvain",),
    "weaviate": ("weaviate-client",),
    "pinecone": ("pinecone", "pinecone-client"),
    "rapidjson": ("python-rapidjson",),
    "smb": ("pysmb",),
    "winrm": ("pywinrm",),
    "suds": ("suds-community", "suds-py3", "suds"),
    "fpdf": ("fpdf2", "fpdf"),
    "google.cloud.exceptions": ("google-cloud-core",),
    "opentelemetry": ("opentelemetry-api",),
    "opentelemetry.trace": ("opentelemetry-api",),
}

#: A declared distribution -> import names that come with it (its own dependencies), so
#: importing them works wherever it is installed.
COMES_WITH: dict[str, frozenset[str]] = {
    normalize(dist): frozenset(names.split())
    for dist, names in {
        "flask": "werkzeug jinja2 click itsdangerous markupsafe blinker",
        "fastapi": "starlette pydantic pydantic_core typing_extensions anyio annotated_types",
        "requests": "urllib3 idna certifi charset_normalizer",
        "httpx": "httpcore anyio certifi idna sniffio h11",
        "django": "asgiref sqlparse",
        "djangorestframework": "django asgiref",
        "celery": "kombu billiard vine click",
        "boto3": "botocore s3transfer jmespath",
        "pydantic": "pydantic_core typing_extensions annotated_types",
        "uvicorn": "click h11",
        "aiohttp": "yarl multidict aiosignal frozenlist attr",
        "pandas": "numpy dateutil pytz",
        "scikit-learn": "numpy scipy joblib threadpoolctl",
        "matplotlib": "numpy PIL dateutil pyparsing cycler kiwisolver",
        "sqlalchemy": "greenlet typing_extensions",
        "flask-sqlalchemy": "flask sqlalchemy",
        "jsonschema": "attr referencing",
        "pytest": "pluggy iniconfig packaging _pytest",
        "sentry-sdk": "urllib3 certifi",
        "opentelemetry-sdk": "opentelemetry",
        "google-api-python-client": "googleapiclient",
        "typer": "click",
        "black": "click",
        "alembic": "sqlalchemy mako",
        "gunicorn": "packaging",
    }.items()
}
#: What every google-* client library brings along.
_GOOGLE_CORE = frozenset(
    [
        "google.auth",
        "google.api_core",
        "google.protobuf",
        "google.oauth2",
        "google.rpc",
        "google.type",
    ]
)
#: Namespace packages whose distributions are named after the dotted path
#: (google.cloud.storage -> google-cloud-storage, azure.identity -> azure-identity).
_NAMESPACES = frozenset(
    {"google", "azure", "zope", "ruamel", "backports", "jaraco", "sphinxcontrib", "opentelemetry"}
)


def candidates(module: str) -> list[str]:
    """The distributions that may provide module (dotted), best suggestion first."""
    parts = module.split(".")
    found: list[str] = []
    for length in range(len(parts), 0, -1):
        prefix = ".".join(parts[:length])
        found += DISTRIBUTIONS.get(prefix, ())
        if length > 1 and parts[0] in _NAMESPACES:
            found.append("-".join(parts[:length]))
    if parts[0] not in _NAMESPACES:  # `google` maps to dozens of installed distributions
        found += _installed().get(parts[0], [])
    found.append(parts[0])
    return list(dict.fromkeys(found))


def comes_with(declared: set[str]) -> set[str]:
    """Import names (or dotted prefixes) that the declared distributions bring along."""
    names: set[str] = set()
    for dist in declared:
        names |= COMES_WITH.get(dist, frozenset())
        names |= _requires(dist)
        if dist.startswith("google-"):
            names |= _GOOGLE_CORE
    return names


@functools.lru_cache(maxsize=1)
def _installed() -> dict[str, list[str]]:
    """Import name -> distributions, for what is installed in readyterm's environment."""
    try:
        return {k: list(v) for k, v in metadata.packages_distributions().items()}
    except Exception:  # broken metadata of some unrelated package must not stop the check
        return {}


@functools.lru_cache(maxsize=512)
def _requires(dist: str) -> frozenset[str]:
    """The import names of an installed distribution's own requirements (one level)."""
    try:
        requirements = metadata.requires(dist) or []
    except Exception:  # not installed here, or unreadable metadata
        return frozenset()
    wanted = {n for r in requirements if "extra ==" not in r and (n := requirement_name(r))}
    reverse = _installed()
    return frozenset(
        name
        for name, dists in reverse.items()
        if any(normalize(d) in wanted for d in dists) or normalize(name) in wanted
    )
