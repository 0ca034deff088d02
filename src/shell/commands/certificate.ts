/**
 * The certificate a lab server presents in a (simulated) TLS handshake: an X.509 v3
 * certificate for the host, issued by the lab's own CA, encoded in DER and shown as PEM.
 * Its fields are real and parse with any X.509 tool; the key and signature are derived
 * from the host name (stable across runs), not from real cryptography — the simulated TLS
 * encrypts nothing, and nothing here pretends otherwise.
 */
import { strftime } from '../strftime';
import { base64Encode } from '../../engine/base64';
import { utf8 } from '../../engine/bytes';

export const LAB_CA = 'SMTP Lab CA';

export interface Certificate {
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  der: Uint8Array;
}

/** openssl's date form: "Jan  1 00:00:00 2026 GMT". */
export function opensslDate(d: Date): string {
  return strftime('%b %e %H:%M:%S %Y GMT', d.getTime());
}

/** PEM: base64 in 64-column lines between BEGIN and END lines (RFC 7468). */
export function pem(der: Uint8Array): string {
  const b64 = base64Encode(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return ['-----BEGIN CERTIFICATE-----', ...lines, '-----END CERTIFICATE-----'].join('\n') + '\n';
}

/**
 * The certificate of `host`, valid from midnight three days before `now` (ms since the
 * Unix epoch) for 90 days, as an ACME CA issues them.
 */
export function hostCertificate(host: string, now: number): Certificate {
  const day = 86_400_000;
  const notBefore = new Date(Math.floor(now / day) * day - 3 * day);
  const notAfter = new Date(notBefore.getTime() + 90 * day);
  const bytes = stream(host);
  const tbs = seq(
    ctx(0, integer([2])),
    integer([0x01, ...bytes(15)]),
    ECDSA_SHA256,
    name(LAB_CA),
    seq(utcTime(notBefore), utcTime(notAfter)),
    name(host),
    seq(seq(oid(EC_PUBLIC_KEY), oid(PRIME256V1)), bitString(publicKey(bytes(32)))),
    ctx(
      3,
      seq(
        // basicConstraints CA:FALSE, keyUsage digitalSignature (critical), serverAuth, SAN.
        seq(oid([2, 5, 29, 19]), octets(seq())),
        seq(oid([2, 5, 29, 15]), tlv(0x01, [0xff]), octets(bitString([0x80], 7))),
        seq(oid([2, 5, 29, 37]), octets(seq(oid([1, 3, 6, 1, 5, 5, 7, 3, 1])))),
        seq(oid([2, 5, 29, 17]), octets(seq(tlv(0x82, [...utf8(host)])))),
      ),
    ),
  );
  const signature = seq(integer([0x01, ...bytes(31)]), integer([0x02, ...bytes(31)]));
  const der = Uint8Array.from(seq(tbs, ECDSA_SHA256, bitString(signature)));
  return { subject: host, issuer: LAB_CA, notBefore, notAfter, der };
}

// --- DER (X.690) ------------------------------------------------------------------------

const EC_PUBLIC_KEY = [1, 2, 840, 10045, 2, 1];
const PRIME256V1 = [1, 2, 840, 10045, 3, 1, 7];
const ECDSA_SHA256 = seq(oid([1, 2, 840, 10045, 4, 3, 2]));

function tlv(tag: number, content: readonly number[]): number[] {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, (n >> 8) & 0xff, n & 0xff];
  return [tag, ...length, ...content];
}

function seq(...parts: number[][]): number[] {
  return tlv(0x30, parts.flat());
}

function ctx(n: number, content: number[]): number[] {
  return tlv(0xa0 + n, content);
}

function integer(bytes: readonly number[]): number[] {
  // Positive: no leading bit set (the first byte given is small).
  return tlv(0x02, bytes);
}

function octets(content: number[]): number[] {
  return tlv(0x04, content);
}

function bitString(content: readonly number[], unused = 0): number[] {
  return tlv(0x03, [unused, ...content]);
}

function oid(arcs: readonly number[]): number[] {
  const out = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const base128: number[] = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) base128.unshift((v & 0x7f) | 0x80);
    out.push(...base128);
  }
  return tlv(0x06, out);
}

/** Name: CN=value (one RDN), as a UTF8String. */
function name(cn: string): number[] {
  return seq(tlv(0x31, seq(oid([2, 5, 4, 3]), tlv(0x0c, [...utf8(cn)]))));
}

/** UTCTime "YYMMDDhhmmssZ" (RFC 5280 §4.1.2.5.1, years before 2050). */
function utcTime(d: Date): number[] {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, [...utf8(s)]);
}

// --- a P-256 public key (SEC 1 §2.3.3, uncompressed), so the key parses as a real one ---

const P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const G: [bigint, bigint] = [
  0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
];

const mod = (a: bigint) => ((a % P) + P) % P;

function inverse(a: bigint): bigint {
  let [r, s, x] = [P, 1n, mod(a)];
  let t = 0n;
  // Extended Euclid: t·a ≡ r (mod P).
  while (x !== 0n) {
    const q = r / x;
    [r, x] = [x, r - q * x];
    [t, s] = [s, t - q * s];
  }
  return mod(t);
}

type Jacobian = [bigint, bigint, bigint];

function double([x, y, z]: Jacobian): Jacobian {
  if (y === 0n || z === 0n) return [0n, 1n, 0n];
  const yy = mod(y * y);
  const s = mod(4n * x * yy);
  const zz = mod(z * z);
  const m = mod(3n * (x - zz) * (x + zz)); // a = -3
  const x3 = mod(m * m - 2n * s);
  return [x3, mod(m * (s - x3) - 8n * yy * yy), mod(2n * y * z)];
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p[2] === 0n) return q;
  if (q[2] === 0n) return p;
  const z1z1 = mod(p[2] * p[2]);
  const z2z2 = mod(q[2] * q[2]);
  const u1 = mod(p[0] * z2z2);
  const u2 = mod(q[0] * z1z1);
  const s1 = mod(p[1] * q[2] * z2z2);
  const s2 = mod(q[1] * p[2] * z1z1);
  if (u1 === u2) return s1 === s2 ? double(p) : [0n, 1n, 0n];
  const h = mod(u2 - u1);
  const r = mod(s2 - s1);
  const hh = mod(h * h);
  const hhh = mod(h * hh);
  const x3 = mod(r * r - hhh - 2n * u1 * hh);
  return [x3, mod(r * (u1 * hh - x3) - s1 * hhh), mod(h * p[2] * q[2])];
}

/** 0x04 ‖ X ‖ Y of d·G for a private scalar d taken from `seed`. */
function publicKey(seed: number[]): number[] {
  const d = (seed.reduce((n, b) => (n << 8n) | BigInt(b), 0n) % (N - 1n)) + 1n;
  let result: Jacobian = [0n, 1n, 0n];
  let addend: Jacobian = [G[0], G[1], 1n];
  for (let k = d; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = double(addend);
  }
  const zi = inverse(result[2]);
  const zi2 = mod(zi * zi);
  const x = mod(result[0] * zi2);
  const y = mod(result[1] * zi2 * zi);
  const bytes = (v: bigint) =>
    Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * (31 - i))) & 0xffn));
  return [0x04, ...bytes(x), ...bytes(y)];
}

/** Deterministic bytes from a name (xorshift32 seeded by FNV-1a): the same host, the same key. */
function stream(seed: string): (n: number) => number[] {
  let state = 2166136261;
  for (const c of seed) state = Math.imul(state ^ c.charCodeAt(0), 16777619) >>> 0;
  state ||= 1;
  return (n) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out.push(state & 0xff);
    }
    return out;
  };
}
