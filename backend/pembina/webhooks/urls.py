"""Where a webhook may be sent: never to this network's private, loopback or link-local
addresses (server-side request forgery) unless `PEMBINA_WEBHOOK_ALLOW_PRIVATE_URLS` allows it.

A URL is checked when a subscription is saved and again at every attempt: the host name is
resolved, every address it resolves to must be public, and the attempt connects to the address
that was checked (the URL's host is kept for `Host` and TLS), so a name that resolves to a public
address at the check and to 127.0.0.1 a moment later (DNS rebinding) reaches nothing private.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

import httpx

from pembina.config import get_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeUrl(ValueError):
    """The URL cannot be used: (english, indonesian)."""

    def __init__(self, en: str, id_: str) -> None:
        super().__init__(en)
        self.en, self.id = en, id_


@dataclass(frozen=True)
class Target:
    """A checked URL and the address an attempt connects to."""

    url: httpx.URL
    address: str


def _forbidden(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def _private_allowed(ip: IPAddress) -> bool:
    """With the setting on, private, loopback and link-local addresses are allowed (never the unspecified or multicast ones)."""
    return not (ip.is_unspecified or ip.is_multicast)


def parse(raw: str) -> httpx.URL:
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, ValueError):
        raise UnsafeUrl("Not a URL.", "Bukan URL.") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise UnsafeUrl(
            "The URL must start with https:// or http:// and name a host.", "URL harus diawali https:// atau http:// dan menyebut host."
        )
    if url.userinfo:
        raise UnsafeUrl("The URL must not carry a user name or password.", "URL tidak boleh memuat nama pengguna atau kata sandi.")
    return url


def resolve(url: httpx.URL) -> Target:
    """The URL checked, with the address to connect to; UnsafeUrl when it cannot be used now."""
    allow = get_settings().webhook_allow_private_urls
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(url.host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError, ValueError):
        raise UnsafeUrl(f"The host {url.host} cannot be resolved.", f"Host {url.host} tidak dapat di-resolve.") from None
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if (not allow and _forbidden(ip)) or (allow and not _private_allowed(ip)):
            raise UnsafeUrl(
                f"The host {url.host} resolves to {ip}, a private, loopback or link-local address: webhooks are sent only to public addresses.",
                f"Host {url.host} mengarah ke {ip}, alamat privat, loopback atau link-local: webhook hanya dikirim ke alamat publik.",
            )
        addresses.append(str(ip))
    if not addresses:
        raise UnsafeUrl(f"The host {url.host} cannot be resolved.", f"Host {url.host} tidak dapat di-resolve.")
    return Target(url, addresses[0])


def check(raw: str) -> httpx.URL:
    """`raw` as a URL a subscription may name now (UnsafeUrl otherwise)."""
    url = parse(raw)
    resolve(url)
    return url


def pinned(target: Target) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The URL to request (its host replaced by the checked address), the Host header, and the
    request extensions that keep TLS checking the original name."""
    url = target.url
    host = f"[{target.address}]" if ":" in target.address else target.address
    headers = {"Host": url.netloc.decode("ascii")}
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    return url.copy_with(host=host.strip("[]")), headers, extensions
