#!/usr/bin/env python3
"""Independent Python implementation of docs/proof-format.md (traces/v1), checked against docs/test-vectors/.

Written from the specification and the vectors' README only (no SDK source). Standard library + `cryptography`.
Run: python3 docs/test-vectors/reference/verify_vectors.py   (exit 0 iff every value and verdict matches)
"""
import hashlib
import json
import math
import os
import re
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from cryptography.exceptions import InvalidSignature

HERE = os.path.dirname(os.path.abspath(__file__))
VEC = os.path.dirname(HERE)


def H(b):
    return hashlib.sha256(b).digest()


def dstr(d):
    return "sha256:" + d.hex()


# ---------------------------------------------------------------- strict JSON reader (§2.2 rules 1-6)
MAX_DEPTH = 64
MAX_STRING_UNITS = 1_048_576
MAX_INPUT = 16 * 1024 * 1024


class ParseError(Exception):
    pass


class LimitError(ParseError):
    pass


# Alternative readings of the spec, switched on one at a time by main() to show which one the vectors pin down.
ALT = {"depth_as_limit": False, "dup_in_payload_malformed": False, "empty_trace_literal": False,
       "sign_over_recomputed": False}


class Num:
    """A JSON number kept with its raw token text (needed for §2.2 rule 4)."""
    __slots__ = ("raw",)

    def __init__(self, raw):
        self.raw = raw

    @property
    def is_int_literal(self):
        return not any(c in self.raw for c in ".eE")

    def value(self):
        return float(self.raw)

    def __repr__(self):
        return "Num(%s)" % self.raw


class Obj:
    """A JSON object: ordered members, duplicate names recorded (not rejected) so that the caller decides
    which finding a duplicate produces. `span` = (start, end) char offsets in the source text."""
    __slots__ = ("members", "dups", "span", "vspans")

    def __init__(self):
        self.members = {}
        self.dups = []
        self.span = None
        self.vspans = {}  # member name -> (start, end) char offsets of its (first) value

    def __contains__(self, k):
        return k in self.members

    def get(self, k, default=None):
        return self.members.get(k, default)

    def __getitem__(self, k):
        return self.members[k]

    def keys(self):
        return self.members.keys()


class Arr(list):
    span = None


_NUM_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WS = " \t\n\r"


class Reader:
    """Strict reader. Reading stops (ParseError) at the first fault; what was read completely before it is kept
    (`root`: the bundle's members so far, `events`: its complete entries) so that a verifier can check it (§10.1).
    `events_i` is the index of the entry being read when the fault is inside `events`."""

    def __init__(self, data: bytes, max_depth=MAX_DEPTH, max_input=MAX_INPUT):
        if len(data) > max_input:
            raise ParseError("input too large")
        if data.startswith(b"\xef\xbb\xbf"):
            raise ParseError("byte-order mark")
        # Invalid UTF-8 is found where it is (§2.2 rule 1): undecodable bytes become U+DC80..U+DCFF, which valid
        # UTF-8 never yields, and the reader stops when it meets one.
        self.s = data.decode("utf-8", errors="surrogateescape")
        self.i = 0
        self.max_depth = max_depth
        self.root = None
        self.events = None
        self.events_i = None
        self._events_next = False

    def ws(self):
        s, i = self.s, self.i
        while i < len(s) and s[i] in _WS:
            i += 1
        self.i = i

    def parse(self):
        self.ws()
        v = self.value(1)
        self.ws()
        if self.i != len(self.s):
            raise ParseError("content after the value at %d" % self.i)
        return v

    def limit(self):
        # §10.5: a payload nests max_depth levels; every value read alone (an entry, a member value of the bundle)
        # may nest max_depth + 1 levels counting itself. Document depth: bundle 1, its member values 2, entries 3.
        return self.max_depth + (3 if self.events_i is not None else 2)

    def value(self, depth):
        if depth > self.limit():
            if ALT["depth_as_limit"]:
                raise LimitError("nesting deeper than %d" % self.max_depth)
            raise ParseError("nesting deeper than %d" % self.max_depth)
        s = self.s
        if self.i >= len(s):
            raise ParseError("unexpected end of input")
        c = s[self.i]
        if c == "{":
            return self.obj(depth)
        if c == "[":
            return self.arr(depth)
        if c == '"':
            return self.string()
        for lit, val in (("true", True), ("false", False), ("null", None)):
            if s.startswith(lit, self.i):
                self.i += len(lit)
                return val
        m = _NUM_RE.match(s, self.i)
        if m and m.end() > self.i:
            self.i = m.end()
            return Num(m.group(0))
        raise ParseError("unexpected %r at %d" % (c, self.i))

    def obj(self, depth):
        o = Obj()
        if depth == 1:
            self.root = o
        start = self.i
        self.i += 1
        self.ws()
        if self.s.startswith("}", self.i):
            self.i += 1
            o.span = (start, self.i)
            return o
        while True:
            self.ws()
            if not self.s.startswith('"', self.i):
                raise ParseError("member name expected at %d" % self.i)
            k = self.string()
            if depth == 1 and k in o.members:
                # A member of the bundle itself written twice: reading stops there (§9).
                raise ParseError("the bundle's member %r appears twice" % k)
            self.ws()
            if not self.s.startswith(":", self.i):
                raise ParseError("':' expected at %d" % self.i)
            self.i += 1
            self.ws()
            vstart = self.i
            self._events_next = depth == 1 and k == "events"
            v = self.value(depth + 1)
            self._events_next = False
            if k in o.members:
                o.dups.append(k)  # §9: malformed, and the last value is the one checked
            o.members[k] = v
            o.vspans[k] = (vstart, self.i)
            self.ws()
            if self.s.startswith(",", self.i):
                self.i += 1
                continue
            if self.s.startswith("}", self.i):
                self.i += 1
                o.span = (start, self.i)
                return o
            raise ParseError("',' or '}' expected at %d" % self.i)

    def arr(self, depth):
        a = Arr()
        is_events = self._events_next and depth == 2
        self._events_next = False
        if is_events:
            self.events = a
            self.events_i = 0
        start = self.i
        self.i += 1
        self.ws()
        if self.s.startswith("]", self.i):
            self.i += 1
            a.span = (start, self.i)
            if is_events:
                self.events_i = None
            return a
        while True:
            self.ws()
            a.append(self.value(depth + 1))
            if is_events:
                self.events_i = len(a)
            self.ws()
            if self.s.startswith(",", self.i):
                self.i += 1
                continue
            if self.s.startswith("]", self.i):
                self.i += 1
                a.span = (start, self.i)
                if is_events:
                    self.events_i = None
                return a
            raise ParseError("',' or ']' expected at %d" % self.i)

    _ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

    def string(self):
        """Returns a Python str; escaped surrogate pairs are combined, an escaped lone surrogate is kept as a
        lone surrogate code point (rejected later by JCS, §2.2 rule 3)."""
        s = self.s
        i = self.i + 1
        out = []
        units = 0
        while True:
            if i >= len(s):
                raise ParseError("unterminated string")
            c = s[i]
            if c == '"':
                i += 1
                break
            if c == "\\":
                if i + 1 >= len(s):
                    raise ParseError("unterminated escape")
                e = s[i + 1]
                if e in self._ESC:
                    out.append(self._ESC[e])
                    i += 2
                    units += 1
                elif e == "u":
                    h = s[i + 2:i + 6]
                    if not re.fullmatch(r"[0-9a-fA-F]{4}", h):
                        raise ParseError("bad \\u escape")
                    cp = int(h, 16)
                    i += 6
                    if 0xD800 <= cp <= 0xDBFF and s.startswith("\\u", i) and \
                            re.fullmatch(r"[dD][c-fC-F][0-9a-fA-F]{2}", s[i + 2:i + 6]):
                        lo = int(s[i + 2:i + 6], 16)
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                        i += 6
                        units += 1
                    out.append(chr(cp))
                    units += 1
                else:
                    raise ParseError("bad escape")
            elif ord(c) < 0x20:
                raise ParseError("control character in string")
            elif 0xDC80 <= ord(c) <= 0xDCFF:
                raise ParseError("invalid UTF-8 in a string")
            else:
                out.append(c)
                units += 2 if ord(c) > 0xFFFF else 1
                i += 1
            if units > MAX_STRING_UNITS:
                raise ParseError("string too long")
        self.i = i
        return "".join(out)


def read_json(data: bytes):
    return Reader(data).parse()


def to_plain(v):
    """Reader value -> plain Python (for convenience only; duplicates already recorded)."""
    if isinstance(v, Obj):
        return {k: to_plain(x) for k, x in v.members.items()}
    if isinstance(v, list):
        return [to_plain(x) for x in v]
    if isinstance(v, Num):
        return v.value()
    return v


# ---------------------------------------------------------------- RFC 8785 JCS (§2.2)
class NotIJson(Exception):
    pass


def es_number(x: float) -> str:
    """ECMAScript Number::toString(x) for finite binary64 x (RFC 8785 §3.2.2.3)."""
    if x != x or x in (float("inf"), float("-inf")):
        raise NotIJson("non-finite number")
    if x == 0:
        return "0"
    if x < 0:
        return "-" + es_number(-x)
    r = repr(x)  # shortest round-trip digits
    mant, _, exp = r.partition("e")
    e = int(exp) if exp else 0
    ip, _, fp = mant.partition(".")
    if fp == "0":
        fp = ""
    digits = (ip + fp).lstrip("0")
    lead_zeros = len(ip + fp) - len((ip + fp).lstrip("0"))
    # value = 0.(ip+fp) * 10^(len(ip)+e)  ->  digits with n = position of decimal point
    n = len(ip) + e - lead_zeros
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    ex = n - 1
    sign = "+" if ex >= 0 else "-"
    m = digits[0] + ("." + digits[1:] if k > 1 else "")
    return m + "e" + sign + str(abs(ex))


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def jcs_string(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if 0xD800 <= o <= 0xDFFF:
            raise NotIJson("lone surrogate")
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif o < 0x20:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


MAX_SAFE = 2 ** 53 - 1


def jcs_text(v) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, Num):
        f = float(v.raw)
        if math.isinf(f):
            raise NotIJson("number not finite as binary64: " + v.raw)
        if v.is_int_literal and abs(int(v.raw)) > MAX_SAFE:
            raise NotIJson("integer literal beyond 2^53-1: " + v.raw)
        return es_number(f)
    if isinstance(v, bool):
        raise AssertionError
    if isinstance(v, int):  # values built in Python (statements, seal payloads)
        if abs(v) > MAX_SAFE:
            raise NotIJson("unsafe integer")
        return str(v)
    if isinstance(v, float):
        return es_number(v)
    if isinstance(v, str):
        return jcs_string(v)
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(jcs_text(x) for x in v) + "]"
    if isinstance(v, Obj):
        if v.dups:
            raise NotIJson("duplicate member %r" % v.dups[0])
        items = v.members
    elif isinstance(v, dict):
        items = v
    else:
        raise TypeError(type(v))
    for k in items:
        jcs_string(k)  # lone-surrogate check on names
    keys = sorted(items, key=lambda k: k.encode("utf-16-be"))  # UTF-16 code-unit order (§3.2.3)
    return "{" + ",".join(jcs_string(k) + ":" + jcs_text(items[k]) for k in keys) + "}"


def jcs(v) -> bytes:
    return jcs_text(v).encode("utf-8")


def jcs_of_text(text: str) -> bytes:
    return jcs(read_json(text.encode("utf-8")))


# ---------------------------------------------------------------- formats (§2.1, §3, §8.1)
RE_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
RE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
RE_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")
RE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
RE_EDPK = re.compile(r"ed25519_pk:[0-9a-f]{64}")
RE_EDSIG = re.compile(r"ed25519:[0-9a-f]{128}")
RE_RSASIG = re.compile(r"rsa-pss-sha256:(?:[0-9a-f]{2})+")
V = "traces/v1"
LABEL_EVENT = b"traces/v1/event"
LABEL_CERT = b"traces/v1/certificate"


def signed_message(label, d):
    return label + b"\x00" + d


def raw(digest_string):
    return bytes.fromhex(digest_string[7:])


def is_time(v):
    """§3.2: the one form, and a real UTC instant (calendar date, hour < 24, minute and second < 60)."""
    if not is_str(v, RE_TIME):
        return False
    import datetime
    try:
        datetime.datetime.strptime(v[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return int(v[0:4]) >= 1 and int(v[17:19]) < 60


def is_text(v):
    """A string with a UTF-8 form: no lone surrogate (§2.2 rule 3 applies outside payloads too, §10.1 step 1)."""
    return isinstance(v, str) and not any(0xD800 <= ord(ch) <= 0xDFFF for ch in v)


def is_str(v, rx):
    return isinstance(v, str) and rx.fullmatch(v) is not None


def is_int(v):
    """§9: an integer literal within ±(2^53 − 1), never written -0."""
    return isinstance(v, Num) and v.is_int_literal and v.raw != "-0" and abs(int(v.raw)) <= MAX_SAFE


def content_preimage(event_id, event_type, ingested_at, payload_hash):
    return jcs({"v": V, "event_id": event_id, "event_type": event_type, "ingested_at": ingested_at,
                "payload_hash": payload_hash})


def mth(leaves):
    """RFC 9162 §2.1.1 over raw content digests."""
    n = len(leaves)
    if n == 1:
        return H(b"\x00" + leaves[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return H(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def audit_path(m, leaves):
    """RFC 9162 §2.1.3.1 PATH(m, D_n), nearest the leaf first."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return audit_path(m, leaves[:k]) + [mth(leaves[k:])]
    return audit_path(m - k, leaves[k:]) + [mth(leaves[:k])]


def verify_inclusion(leaf_index, tree_size, leaf_hash, path, root):
    """RFC 9162 §2.1.3.2."""
    if leaf_index >= tree_size:
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = H(b"\x01" + p + r)
            if not fn & 1:
                while True:
                    fn >>= 1
                    sn >>= 1
                    if fn & 1 or fn == 0:
                        break
        else:
            r = H(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# ---------------------------------------------------------------- keys and trust (§8, §10.2)
def ed_pk_from_string(s):
    return bytes.fromhex(s[len("ed25519_pk:"):])


def ed_key_id(pk_raw):
    return dstr(H(pk_raw))


def spki_der(pub):
    return pub.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def rsa_key_id(pub):
    return dstr(H(spki_der(pub)))


# Edwards25519 arithmetic, only to refuse small-order points as libsodium's verify does (§8.3).
_P = 2 ** 255 - 19
_D = (-121665 * pow(121666, _P - 2, _P)) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _decode_point(b):
    """(x, y) of a point encoding, or None when it is not a canonical encoding of a curve point (RFC 8032 §5.1.3)."""
    y = int.from_bytes(b, "little") & ((1 << 255) - 1)
    sign = b[31] >> 7
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = _P - x
    return x, y


def _add(a, b):
    t = _D * a[0] * b[0] * a[1] * b[1] % _P
    return ((a[0] * b[1] + b[0] * a[1]) * pow(1 + t, _P - 2, _P) % _P,
            (a[1] * b[1] + a[0] * b[0]) * pow(1 - t, _P - 2, _P) % _P)


def _small_order(pt):
    q = pt
    for _ in range(3):
        q = _add(q, q)
    return q == (0, 1)


def ed_verify(pk_raw, sig, msg):
    # §8.3 "as libsodium does": a non-canonical or small-order public key, or a small-order R, never verifies.
    a = _decode_point(pk_raw)
    r = _decode_point(sig[:32])
    if a is None or _small_order(a) or (r is not None and _small_order(r)):
        return False
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(pk_raw).verify(sig, msg)
        return True
    except (InvalidSignature, ValueError):
        return False


def rsa_verify(pub, sig, msg):
    try:
        pub.verify(sig, msg, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
        return True
    except (InvalidSignature, ValueError):
        return False


class Trust:
    def __init__(self, keyset, ids=()):
        self.ed = {}
        self.rsa = {}
        self.ids = set(ids)  # key ids pinned without their keys (§10.2 step 4)
        for k in keyset["keys"]:
            if k["algorithm"] == "ed25519":
                pk = ed_pk_from_string(k["public_key"])
                assert ed_key_id(pk) == k["key_id"], "published Ed25519 key_id does not hash"
                self.ed[k["key_id"]] = pk
            elif k["algorithm"] == "rsa-pss-sha256":
                pub = serialization.load_pem_public_key(k["public_key"].encode())
                assert rsa_key_id(pub) == k["key_id"], "published RSA key_id does not hash"
                self.rsa[k["key_id"]] = pub


# ---------------------------------------------------------------- verifier (§10)
ERRORS = {"malformed", "limit_exceeded", "unsupported_version", "unsupported_algorithm", "payload_hash_mismatch",
          "content_hash_mismatch", "index_mismatch", "chain_broken", "root_mismatch", "composite_mismatch",
          "event_count_mismatch", "signature_invalid", "key_id_mismatch", "seal_mismatch", "certificate_invalid",
          "certificate_mismatch", "weak_key", "proof_invalid"}

# §9.5: `timestamp` (entries and the seal event) and `verification` (the bundle) are informative members: optional,
# form checked, values never used.
EVENT_MEMBERS = {"index", "event_id", "event_type", "payload", "payload_hash", "content_hash",
                 "previous_chain_hash", "chain_hash", "ingested_at", "key_id", "public_key", "signature", "timestamp"}
EVENT_REQUIRED = EVENT_MEMBERS - {"payload", "public_key", "timestamp"}
SEAL_MEMBERS = EVENT_MEMBERS - {"index", "previous_chain_hash", "chain_hash"}
SEAL_REQUIRED = SEAL_MEMBERS - {"public_key", "timestamp"}
CERT_MEMBERS = {"v", "trace_id", "event_count", "composite_hash", "integrity_root_hash", "seal_event_id",
                "sealed_at", "key_id", "algorithm", "public_key", "signature"}
BUNDLE_MEMBERS = {"version", "trace_id", "label", "tenant_domain", "status", "created_at", "sealed_at",
                  "composite_hash", "integrity_root_hash", "event_count", "events", "seal_event", "certificate",
                  "verification"}
BUNDLE_REQUIRED = BUNDLE_MEMBERS - {"label", "tenant_domain", "created_at", "verification"}
VERIFICATION_FLAGS = {"composite_hash_valid", "all_signatures_valid"}


class Report:
    def __init__(self):
        self.findings = []  # (code, entry index or None, where)

    def add(self, code, entry=None, where=""):
        self.findings.append((code, entry, where))

    @property
    def codes(self):
        return sorted({c for c, _, _ in self.findings})

    def verdict(self):
        cs = {c for c, _, _ in getattr(self, "all", self.findings)}
        if any(c in ERRORS for c in cs):
            return "Invalid"
        if "untrusted_key" in cs:
            return "Untrusted"
        return "Valid"

    def truncate(self, max_findings):
        """§10.3: list the first max_findings in report order (entry index, document-level last; errors, trust, info;
        then code), count the rest: findings_truncated. The verdict and first invalid entry are over all findings."""
        if max_findings is None or len(self.findings) <= max_findings:
            return
        rank = lambda c: 0 if c in ERRORS else 1 if c == "untrusted_key" else 2
        self.all = list(self.findings)
        listed = sorted(self.findings, key=lambda f: (f[1] if f[1] is not None else float("inf"), rank(f[0]), f[0], f[2]))
        self.findings = listed[:max_findings] + [("findings_truncated", None, "")]

    def first_invalid_entry(self):
        idx = [e for c, e, _ in getattr(self, "all", self.findings) if c in ERRORS and e is not None]
        return min(idx) if idx else None

    def primary(self):
        for c, _, _ in self.findings:
            if c in ERRORS:
                return c
        return self.findings[0][0] if self.findings else None


class Options:
    def __init__(self, max_entries=None, max_entry_bytes=None, max_depth=None, max_bundle_bytes=None):
        self.max_entries = max_entries
        self.max_entry_bytes = max_entry_bytes
        self.max_depth = max_depth
        self.max_bundle_bytes = max_bundle_bytes


class Stop(Exception):
    pass


def check_members(obj, allowed, required, rep, entry, where):
    ok = True
    if obj.dups:
        rep.add("malformed", entry, where + " duplicate member " + obj.dups[0])
        ok = False
    for k in obj.keys():
        if k not in allowed:
            rep.add("malformed", entry, where + " unknown member " + k)
            ok = False
    for k in required:
        if k not in obj:
            rep.add("malformed", entry, where + " missing member " + k)
            ok = False
    return ok


def check_entry(e, i, rep, trust, where, seal=False, defer_signature=False):
    """§10.1 step 2 for one entry (or step 4 for the seal event). Returns the recomputed content digest c_i
    (None if a field it is computed from is missing or out of form) and the stated content digest (None if out of
    form). A member out of form is malformed and is not used; the rest of the entry is still checked (§9)."""
    allowed, required = (SEAL_MEMBERS, SEAL_REQUIRED) if seal else (EVENT_MEMBERS, EVENT_REQUIRED)
    if not isinstance(e, Obj):
        rep.add("malformed", i, where)
        return None, None
    check_members(e, allowed, required, rep, i, where)
    hashable = True
    for k, rx in (("event_id", RE_ID), ("event_type", RE_TYPE), ("payload_hash", RE_DIGEST)):
        if k not in e:
            hashable = False
        elif not is_str(e[k], rx):
            rep.add("malformed", i, where + "/" + k)
            hashable = False
    if "ingested_at" not in e:
        hashable = False
    elif not is_time(e["ingested_at"]):
        rep.add("malformed", i, where + "/ingested_at")
        hashable = False
    for k, rx in [("content_hash", RE_DIGEST), ("key_id", RE_DIGEST), ("signature", RE_EDSIG)] + \
            ([] if seal else [("chain_hash", RE_DIGEST)]):
        if k in e and not is_str(e[k], rx):
            rep.add("malformed", i, where + "/" + k)
    if "public_key" in e and not is_str(e["public_key"], RE_EDPK):
        rep.add("malformed", i, where + "/public_key")  # §10.2 step 1: ignored from here on
    if "timestamp" in e and not is_time(e["timestamp"]):
        rep.add("malformed", i, where + "/timestamp")  # §9.5: informative, its form only; never compared
    if not seal:
        if "index" in e and not is_int(e["index"]):
            rep.add("malformed", i, where + "/index")
        pch = e.get("previous_chain_hash")
        if "previous_chain_hash" in e and pch is not None and not is_str(pch, RE_DIGEST):
            rep.add("malformed", i, where + "/previous_chain_hash")
    # payload hash (§4.1): only an absent payload is withheld; null is a value (§9.1)
    if "payload" in e and ALT["dup_in_payload_malformed"] and _has_dups(e["payload"]):
        rep.add("malformed", i, where + "/payload (duplicate member: §10.1 step 1 applies rule 2 to the document)")
    if "payload" in e:
        try:
            h = H(jcs(e["payload"]))
            if hashable and h != raw(e["payload_hash"]):
                rep.add("payload_hash_mismatch", i, where + "/payload")
        except NotIJson as ex:
            rep.add("payload_hash_mismatch", i, where + "/payload (not I-JSON: %s)" % ex)
    elif not seal:
        rep.add("payload_withheld", None, where)
    # content hash (§4.2) from the stated payload_hash
    c = H(content_preimage(e["event_id"], e["event_type"], e["ingested_at"], e["payload_hash"])) if hashable else None
    stated_c = raw(e["content_hash"]) if is_str(e.get("content_hash"), RE_DIGEST) else None
    if c is not None and stated_c is not None and c != stated_c:
        rep.add("content_hash_mismatch", i, where + "/content_hash")
    # signature: over the *stated* content_hash (README finding F3), or c_i when it is out of form (§10.1 step 2.5)
    if not defer_signature:
        check_ed_signature(e, stated_c if stated_c is not None else c, i, rep, trust, where,
                           c if ALT['sign_over_recomputed'] else None)
    return c, stated_c


def _has_dups(v):
    if isinstance(v, Obj):
        return bool(v.dups) or any(_has_dups(x) for x in v.members.values())
    if isinstance(v, list):
        return any(_has_dups(x) for x in v)
    return False


def trusted_key(pinned, trust, kid, carried, rep, i, where):
    """§10.2 steps 3-4, for either algorithm: the key a signature is checked with. A pinned key by its id; else the
    carried key when its id (which it hashes to, checked before) is pinned; else untrusted_key, and the carried key
    (if any) is still used, so that a bad signature is reported too."""
    if kid in pinned:
        return pinned[kid]
    if kid in trust.ids and carried is not None:
        return carried
    rep.add("untrusted_key", i, where + "/key_id")
    return carried


def check_ed_signature(e, digest, i, rep, trust, where, signed=None):
    digest = signed if signed is not None else digest
    if not is_str(e.get("key_id"), RE_DIGEST) or not is_str(e.get("signature"), RE_EDSIG) or digest is None:
        return
    kid = e["key_id"]
    # §10.2 step 1: a carried key out of form is ignored (reported by check_entry)
    carried = ed_pk_from_string(e["public_key"]) if is_str(e.get("public_key"), RE_EDPK) else None
    sig = bytes.fromhex(e["signature"][len("ed25519:"):])
    msg = signed_message(LABEL_EVENT, digest)
    # §10.2: a carried key that does not hash to key_id is key_id_mismatch, and nothing more is checked for it.
    if carried is not None and ed_key_id(carried) != kid:
        rep.add("key_id_mismatch", i, where + "/public_key")
        return
    pk = trusted_key(trust.ed, trust, kid, carried, rep, i, where)
    if pk is not None and not ed_verify(pk, sig, msg):
        rep.add("signature_invalid", i, where + "/signature")


CERT_REQUIRED = CERT_MEMBERS - {"public_key"}  # §7.2: public_key is optional


def check_certificate(cert, rep, trust, where="/certificate", expect=None):
    """§10.1 step 5. expect = dict of statement values the trace implies (None: certificate alone). A member out of
    form is malformed and not compared; the signature is checked only over a statement wholly in form."""
    if not isinstance(cert, Obj):
        rep.add("malformed", None, where)
        return None
    check_members(cert, CERT_MEMBERS, CERT_REQUIRED, rep, None, where)
    if cert.get("v") != V:
        rep.add("unsupported_version", None, where + "/v")
    forms = {"trace_id": lambda v: is_str(v, RE_ID), "event_count": is_int,
             "composite_hash": lambda v: is_str(v, RE_DIGEST), "integrity_root_hash": lambda v: is_str(v, RE_DIGEST),
             "seal_event_id": lambda v: is_str(v, RE_ID), "sealed_at": is_time, "key_id": lambda v: is_str(v, RE_DIGEST)}
    ok = "v" in cert and isinstance(cert["v"], str)
    for k, f in forms.items():
        if not f(cert.get(k)):
            rep.add("malformed", None, where + "/" + k)
            ok = False
        elif expect is not None and k in expect:
            got = int(cert[k].raw) if k == "event_count" else cert[k]
            if expect[k] is not None and got != expect[k]:
                rep.add("certificate_mismatch", None, where + "/" + k)
    # the signature (§8.4): only rsa-pss-sha256; any other algorithm is checked with no scheme at all
    if cert.get("algorithm") != "rsa-pss-sha256":
        rep.add("unsupported_algorithm", None, where + "/algorithm")
        return None
    if not is_str(cert.get("signature"), RE_RSASIG):
        rep.add("malformed", None, where + "/signature")
        return None
    if not ok:
        return None
    carried = None
    if "public_key" in cert:
        try:
            pem = cert["public_key"]
            # §8.1: SubjectPublicKeyInfo PEM; a PKCS#1 "RSA PUBLIC KEY" block (same key or not) is not that form.
            if not isinstance(pem, str):
                raise ValueError
            label = re.search(r"-----BEGIN ([A-Z0-9 ]+)-----", pem)
            if label is None or label.group(1) != "PUBLIC KEY":
                raise ValueError
            carried = serialization.load_pem_public_key(pem.encode())
            if not isinstance(carried, rsa.RSAPublicKey):
                raise ValueError
        except ValueError:
            rep.add("malformed", None, where + "/public_key")
            carried = None
    statement = {k: (int(cert[k].raw) if k == "event_count" else cert[k])
                 for k in ("v", "trace_id", "event_count", "composite_hash", "integrity_root_hash",
                           "seal_event_id", "sealed_at", "key_id")}
    sj = jcs(statement)
    digest = H(sj)
    kid = cert["key_id"]
    # §10.2 step 1: a carried RSA key under 2048 bits is weak_key and ignored from then on.
    if carried is not None and carried.key_size < 2048:
        rep.add("weak_key", None, where + "/public_key")
        carried = None
    # §10.2 step 2: a carried key that does not hash to key_id is key_id_mismatch; the signature is not checked.
    if carried is not None and rsa_key_id(carried) != kid:
        rep.add("key_id_mismatch", None, where + "/key_id")
        return {"statement_jcs": sj, "statement_digest": digest}
    pub = trusted_key(trust.rsa, trust, kid, carried, rep, None, where)
    sig = bytes.fromhex(cert["signature"][len("rsa-pss-sha256:"):])
    if pub is not None and not rsa_verify(pub, sig, signed_message(LABEL_CERT, digest)):
        rep.add("certificate_invalid", None, where + "/signature")
    return {"statement_jcs": sj, "statement_digest": digest}


MAX_BUNDLE = 8 * 1024 ** 3  # §10.5: the bundle limit (the 16 MiB of §2.2 rule 6 is for a text canonicalized alone)


def verify_bundle(data: bytes, trust, opts=None):
    opts = opts or Options()
    rep = Report()
    out = {"entries": []}
    if opts.max_bundle_bytes is not None and len(data) > opts.max_bundle_bytes:
        # §10.5: every byte counts, a trailing newline included. (The vectors that test this are valid up to the limit,
        # so the findings before the stop are none.)
        rep.add("limit_exceeded", None, "(bundle bytes)")
        return rep, out
    reader = Reader(data, max_depth=opts.max_depth or MAX_DEPTH, max_input=MAX_BUNDLE)
    stop = None
    try:
        doc = reader.parse()
    except ParseError as ex:
        # §10.1: reading stops; what was read completely before the fault is checked, inside events the finding names
        # the entry being read, and the document-level checks (steps 1's document checks, 3-5) are skipped.
        code = "limit_exceeded" if isinstance(ex, LimitError) else "malformed"
        stop = (code, reader.events_i, "parse: %s" % ex)
        doc = reader.root
        if doc is None:
            rep.add(code, None, stop[2])
            return rep, out
    if not isinstance(doc, Obj):
        rep.add("malformed", None, "root is not an object")
        return rep, out
    text = reader.s
    stopped = stop is not None
    events = reader.events if stopped else doc.get("events")

    # step 1, as each member is read: unknown members, JSON types, the informative members (unsigned, never compared)
    for k in doc.keys():
        if k not in BUNDLE_MEMBERS:
            rep.add("malformed", None, "/" + k)
    for k in ("version", "trace_id", "status", "sealed_at", "composite_hash", "integrity_root_hash"):
        if k in doc and not is_text(doc[k]):
            rep.add("malformed", None, "/" + k + " (not a string)")
    for k in ("label", "tenant_domain"):
        if k in doc and not is_text(doc[k]):
            rep.add("malformed", None, "/" + k)
    if "created_at" in doc and not is_time(doc["created_at"]):
        rep.add("malformed", None, "/created_at")
    if "verification" in doc:
        # §9.5: exactly the two flags, each true or false; the values are never read
        v = doc["verification"]
        if not isinstance(v, Obj) or v.dups or set(v.keys()) != VERIFICATION_FLAGS or \
                any(not isinstance(v[k], bool) for k in v.keys()):
            rep.add("malformed", None, "/verification")
    if "event_count" in doc and isinstance(doc["event_count"], (str, bool, type(None), Obj, list)):
        rep.add("malformed", None, "/event_count (not a number)")
    seal = doc.get("seal_event")
    if isinstance(seal, Obj) and seal.dups:
        rep.add("malformed", None, "/seal_event duplicate member")
    cert = doc.get("certificate")
    if isinstance(cert, Obj) and cert.dups:
        rep.add("malformed", None, "/certificate duplicate member")

    if not stopped:
        for k in BUNDLE_REQUIRED - {"events"}:
            if k not in doc:
                rep.add("malformed", None, "missing member " + k)
        if "version" in doc and doc["version"] != V:
            rep.add("unsupported_version", None, "/version")
        if "status" in doc and doc["status"] != "sealed":
            rep.add("malformed", None, "/status")
        for k, rx in (("trace_id", RE_ID), ("composite_hash", RE_DIGEST), ("integrity_root_hash", RE_DIGEST)):
            if k in doc and not is_str(doc[k], rx):
                rep.add("malformed", None, "/" + k)
        if "sealed_at" in doc and not is_time(doc["sealed_at"]):
            rep.add("malformed", None, "/sealed_at")
        if "event_count" in doc and not is_int(doc["event_count"]):
            rep.add("malformed", None, "/event_count")
        if events is None:
            # §9.1: no events member is malformed, and the bundle has n = 0 entries (every check still runs)
            rep.add("malformed", None, "/events (missing)")
            events = []
        elif not isinstance(events, list):
            rep.add("malformed", None, "/events")
            events = []
    events = events or []

    # §10.5: every member value of the bundle, not only an entry, is within the value limit; reading stops at the
    # first that is not (what came before it in the document was read; document-level checks are skipped).
    value_over_limit_after_events = False
    if opts.max_entry_bytes is not None and not stopped:
        events_start = doc.vspans["events"][0] if "events" in doc.vspans else len(text)
        over = sorted((doc.vspans[k][0], k) for k in doc.keys() if k != "events" and
                      len(text[doc.vspans[k][0]:doc.vspans[k][1]].encode("utf-8", "surrogateescape")) > opts.max_entry_bytes)
        if over and over[0][0] < events_start:
            rep.add("limit_exceeded", None, "/%s (max_entry_bytes)" % over[0][1])
            return rep, out
        value_over_limit_after_events = bool(over)
    # step 2: entries
    cs = []
    running = bytes(32)
    prev_stated_chain = None  # the previous entry's chain_hash when in form, else None (not compared)
    for i, e in enumerate(events):
        if opts.max_entries is not None and i >= opts.max_entries:
            rep.add("limit_exceeded", i, "/events/%d (max_entries)" % i)
            return rep, out  # reading stops: later and document-level checks are skipped
        if opts.max_entry_bytes is not None and isinstance(e, (Obj, Arr)) and \
                len(text[e.span[0]:e.span[1]].encode("utf-8", "surrogateescape")) > opts.max_entry_bytes:
            rep.add("limit_exceeded", i, "/events/%d (max_entry_bytes)" % i)
            return rep, out
        where = "/events/%d" % i
        c, stated_c = check_entry(e, i, rep, trust, where, defer_signature=True)
        if isinstance(e, Obj):
            pch = e.get("previous_chain_hash", "absent")
            if i == 0:
                if pch is not None:
                    rep.add("chain_broken", i, where + "/previous_chain_hash")
            elif prev_stated_chain is not None and pch != prev_stated_chain:
                rep.add("chain_broken", i, where + "/previous_chain_hash")
            ch = e.get("chain_hash")
            if stated_c is not None and is_str(ch, RE_DIGEST):
                if i == 0 or is_str(pch, RE_DIGEST):
                    link_prev = raw(pch) if is_str(pch, RE_DIGEST) else bytes(32)
                    if H(link_prev + stated_c) != raw(ch):
                        rep.add("chain_broken", i, where + "/chain_hash")
            prev_stated_chain = ch if is_str(ch, RE_DIGEST) else None
            # README F8: report order within an entry = payload, content, chain, index, signature
            if "index" in e and is_int(e["index"]) and int(e["index"].raw) != i:
                rep.add("index_mismatch", i, where + "/index")
            check_ed_signature(e, stated_c if stated_c is not None else c, i, rep, trust, where,
                               c if ALT['sign_over_recomputed'] else None)
        else:
            prev_stated_chain = None
        if c is None:
            cs = None
        if cs is not None:
            cs.append(c)
            running = H(running + c)
            out["entries"].append({"payload_hash": e["payload_hash"] if "payload" not in e else
                                   dstr(H(jcs(e["payload"]))) if _safe_jcs(e["payload"]) else None,
                                   "content_hash": dstr(c), "chain_hash": dstr(running), "c": c})
    if stopped:
        rep.add(stop[0], stop[1], stop[2])
        return rep, out
    n = len(events)
    if value_over_limit_after_events:
        rep.add("limit_exceeded", None, "(a member after events exceeds max_entry_bytes)")
        return rep, out
    # step 3
    root = composite = None
    if n == 0:
        if "events" in doc:
            rep.add("malformed", None, "/events (empty trace)")
        if ALT["empty_trace_literal"]:  # MTH({}) = H(""), chain_{-1} = prev_0
            root, composite = dstr(bytes(32)), dstr(H(b""))
            if doc.get("integrity_root_hash") != root:
                rep.add("root_mismatch", None, "/integrity_root_hash")
            if doc.get("composite_hash") != composite:
                rep.add("composite_mismatch", None, "/composite_hash")
    elif cs is not None:
        root = dstr(running)
        composite = dstr(mth(cs))
        out["integrity_root_hash"] = root
        out["composite_hash"] = composite
        out["leaves"] = cs
        # §9: a claim out of form is malformed (above) and not compared
        if is_str(doc.get("integrity_root_hash"), RE_DIGEST) and doc["integrity_root_hash"] != root:
            rep.add("root_mismatch", None, "/integrity_root_hash")
        if is_str(doc.get("composite_hash"), RE_DIGEST) and doc["composite_hash"] != composite:
            rep.add("composite_mismatch", None, "/composite_hash")
    if is_int(doc.get("event_count")) and int(doc["event_count"].raw) != n:
        rep.add("event_count_mismatch", None, "/event_count")
    # step 4: seal event
    if seal is None:
        rep.add("malformed", None, "/seal_event (missing)")
    else:
        sc, _ = check_entry(seal, None, rep, trust, "/seal_event", seal=True)
        out["seal_content_hash"] = dstr(sc) if sc else None
        if isinstance(seal, Obj):
            if seal.get("event_type") != "trace.sealed":
                rep.add("seal_mismatch", None, "/seal_event/event_type")
            p = seal.get("payload", "absent")
            want = {"trace_id": doc.get("trace_id"), "event_count": n,
                    "composite_hash": composite if composite is not None else doc.get("composite_hash"),
                    "integrity_root_hash": root if root is not None else doc.get("integrity_root_hash")}
            four = {"trace_id", "event_count", "composite_hash", "integrity_root_hash"}
            if not isinstance(p, Obj):
                rep.add("malformed", None, "/seal_event/payload (required, an object)")
            elif not isinstance(p.get("event_count"), Num) or not p["event_count"].is_int_literal or \
                    any(not isinstance(p.get(k), str) for k in four - {"event_count"} if k in p):
                # a member of the wrong type (event_count 6.0 or 6e0 is not an integer): malformed, nothing compared
                rep.add("malformed", None, "/seal_event/payload (a member of the wrong type)")
            else:
                for k in p.keys():
                    if k not in four:
                        rep.add("malformed", None, "/seal_event/payload/" + k)
                for k, v in want.items():
                    pv = p.get(k)
                    if k == "event_count":
                        pv = int(pv.raw)
                    if pv != v:
                        rep.add("seal_mismatch", None, "/seal_event/payload/" + k)
            if seal.get("ingested_at") != doc.get("sealed_at"):
                rep.add("seal_mismatch", None, "/seal_event/ingested_at")
    # step 5: certificate
    if cert is None:
        rep.add("malformed", None, "/certificate (missing)")
    else:
        expect = {"trace_id": doc.get("trace_id"), "event_count": n, "composite_hash": composite,
                  "integrity_root_hash": root}
        if isinstance(seal, Obj):
            expect.update(seal_event_id=seal.get("event_id"), sealed_at=seal.get("ingested_at"))
        out["certificate"] = check_certificate(cert, rep, trust, expect=expect)
    out["doc"] = doc
    return rep, out


def _safe_jcs(v):
    try:
        jcs(v)
        return True
    except NotIJson:
        return False


# ---------------------------------------------------------------- deterministic RSASSA-PSS (vectors' README)
def mgf1(seed, length):
    out = b""
    c = 0
    while len(out) < length:
        out += H(seed + c.to_bytes(4, "big"))
        c += 1
    return out[:length]


def pss_sign_deterministic(priv, message):
    nums = priv.private_numbers()
    n, d = nums.public_numbers.n, nums.d
    mod_bits = n.bit_length()
    em_bits = mod_bits - 1
    em_len = (em_bits + 7) // 8
    m_hash = H(message)
    salt = H(b"traces/v1 test salt" + m_hash)[:32]
    h = H(b"\x00" * 8 + m_hash + salt)
    db = b"\x00" * (em_len - 32 - 32 - 2) + b"\x01" + salt
    masked = bytes(a ^ b for a, b in zip(db, mgf1(h, em_len - 32 - 1)))
    masked = bytes([masked[0] & (0xFF >> (8 * em_len - em_bits))]) + masked[1:]
    em = masked + h + b"\xbc"
    s = pow(int.from_bytes(em, "big"), d, n)
    return s.to_bytes((mod_bits + 7) // 8, "big")


# ---------------------------------------------------------------- the harness
class Tally:
    def __init__(self):
        self.checked = 0
        self.matched = 0
        self.failures = []

    def eq(self, what, got, want):
        self.checked += 1
        if got == want:
            self.matched += 1
        else:
            self.failures.append("%s: got %r, expected %r" % (what, got, want))


def load(name):
    with open(os.path.join(VEC, name), "rb") as f:
        return f.read()


def jload(name):
    return json.loads(load(name))


def jcs_self_tests(t):
    cases = [
        ('{ "b": 2, "a": [1.50, "x"] }', '{"a":[1.5,"x"],"b":2}'),
        ('{"\u20ac":1,"\\r":2,"1":3}', '{"\\r":2,"1":3,"\u20ac":1}'),
        ('[-0, 1.50, 1E21, 1e-7, 0.000001, 1e20, 9007199254740991, 1e-6, 123e-20, 0.1, 5e-324, 1.7976931348623157e308]',
         '[0,1.5,1e+21,1e-7,0.000001,100000000000000000000,9007199254740991,0.000001,1.23e-18,0.1,5e-324,'
         '1.7976931348623157e+308]'),
        ('["\\u0000\\u001f\\u007f\\u2028\\/", "\\ud83d\\ude00"]', '["\\u0000\\u001f\u007f\u2028/","\U0001F600"]'),
    ]
    for inp, want in cases:
        t.eq("§2.2 JCS example %s" % inp, jcs_of_text(inp).decode("utf-8"), want)
    # ES Number::toString samples in the style of RFC 8785 Appendix B (IEEE 754 bits -> text). The RFC 8785 test files themselves
    # (tests/vectors/jcs/) are checked by the C# tests.
    import struct
    for bits, want in (("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
                       ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
                       ("ffefffffffffffff", "-1.7976931348623157e+308"), ("4340000000000000", "9007199254740992"),
                       ("c340000000000000", "-9007199254740992"), ("4430000000000000", "295147905179352830000"),
                       ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
                       ("44b52d02c7e14af7", "1.0000000000000001e+23"), ("444b1ae4d6e2ef4e", "999999999999999700000"),
                       ("444b1ae4d6e2ef4f", "999999999999999900000"), ("444b1ae4d6e2ef50", "1e+21"),
                       ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
                       ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
                       ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
                       ("41b3de4355555557", "333333333.33333343"), ("becbf647612f3696", "-0.0000033333333333333333"),
                       ("43143ff3c1cb0959", "1424953923781206.2")):
        t.eq("ES Number::toString %s" % bits, es_number(struct.unpack(">d", bytes.fromhex(bits))[0]), want)
    for inp in ('{"a":1,"a":2}', '{"a":1,"\\u0061":2}', '["\\ud800"]', '["\\udc00"]', '[9007199254740993]',
                '[9007199254740992]', '[-9007199254740992]', '[1e400]'):
        try:
            doc = read_json(inp.encode())
            jcs(doc)
            got = "accepted"
        except (ParseError, NotIJson):
            got = "rejected"
        t.eq("§2.2 rejection %s" % inp, got, "rejected")
    for inp in ('[1,]', '{"a":1,}', '[NaN]', '[+1]', '[01]', '[1] x', '\ufeff[1]', '[1] // c', '[Infinity]'):
        try:
            read_json(inp.encode())
            got = "accepted"
        except ParseError:
            got = "rejected"
        t.eq("§2.2 rule 1 %r" % inp, got, "rejected")


def worked_example(t, sk):
    """§11."""
    pk = sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    t.eq("§11 public key", pk.hex(), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    t.eq("§11 key_id", ed_key_id(pk), "sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9")
    e0 = jcs_of_text('{"invoice_number": "INV-2026-001", "amount": 5000}')
    t.eq("§11 e0 JCS", e0, b'{"amount":5000,"invoice_number":"INV-2026-001"}')
    ph0 = dstr(H(e0))
    t.eq("§11 e0 payload_hash", ph0, "sha256:29491ff70d65d28d330d63f34384b05814c402bf769e8f28c0703e0553b2900b")
    pre0 = content_preimage("evt_000000", "invoice.received", "2026-03-17T12:00:00.000000Z", ph0)
    t.eq("§11 e0 preimage", pre0.decode(), '{"event_id":"evt_000000","event_type":"invoice.received","ingested_at":'
         '"2026-03-17T12:00:00.000000Z","payload_hash":"sha256:29491ff70d65d28d330d63f34384b05814c402bf769e8f28c0703e'
         '0553b2900b","v":"traces/v1"}')
    c0 = H(pre0)
    t.eq("§11 e0 content_hash", dstr(c0), "sha256:a87bf7694de704361edd42382f59a3ac7caac1013fabce8fc0934180d259b351")
    ch0 = H(bytes(32) + c0)
    t.eq("§11 e0 chain_hash", dstr(ch0), "sha256:e4ced43cab9b8962aa8f5bc39005378643e7770dea892128d7a14847facf7a85")
    m0 = signed_message(LABEL_EVENT, c0)
    t.eq("§11 e0 signed message", m0.hex(), "7472616365732f76312f6576656e7400"
         "a87bf7694de704361edd42382f59a3ac7caac1013fabce8fc0934180d259b351")
    t.eq("§11 e0 signature", "ed25519:" + sk.sign(m0).hex(),
         "ed25519:bc6fc8eef1a76f78e6b8bdaa0416b037f8b651b8de51bd7f0606fc237cce705cf6a3fa4955fc7bf1ac97d6caa17967a59f0db5"
         "5dfdf1d52701218238f07f5104")
    t.eq("§11 H(contract)", H(b"contract").hex(), "cc8321d6375c494d043fdd0260f21bc0ec51dacc9f6abb7f909cdcd3041b78bf")
    e1 = jcs_of_text('{"document_ref": "contract.pdf", "document_hash": '
                     '"sha256:cc8321d6375c494d043fdd0260f21bc0ec51dacc9f6abb7f909cdcd3041b78bf"}')
    t.eq("§11 e1 JCS", e1.decode(), '{"document_hash":"sha256:cc8321d6375c494d043fdd0260f21bc0ec51dacc9f6abb7f909cdcd30'
         '41b78bf","document_ref":"contract.pdf"}')
    ph1 = dstr(H(e1))
    t.eq("§11 e1 payload_hash", ph1, "sha256:b3a04fb60ae29db08349637d018498ec104d005a3c11967d08991dbeeb6370a8")
    c1 = H(content_preimage("evt_000001", "document.anchored", "2026-03-17T12:00:01.000001Z", ph1))
    t.eq("§11 e1 content_hash", dstr(c1), "sha256:076efed4cbbde0dc1f8477bf7a280a3c04acc24ddb23a34f23b64c1aeca28eed")
    ch1 = H(ch0 + c1)
    t.eq("§11 e1 chain_hash", dstr(ch1), "sha256:333f88bfb19980912323cfeaa3471f5f4a408d412df3d644b16a4c025175249c")
    t.eq("§11 e1 signature", "ed25519:" + sk.sign(signed_message(LABEL_EVENT, c1)).hex(),
         "ed25519:f832cdaa70614665e48ccfe06efd4c6199442120bbf2e61f14c1d2774e0e55c99766a57f4a95dd04d2192a3ce9fdac535bc59"
         "33d87928f68b0779b66a3d7700c")
    l0, l1 = H(b"\x00" + c0), H(b"\x00" + c1)
    t.eq("§11 leaf 0", l0.hex(), "e449916196424172286de97f7693e24bbfc23a0cc422d35457c1472757ea5fd1")
    t.eq("§11 leaf 1", l1.hex(), "d0f62986c76e46750db9d5edf791d1c7d8228c0ef5d66e33aa780b5bf7eec7a0")
    comp = dstr(mth([c0, c1]))
    t.eq("§11 composite", comp, "sha256:49128a1dd6da0d6cd3665e308940477a4eaab232f2dd2e9ef694b10051f2ec2b")
    t.eq("§11 composite formula", dstr(H(b"\x01" + l0 + l1)), comp)
    seal = jcs({"trace_id": "tr_example0001", "event_count": 2, "composite_hash": comp,
                "integrity_root_hash": dstr(ch1)})
    t.eq("§11 seal payload", seal.decode(), '{"composite_hash":"sha256:49128a1dd6da0d6cd3665e308940477a4eaab232f2dd2e9e'
         'f694b10051f2ec2b","event_count":2,"integrity_root_hash":"sha256:333f88bfb19980912323cfeaa3471f5f4a408d412df3'
         'd644b16a4c025175249c","trace_id":"tr_example0001"}')


def check_valid_bundle(t, fe, trust, sk, rsa_priv):
    name = fe["file"]
    data = load(fe["file"])
    rep, out = verify_bundle(data, trust)
    t.eq(name + " verdict", rep.verdict(), fe["verdict"])
    t.eq(name + " codes", rep.codes, sorted(fe["codes"]))
    doc = out["doc"]
    t.eq(name + " composite_hash", out["composite_hash"], fe["composite_hash"])
    t.eq(name + " integrity_root_hash", out["integrity_root_hash"], fe["integrity_root_hash"])
    t.eq(name + " event_count", len(doc["events"]), fe["event_count"])
    for i, (mine, want) in enumerate(zip(out["entries"], fe["entries"])):
        e = doc["events"][i]
        if "payload" in e:
            t.eq("%s e%d payload_hash (recomputed)" % (name, i), mine["payload_hash"], want["payload_hash"])
        else:
            t.eq("%s e%d payload_hash (withheld, stated)" % (name, i), e["payload_hash"], want["payload_hash"])
        t.eq("%s e%d content_hash" % (name, i), mine["content_hash"], want["content_hash"])
        t.eq("%s e%d chain_hash" % (name, i), mine["chain_hash"], want["chain_hash"])
        t.eq("%s e%d event_id" % (name, i), e["event_id"], want["event_id"])
        sig = "ed25519:" + sk.sign(signed_message(LABEL_EVENT, mine["c"])).hex()
        t.eq("%s e%d signature reproduced" % (name, i), sig, e["signature"])
    t.eq(name + " entry count in manifest", len(out["entries"]), len(fe["entries"]))
    e0 = doc["events"][0]
    e0m = fe["entry_0"]
    t.eq(name + " entry_0.payload_jcs", jcs(e0["payload"]).decode("utf-8"), e0m["payload_jcs"])
    pre = content_preimage(e0["event_id"], e0["event_type"], e0["ingested_at"], fe["entries"][0]["payload_hash"])
    t.eq(name + " entry_0.content_preimage_jcs", pre.decode(), e0m["content_preimage_jcs"])
    t.eq(name + " entry_0.signed_message_hex", signed_message(LABEL_EVENT, H(pre)).hex(), e0m["signed_message_hex"])
    t.eq(name + " entry_0.signature", e0["signature"], e0m["signature"])
    # seal event: every hash recomputed, signature reproduced
    se = doc["seal_event"]
    sp = jcs(se["payload"])
    t.eq(name + " seal payload_hash", dstr(H(sp)), se["payload_hash"])
    t.eq(name + " seal payload JCS", sp, jcs({"trace_id": fe["trace_id"], "event_count": fe["event_count"],
                                            "composite_hash": fe["composite_hash"],
                                            "integrity_root_hash": fe["integrity_root_hash"]}))
    sc = H(content_preimage(se["event_id"], "trace.sealed", se["ingested_at"], dstr(H(sp))))
    t.eq(name + " seal content_hash", dstr(sc), se["content_hash"])
    t.eq(name + " seal signature reproduced", "ed25519:" + sk.sign(signed_message(LABEL_EVENT, sc)).hex(),
         se["signature"])
    t.eq(name + " seal signature verifies (pinned key)", ed_verify(trust.ed[se["key_id"]],
         bytes.fromhex(se["signature"][8:]), signed_message(LABEL_EVENT, sc)), True)
    # certificate
    cm = fe["certificate"]
    cert = out["certificate"]
    t.eq(name + " certificate.statement_jcs", cert["statement_jcs"].decode(), cm["statement_jcs"])
    t.eq(name + " certificate.statement_digest", dstr(cert["statement_digest"]), cm["statement_digest"])
    smsg = signed_message(LABEL_CERT, cert["statement_digest"])
    t.eq(name + " certificate.signed_message_hex", smsg.hex(), cm["signed_message_hex"])
    c = doc["certificate"]
    sig = bytes.fromhex(c["signature"][len("rsa-pss-sha256:"):])
    t.eq(name + " certificate RSASSA-PSS verifies (pinned key)", rsa_verify(trust.rsa[c["key_id"]], sig, smsg), True)
    t.eq(name + " certificate signature reproduced (deterministic salt)",
         pss_sign_deterministic(rsa_priv, smsg).hex(), sig.hex())
    # every Ed25519 signature verified under the pinned key (not the carried one)
    for i, e in enumerate(doc["events"]):
        t.eq("%s e%d signature verifies (pinned key)" % (name, i),
             ed_verify(trust.ed[e["key_id"]], bytes.fromhex(e["signature"][8:]),
                       signed_message(LABEL_EVENT, raw(e["content_hash"]))), True)
    return out


def check_detached(t, trust, small_out, sk):
    # certificate.json alone
    rep = Report()
    cdoc = read_json(load("certificate.json"))
    res = check_certificate(cdoc, rep, trust, where="")
    t.eq("certificate.json verdict", rep.verdict(), "Valid")
    t.eq("certificate.json codes", rep.codes, [])
    t.eq("certificate.json = bundle-small certificate", to_plain(cdoc), to_plain(small_out["doc"]["certificate"]))
    # entries.json with certificate.json: recompute count, root, composite
    ents = read_json(load("entries.json"))
    rep = Report()
    cs, running, prev = [], bytes(32), None
    for i, e in enumerate(ents):
        c, stated = check_entry(e, i, rep, trust, "/%d" % i)
        if int(e["index"].raw) != i:
            rep.add("index_mismatch", i)
        if e["previous_chain_hash"] != prev or H((raw(prev) if prev else bytes(32)) + stated) != raw(e["chain_hash"]):
            rep.add("chain_broken", i)
        prev = e["chain_hash"]
        cs.append(c)
        running = H(running + c)
    check_certificate(cdoc, rep, trust, where="", expect={
        "trace_id": cdoc["trace_id"], "event_count": len(ents), "composite_hash": dstr(mth(cs)),
        "integrity_root_hash": dstr(running)})
    t.eq("entries.json + certificate.json verdict", rep.verdict(), "Valid")
    t.eq("entries.json + certificate.json codes", rep.codes, [])
    # inclusion proof
    proof = read_json(load("inclusion-proof-2.json"))
    entry = read_json(load("entry-2.json"))
    rep = Report()
    check_members(proof, {"v", "trace_id", "leaf_index", "tree_size", "composite_hash", "path"},
                  {"v", "trace_id", "leaf_index", "tree_size", "composite_hash", "path"}, rep, None, "")
    li, ts = int(proof["leaf_index"].raw), int(proof["tree_size"].raw)
    c, stated = check_entry(entry, li, rep, trust, "/entry")
    if int(entry["index"].raw) != li:
        rep.add("index_mismatch", li)
    path = [raw(p) for p in proof["path"]]
    ok = verify_inclusion(li, ts, H(b"\x00" + c), path, raw(proof["composite_hash"]))
    t.eq("inclusion-proof-2 RFC 9162 §2.1.3.2 verifies", ok, True)
    if not ok:
        rep.add("proof_invalid")
    t.eq("inclusion-proof-2 path = PATH(2, D_5) recomputed", [p.hex() for p in path],
         [p.hex() for p in audit_path(li, small_out["leaves"])])
    t.eq("entry-2.json content_hash", dstr(c), small_out["entries"][2]["content_hash"])
    t.eq("entry-2.json chain_hash link", dstr(H(raw(entry["previous_chain_hash"]) + c)), entry["chain_hash"])
    if proof["v"] != V:
        rep.add("unsupported_version")
    for k, v in (("trace_id", proof["trace_id"]), ("composite_hash", proof["composite_hash"])):
        if cdoc[k] != v:
            rep.add("certificate_mismatch")
    if int(cdoc["event_count"].raw) != ts:
        rep.add("certificate_mismatch")
    check_certificate(cdoc, rep, trust, where="/certificate")
    t.eq("inclusion-proof-2 verdict", rep.verdict(), "Valid")
    t.eq("inclusion-proof-2 codes", rep.codes, [])
    # a wrong path must fail
    bad = list(path)
    bad[0] = H(b"x")
    t.eq("inclusion proof with altered path rejected",
         verify_inclusion(li, ts, H(b"\x00" + c), bad, raw(proof["composite_hash"])), False)




def run_matrix(manifest, trust):
    for fe in manifest["files"]:
        if not fe["file"].startswith(("tampered/", "conformance/")):
            continue
        o = fe.get("options") or {}
        policy = trust
        if "trust_key_ids" in fe:
            policy = Trust({"keys": []}, ids=fe["trust_key_ids"])
        rep, _ = verify_bundle(load(fe["file"]), policy, Options(o.get("max_entries"), o.get("max_entry_bytes"),
                                                                 o.get("max_depth"), o.get("max_bundle_bytes")))
        rep.truncate(o.get("max_findings"))
        yield fe, rep


def main():
    t = Tally()
    manifest = jload("manifest.json")
    keyset = jload(manifest["trust"])
    trust = Trust(keyset)
    seed = bytes.fromhex(load("keys/ed25519-test-seed.hex").decode().strip())
    sk = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    with open(os.path.join(VEC, "keys/rsa-4096-test-private.pem"), "rb") as f:
        rsa_priv = serialization.load_pem_private_key(f.read(), password=None)
    with open(os.path.join(VEC, "keys/rsa-4096-test-public.pem"), "rb") as f:
        rsa_pub_file = serialization.load_pem_public_key(f.read())
    pk = sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    t.eq("manifest ed25519_key_id", ed_key_id(pk), manifest["ed25519_key_id"])
    t.eq("manifest rsa_key_id", rsa_key_id(rsa_priv.public_key()), manifest["rsa_key_id"])
    t.eq("rsa public pem = private key's", rsa_key_id(rsa_pub_file), manifest["rsa_key_id"])
    t.eq("public-keys.json pins the Ed25519 test key", trust.ed.get(manifest["ed25519_key_id"]), pk)
    t.eq("public-keys.json pins the RSA test key", manifest["rsa_key_id"] in trust.rsa, True)
    t.eq("RSA test key is 4096 bits", rsa_priv.key_size, 4096)

    jcs_self_tests(t)
    worked_example(t, sk)

    outs = {}
    for fe in manifest["files"]:
        if fe["kind"] == "bundle" and "entries" in fe:
            outs[fe["file"]] = check_valid_bundle(t, fe, trust, sk, rsa_priv)
    check_detached(t, trust, outs["bundle-small.json"], sk)

    # tampered matrix
    agree_verdict = differ_verdict = 0
    code_agree, code_differ, extra = 0, [], []
    for fe, rep in run_matrix(manifest, trust):
        v = rep.verdict()
        t.eq(fe["file"] + " verdict", v, fe["verdict"])
        t.eq(fe["file"] + " codes", rep.codes, sorted(fe["codes"]))
        t.eq(fe["file"] + " first_invalid_entry", rep.first_invalid_entry(), fe.get("first_invalid_entry"))
        if v == fe["verdict"]:
            agree_verdict += 1
        else:
            differ_verdict += 1
        if rep.codes == sorted(fe["codes"]):
            code_agree += 1
        else:
            code_differ.append((fe["file"], rep.codes, sorted(fe["codes"])))
        for label, got, want in (("first_invalid_entry", rep.first_invalid_entry(), fe.get("first_invalid_entry")),
                                 ("primary_code", rep.primary(), fe.get("primary_code"))):
            if got != want and not (label == "primary_code" and "primary_code" not in fe):
                extra.append((fe["file"], label, got, want))

    print("traces/v1 independent Python verifier — docs/proof-format.md vs docs/test-vectors/")
    print("values checked: %d, matched: %d" % (t.checked, t.matched))
    print("tampered verdicts: %d agree, %d differ" % (agree_verdict, differ_verdict))
    print("tampered code sets (spec-literal derivation): %d agree, %d differ" % (code_agree, len(code_differ)))
    for f, got, want in code_differ:
        print("  CODES %s: spec gives %s, manifest %s" % (f, got, want))
    print("tampered first_invalid_entry and primary_code (not defined by the spec; README F8): %d of %d agree"
          % (2 * (agree_verdict + differ_verdict) - len(extra), 2 * (agree_verdict + differ_verdict)))
    for f, label, got, want in extra:
        print("  %s %s: derived %r, manifest %r" % (label.upper(), f, got, want))
    print("alternative readings (each switched on alone; files whose verdict/codes then disagree with the manifest):")
    base = {f for f, _, _ in code_differ}
    for alt in ALT:
        ALT[alt] = True
        diffs = [fe["file"] for fe, rep in run_matrix(manifest, trust)
                 if (rep.verdict() != fe["verdict"] or rep.codes != sorted(fe["codes"])) and fe["file"] not in base]
        ALT[alt] = False
        print("  %-26s %d: %s" % (alt, len(diffs), ", ".join(d.split("/", 1)[1] for d in diffs)))
    for x in t.failures:
        print("  FAIL " + x)
    ok = t.checked == t.matched
    print("RESULT: %s" % ("all values match" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
