"""Canonical URLs: one spelling per article, whatever tracking decorations a link carried."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Query parameters that only say where a click came from; they never select content.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "vero_id", "wickedid", "rb_clickid", "s_cid", "cmpid", "ocid", "ncid",
    "ito", "ref_src", "ref_url", "smid", "soc_src", "soc_trk", "at_medium", "at_campaign",
    "xtor", "ns_mchannel", "ns_campaign", "ns_source", "ns_linkname", "ns_fee", "cid_source",
    "sr_share", "trk", "trkcampaign", "guccounter",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_")
DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_PORT = re.compile(r"^(?P<host>\[[^\]]*\]|[^:]*)(?::(?P<port>\d*))?$")


def url_host(url: str) -> str:
    """The URL's lower-cased host name; "" when it has none or cannot be parsed."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_tracking_param(name: str) -> bool:
    key = unquote_plus(name).strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def _clean_query(query: str) -> str:
    # Work on the raw pieces so the parameters that stay keep their exact encoding and order.
    kept = [piece for piece in re.split(r"[&;]", query)
            if piece and not is_tracking_param(piece.split("=", 1)[0])]
    return "&".join(kept)


def _clean_netloc(scheme: str, netloc: str) -> str:
    userinfo, _, hostport = netloc.rpartition("@")
    match = _HOST_PORT.match(hostport)
    if match is None:
        return netloc.lower()
    host = match["host"].lower().rstrip(".")
    port = match["port"]
    if port and int(port) != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{int(port)}"
    return f"{userinfo}@{host}" if userinfo else host


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters.

    Paths keep their case (servers differ on it); percent-encoding is made safe by w3lib.
    Fragments go entirely: on article pages they address a place in the page (`#comments`)
    or carry feed tracking (`#rssom`), never a different article.
    """
    parts = urlsplit(safe_url_string(url.strip()))
    scheme = parts.scheme.lower()
    netloc = _clean_netloc(scheme, parts.netloc)
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))
