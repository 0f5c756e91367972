"""A request's head, read within limits and refused when two parsers could read it two ways.

http.server reads the header lines itself (http.client.parse_headers, which caps only each
line and their count); HeadReader stands in for the connection's input while it does, so
the whole block is capped before any of it is parsed, and keeps the raw lines for
ambiguity(). A request whose framing a proxy in front might read differently (where its
body ends, so where the next request begins) is refused, and its connection closed:
otherwise a body could be answered as a second request (request smuggling)."""
import collections
import ipaddress
import re

MAX_HEADER_LINES = 100        # http.client's own limit
MAX_HEADER_BYTES = 16 * 1024  # the whole block; a browser's headers are a few KB

TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # a header name (RFC 9110)
CONTROL = re.compile(rb'[\x00-\x08\x0a-\x1f\x7f]')    # any control byte but tab
# Each may appear once: two can be read as two framings, or two targets.
SINGLE = (b'content-length', b'transfer-encoding', b'host')


class HeadTooLarge(Exception):
    """A header block over MAX_HEADER_LINES or MAX_HEADER_BYTES: answered 431."""


class HeadReader:
    """The connection's input while the header block is read: counts its lines and bytes,
    raising HeadTooLarge past either limit, and keeps them."""

    def __init__(self, rfile):
        self.rfile, self.lines, self.size = rfile, [], 0

    def readline(self, limit=-1):
        room = MAX_HEADER_BYTES - self.size + 1  # one byte over: too large
        line = self.rfile.readline(room if limit < 0 else min(limit, room))
        self.size += len(line)
        if self.size > MAX_HEADER_BYTES:
            raise HeadTooLarge('header block over %d bytes' % MAX_HEADER_BYTES)
        if len(self.lines) >= MAX_HEADER_LINES and line not in (b'\r\n', b'\n', b''):
            raise HeadTooLarge('Too many headers: over %d' % MAX_HEADER_LINES)
        self.lines.append(line)
        return line


def ambiguity(lines):
    """Why a header block's raw lines can be read more than one way, or None: a folded
    line, a line without a colon, a name that is not a token (a space before the colon,
    say), a control byte in a value (a NUL, a lone CR), or a framing header twice, even
    with the same value."""
    counts = collections.Counter()
    for line in lines:
        line = line[:-2] if line.endswith(b'\r\n') else line[:-1] if line.endswith(b'\n') else line
        if not line:
            continue  # the blank line that ends the block
        if line[:1] in (b' ', b'\t'):
            return 'a folded header line (obsolete line folding)'
        name, colon, value = line.partition(b':')
        if not colon:
            return 'a header line without a colon'
        shown = name[:40].decode('latin-1')
        if not TOKEN.fullmatch(name):
            return 'header name %r is not a token (no spaces before the colon)' % shown
        if CONTROL.search(value):
            return 'a control character in header %s' % shown
        counts[name.lower()] += 1
    for name in SINGLE:
        if counts[name] > 1:
            return 'more than one %s header' % name.decode().title()
    return None


LOOPBACK_NAMES = ('localhost', '127.0.0.1', '::1')
ALL_INTERFACES = ('', '0.0.0.0', '::')


def host_names(bound, extra=()):
    """(names, any_ip): the Host names requests may carry, and whether any IP address may
    be one too. The names: the address the server is bound to, the loopback names when
    that is a loopback address or every interface (then any IP address is accepted too),
    and `extra`. A name not among them is refused, so a page whose DNS name was re-bound
    to this address (DNS rebinding) cannot use the API."""
    names = {name.lower() for name in extra}
    any_ip = bound in ALL_INTERFACES
    if any_ip or bound in LOOPBACK_NAMES or bound.startswith('127.'):
        names |= set(LOOPBACK_NAMES)
    if not any_ip:
        names.add(bound.lower())
    return names, any_ip


def host_name(host):
    """The name in a Host header's value, without the port: [::1]:8888 → ::1."""
    host = host.strip().lower()
    if host.startswith('['):
        return host[1:].split(']', 1)[0]
    return host.rsplit(':', 1)[0] if host.count(':') == 1 else host


def is_ip_address(name):
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
