/**
 * A throw-away self-signed certificate (ECDSA P-256, SHA-256) for a tls responder without a
 * certificate of its own, written in DER by hand: node:crypto makes the key and the signature
 * but has no certificate builder, and the `selfsigned` package brought ~30 packages to the
 * install for this one use (issue 15). Layout from RFC 5280 §4.1; the ecdsa-with-SHA256
 * identifier (no parameters) from RFC 5758 §3.2.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

/** A DER element: tag, definite length, contents (X.690 §8.1). */
function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}

const SEQUENCE = 0x30;
const SET = 0x31;
/** Object identifiers, already encoded (X.690 §8.19). */
const ECDSA_WITH_SHA256 = Buffer.from('06082a8648ce3d040302', 'hex'); // 1.2.840.10045.4.3.2
const COMMON_NAME = Buffer.from('0603550403', 'hex'); // 2.5.4.3
const BASIC_CONSTRAINTS = Buffer.from('0603551d13', 'hex'); // 2.5.29.19

/** UTCTime for years before 2050, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const year = date.getUTCFullYear();
  return year < 2050 ? der(0x17, Buffer.from(iso.slice(2), 'ascii')) : der(0x18, Buffer.from(iso, 'ascii'));
}

/** A Name of one common name (UTF8String; at most 64 characters, ub-common-name). */
function name(commonName: string): Buffer {
  const cn = Array.from(commonName).slice(0, 64).join('');
  return der(SEQUENCE, der(SET, der(SEQUENCE, COMMON_NAME, der(0x0c, Buffer.from(cn, 'utf8')))));
}

export interface SelfSigned {
  cert: string;
  key: string;
  /** SHA-1 of the DER certificate, lower-case hex pairs joined by ':'. */
  fingerprint: string;
}

/** A certificate for `commonName`, valid from a minute ago for `days` days. */
export function selfSigned(commonName: string, days: number, now = new Date()): SelfSigned {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f; // a positive INTEGER
  if (serial[0] === 0) serial[0] = 1; // and minimally encoded
  const algorithm = der(SEQUENCE, ECDSA_WITH_SHA256);
  const subject = name(commonName);
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + days * 86_400_000);
  // Extensions: basicConstraints cA FALSE, critical (an end-entity certificate).
  const extensions = der(0xa3, der(SEQUENCE, der(SEQUENCE, BASIC_CONSTRAINTS, der(0x01, Buffer.from([0xff])), der(0x04, der(SEQUENCE)))));
  const tbs = der(
    SEQUENCE,
    der(0xa0, der(0x02, Buffer.from([2]))), // version v3
    der(0x02, serial),
    algorithm,
    subject,
    der(SEQUENCE, time(notBefore), time(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA-Sig-Value
  const certificate = der(SEQUENCE, tbs, algorithm, der(0x03, Buffer.from([0]), signature));
  const base64 = certificate.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n');
  const cert = `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`;
  // Parsed back once: a certificate node:crypto cannot read is a bug here, not a TLS failure later.
  new X509Certificate(cert);
  return {
    cert,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    fingerprint: createHash('sha1').update(certificate).digest('hex').replace(/(..)(?!$)/g, '$1:'),
  };
}
