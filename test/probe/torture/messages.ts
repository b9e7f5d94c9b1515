/**
 * One message of our own making for each row of RFC 4475 (table.ts): each carries the torture
 * its RFC section describes (the same grammar corner, the same fault), with our own names,
 * addresses and values. The RFC's own archive bytes are replayed by `npm run conformance`.
 *
 * Written with LF line ends (made CRLF); ⟨hh⟩ stands for the character U+hh (control characters,
 * the byte-order mark), {CL} for the length of the body in bytes. Text is UTF-8.
 */

const SDP = String.raw`v=0
o=- 2890844526 2890844526 IN IP4 192.0.2.10
s=-
c=IN IP4 192.0.2.10
t=0 0
m=audio 40000 RTP/AVP 0 8
a=rtpmap:0 PCMU/8000
`;

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n').replace(/⟨([0-9a-f]{2,6})⟩/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));

/** Header block and body; {CL} in the headers becomes the body's length. */
function sip(head: string, body: string | Buffer = ''): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(crlf(body), 'utf8') : body;
  return Buffer.concat([Buffer.from(`${crlf(head.trim()).replaceAll('{CL}', String(bytes.length))}\r\n\r\n`, 'utf8'), bytes]);
}

/** 3.1.1.7: every value long, and 34 Via lines in every spelling of the name. */
function longreq(): Buffer {
  const long = (word: string, n: number) => word.repeat(n);
  const names = ['Via', 'v', 'V', 'Via', 'ViA', 'VIa', 'VIA', 'via', 'viA', 'vIa', 'vIA', 'V ', 'v ', 'V  ', 'v  ', 'Via ', 'Via  '];
  const vias = Array.from({ length: 34 }, (_, i) => `${names[i % names.length]}: SIP/2.0/TCP relay${34 - i}.example.com`);
  return sip(
    [
      'INVITE sip:ann@example.com SIP/2.0',
      `To: "A display name of ${long('extreme', 12)} length"<sip:ann@example.com:6000;p1=${long('long', 40)};p2=${long('long', 40)};maddr=192.0.2.30>`,
      `F: sip:${long('verylongcallername', 6)}@example.net;tag=${long('1298', 30)}`,
      `Call-ID: longreq.${long('really', 30)}long`,
      'CSeq: 3882340 INVITE',
      `Unknown-${long('Long', 20)}-Name: unknown-${long('long', 40)}-value; unknown-${long('long', 40)}-parameter-name = unknown-${long('long', 40)}-parameter-value`,
      ...vias,
      `Via: SIP/2.0/TCP relay.example.com;received=192.0.2.5;branch=${long('longbranch', 20)}`,
      'Max-Forwards: 70',
      `Contact: <sip:${long('verylongcallername', 6)}@host5.example.net>`,
      'Content-Type: application/sdp',
      'l: {CL}',
    ].join('\n'),
    SDP,
  );
}

/** 3.1.1.11: a multipart body whose binary part holds bare LF, CR and NUL octets. */
function mpart01(): Buffer {
  const binary = Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x0d, 0x00, 0xff, 0x0a, 0x0a, 0x2d, 0x2d, 0x0d, 0x0a, 0x80, 0x7f, 0x0a]);
  const body = Buffer.concat([
    Buffer.from('--b0und4ry\r\nContent-Type: text/plain\r\n\r\nHi there\r\n--b0und4ry\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n', 'latin1'),
    binary,
    Buffer.from('\r\n--b0und4ry--\r\n', 'latin1'),
  ]);
  return sip(
    String.raw`MESSAGE sip:kim@example.org SIP/2.0
Via: SIP/2.0/UDP 192.0.2.40:5070;branch=z9hG4bK-mpart-1;rport
Max-Forwards: 70
Route: <sip:192.0.2.41:5080;lr>
Contact: <sip:lee@192.0.2.40:5070>
To: <sip:kim@example.org>
From: <sip:lee@example.com>;tag=5a1e
Call-ID: mpart01.77ab@192.0.2.40
CSeq: 1 MESSAGE
Content-Transfer-Encoding: binary
Content-Type: multipart/mixed;boundary=b0und4ry
Date: Tue, 01 Dec 2026 10:00:00 GMT
Content-Length: {CL}`,
    body,
  );
}

export const MESSAGES: ReadonlyMap<string, Buffer> = new Map<string, Buffer>([
  [
    'wsinv',
    sip(
      String.raw`INVITE sip:ann@pbx.example.com;unknownparam SIP/2.0
TO :
 sip:ann@pbx.example.com ;   tag    = 7730na
from   : "Bob \\\""       <sip:bob@example.net>
  ;
  tag = 11aa2
MaX-fOrWaRdS: 0070
Call-ID: wsinv.91ea@192.0.2.10
Content-Length   : {CL}
cseq: 0012
  INVITE
Via  : SIP  /   2.0
 /UDP
    192.0.2.10;branch=390ws1
s :
NewHeader:   first part
 second part
OddHeader: ;;,,;;,;
Content-Type: application/sdp
Route:
 <sip:edge.example.com;lr;unknownwith=value;unknown-no-value>
v:  SIP  / 2.0  / TCP     relay.example.com   ;
  branch  =   z9hG4bKws2  ,
 SIP  /    2.0   / UDP  192.0.2.20   ; branch=
 z9hG4bKws3
m:"Quoted \"\"" <sip:bob@example.net> ; p1 =
      v1 ;
  p2 ; q = 0.5`,
      SDP,
    ),
  ],
  [
    'intmeth',
    sip(String.raw`!odd-Method0123456789_*+⟨60⟩.%yes'~ sip:1_odd.URI~(be!sure)&isn't+it$/mad?,/;;*:&it+has=1,odd!*pa$s~w_d.(isn't-it)@example.com SIP/2.0
Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+⟨60⟩'~
To: "BEL:\⟨07⟩ NUL:\⟨00⟩ DEL:\⟨7f⟩" <sip:1_odd.URI~(be!sure)&isn't+it$/mad?,/;;*@example.com>
From: tok1~⟨60⟩ tok2'+_ tok3*%!.- <sip:plain@example.com>;odd''~+*_!.-%="привет мир";tag=_tok~1'+⟨60⟩*%!-.
Call-ID: intmeth.w%ZK-!.*_+'@w⟨60⟩~)(><:\/"][?}{
CSeq: 7 !odd-Method0123456789_*+⟨60⟩.%yes'~
Max-Forwards: 255
extHeader-!.%*+_⟨60⟩'~:⟨feff⟩停電中
Content-Length: 0`),
  ],
  [
    'esc01',
    sip(
      String.raw`INVITE sip:sips%3Aann%40example.com@example.net SIP/2.0
To: sip:%61nn@example.com
From: <sip:I%20have%20a%20space@example.net>;tag=81
Max-Forwards: 70
i: esc01.c0ffee-1
CSeq: 5 INVITE
Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKesc01
C: application/sdp
Contact:
  <sip:b%6Fb@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
Content-Length: {CL}`,
      SDP,
    ),
  ],
  [
    'escnull',
    sip(String.raw`REGISTER sip:example.com SIP/2.0
To: sip:zero-%00-zero@example.com
From: sip:zero-%00-zero@example.com;tag=5050
Max-Forwards: 70
Call-ID: escnull.0b4d@192.0.2.11
CSeq: 17 REGISTER
Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKescnull
Contact: <sip:%00@host5.example.com>
Contact: <sip:%00%00@host5.example.com>
L:0`),
  ],
  [
    'esc02',
    sip(String.raw`RE%47IST%45R sip:registrar.example.com SIP/2.0
To: "%Z%45" <sip:thing@example.com>
From: "%Z%45" <sip:thing@example.com>;tag=e5c02
Call-ID: esc02.aa11bb22@192.0.2.12
Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzesc02
CSeq: 3 RE%47IST%45R
Max-Forwards: 70
Contact: <sip:alias1@host1.example.com>
C%6Fntact: <sip:alias2@host2.example.com>
Contact: <sip:alias3@host3.example.com>
l: 0`),
  ],
  [
    'lwsdisp',
    sip(String.raw`OPTIONS sip:ann@example.com SIP/2.0
To: sip:ann@example.com
From: caller<sip:caller@example.com>;tag=77
Max-Forwards: 70
Call-ID: lwsdisp.5e5e@funky.example.com
CSeq: 60 OPTIONS
Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKlwsdisp
l: 0`),
  ],
  ['longreq', longreq()],
  [
    'dblreq',
    sip(
      String.raw`REGISTER sip:example.com SIP/2.0
To: sip:ann@example.com
From: sip:ann@example.com;tag=db1
Max-Forwards: 8
I: dblreq.first@192.0.2.13
Contact: sip:ann@host.example.com
CSeq: 8 REGISTER
Via: SIP/2.0/UDP 192.0.2.13;branch=z9hG4bKdblreq1
Content-Length: 0`,
      String.raw`INVITE sip:bob@example.com SIP/2.0
t: sip:bob@example.com
From: sip:ann@example.net;tag=db2
Max-Forwards: 8
Call-ID: dblreq.second@192.0.2.13
CSeq: 8 INVITE
Via: SIP/2.0/UDP 192.0.2.13;branch=z9hG4bKdblreq2
Content-Type: application/sdp
Content-Length: 0

`,
    ),
  ],
  [
    'semiuri',
    sip(String.raw`OPTIONS sip:ann;par=u%40example.net@example.com SIP/2.0
To: sip:ann_b@example.com
From: sip:caller@example.org;tag=5e31
Max-Forwards: 3
Call-ID: semiuri.0a0b
CSeq: 8 OPTIONS
Accept: application/sdp, application/pkcs7-mime,
        multipart/mixed, multipart/signed,
        message/sip, message/sipfrag
Via: SIP/2.0/UDP 192.0.2.14;branch=z9hG4bKsemiuri
l: 0`),
  ],
  [
    'transports',
    sip(String.raw`OPTIONS sip:ann@example.com SIP/2.0
To: sip:ann@example.com
From: <sip:caller@example.com>;tag=7r4
Max-Forwards: 70
Call-ID:  transports.99zz@192.0.2.15
Accept: application/sdp
CSeq: 60 OPTIONS
Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKtr1
Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKtr2
Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bKtr3
Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKtr4
Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bKtr5
l: 0`),
  ],
  ['mpart01', mpart01()],
  [
    'unreason',
    sip(
      String.raw`SIP/2.0 200 Всё хорошо: двести = 2**3 * 5**2, 二百
Via: SIP/2.0/UDP 192.0.2.16;branch=z9hG4bKunreason
Call-ID: unreason.4242@192.0.2.16
CSeq: 35 INVITE
From: sip:ann@example.com;tag=u1
To: sip:bob@example.edu;tag=u2
Content-Length: {CL}
Content-Type: application/sdp
Contact: <sip:bob@host16.example.com>`,
      SDP,
    ),
  ],
  [
    'noreason',
    sip(`SIP/2.0 100 \nVia: SIP/2.0/UDP 192.0.2.17;branch=z9hG4bKnoreason\nCall-ID: noreason.17@192.0.2.17\nCSeq: 35 INVITE\nFrom: <sip:ann@example.com>;tag=n1\nTo: <sip:bob@example.edu>;tag=n2\nContent-Length: 0`),
  ],
  [
    'badinv01',
    sip(
      String.raw`INVITE sip:ann@example.com SIP/2.0
To: sip:ann.b@example.com
From: sip:caller@example.net;tag=b4d1
Max-Forwards: 7
Call-ID: badinv01.1@192.0.2.18
CSeq: 8 INVITE
Via: SIP/2.0/UDP 192.0.2.18;;,;,,
Contact: "Joe" <sip:joe@example.org>;;;;
Content-Length: {CL}
Content-Type: application/sdp`,
      SDP,
    ),
  ],
  [
    'clerr',
    sip(
      String.raw`INVITE sip:ann@example.com SIP/2.0
Max-Forwards: 80
To: sip:ann.b@example.com
From: sip:caller@example.net;tag=c1e
Contact: <sip:caller@hungry.example.net>
Call-ID: clerr.2@192.0.2.19
CSeq: 8 INVITE
Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bK-clerr
Content-Type: application/sdp
Content-Length: 9999`,
      SDP,
    ),
  ],
  [
    'ncl',
    sip(
      String.raw`INVITE sip:ann@example.com SIP/2.0
Max-Forwards: 254
To: sip:ann.b@example.com
From: sip:caller@example.net;tag=9c1
Call-ID: ncl.3@192.0.2.20
CSeq: 0 INVITE
Via: SIP/2.0/UDP 192.0.2.20;branch=z9hG4bKncl
Contact: <sip:caller@host20.example.net>
Content-Type: application/sdp
Content-Length: -999`,
      SDP,
    ),
  ],
  [
    'scalar02',
    sip(String.raw`REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKscalar02
To: <sip:ann@example.com>
From: <sip:ann@example.com>;tag=5ca1
CSeq: 36893488147419103232 REGISTER
Call-ID: scalar02.4@192.0.2.21
Max-Forwards: 300
Expires: 1${'0'.repeat(100)}
Contact: <sip:ann@host129.example.com>
  ;expires=280297596632815
Content-Length: 0`),
  ],
  [
    'scalarlg',
    sip(String.raw`SIP/2.0 503 Service Unavailable
Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKscalarlg;received=192.0.2.22
To: <sip:ann@example.com>
From: <sip:other@example.net>;tag=5c1g
CSeq: 9292394834772304023312 OPTIONS
Call-ID: scalarlg.5@192.0.2.22
Retry-After: 949302838503028349304023988
Warning: 1812 overture "In Progress"
Content-Length: 0`),
  ],
  [
    'quotbal',
    sip(
      String.raw`INVITE sip:ann@example.com SIP/2.0
To: "Ms. A. Nn <sip:ann@example.com>
From: sip:caller@example.net;tag=q0
Max-Forwards: 10
Call-ID: quotbal.6@192.0.2.23
Contact: <sip:caller@host23.example.net>
CSeq: 8 INVITE
Via: SIP/2.0/UDP 192.0.2.23:5050;branch=z9hG4bKquotbal
Content-Type: application/sdp
Content-Length: {CL}`,
      SDP,
    ),
  ],
  [
    'ltgtruri',
    sip(
      String.raw`INVITE <sip:ann@example.com> SIP/2.0
To: sip:ann@example.com
From: sip:caller@example.net;tag=1t
Max-Forwards: 23
Call-ID: ltgtruri.7@192.0.2.24
CSeq: 1 INVITE
Via: SIP/2.0/UDP 192.0.2.24;branch=z9hG4bKltgt
Contact: <sip:caller@host24.example.net>
Content-Type: application/sdp
Content-Length: {CL}`,
      SDP,
    ),
  ],
  [
    'lwsruri',
    sip(
      String.raw`INVITE sip:ann@example.com; lr SIP/2.0
To: sip:ann@example.com;tag=3xfe-99
From: sip:caller@example.net;tag=1w5
Max-Forwards: 5
Call-ID: lwsruri.8@192.0.2.25
CSeq: 2130706432 INVITE
Via: SIP/2.0/UDP 192.0.2.25:5060;branch=z9hG4bKlwsruri
Contact: <sip:caller@host25.example.net>
Content-Type: application/sdp
Content-Length: {CL}`,
      SDP,
    ),
  ],
  [
    'lwsstart',
    sip(
      String.raw`INVITE  sip:ann@example.com  SIP/2.0
Max-Forwards: 8
To: sip:ann@example.com
From: sip:caller@example.net;tag=1s
Call-ID: lwsstart.9@192.0.2.26
CSeq: 1893884 INVITE
Via: SIP/2.0/UDP host26.example.com;branch=z9hG4bKlwsstart
Contact: <sip:caller@host26.example.net>
Content-Type: application/sdp
Content-Length: {CL}`,
      SDP,
    ),
  ],
  [
    'trws',
    sip(`OPTIONS sip:far-end@example.com SIP/2.0  \nVia: SIP/2.0/TCP host27.example.com;branch=z9hG4bKtrws\nTo: <sip:far-end@example.com>\nFrom: <sip:near-end@example.com>;tag=7rw5\nCall-ID: trws.10@192.0.2.27\nAccept: application/sdp\nCSeq: 238923 OPTIONS\nMax-Forwards: 70\nContent-Length: 0`),
  ],
  [
    'escruri',
    sip(
      String.raw`INVITE sip:ann@example.com?Route=%3Csip:example.com%3E SIP/2.0
To: sip:ann@example.com
From: sip:caller@example.net;tag=e5c
Max-Forwards: 7
Contact: <sip:caller@host28.example.net>
Call-ID: escruri.11@192.0.2.28
CSeq: 149209342 INVITE
Via: SIP/2.0/UDP host28.example.com;branch=z9hG4bKescruri
Content-Type: application/sdp
Content-Length: {CL}`,
      SDP,
    ),
  ],
  [
    'baddate',
    sip(
      String.raw`INVITE sip:ann@example.com SIP/2.0
To: sip:ann@example.com
From: sip:caller@example.net;tag=bd8
Max-Forwards: 70
Call-ID: baddate.12@192.0.2.29
CSeq: 1392934 INVITE
Via: SIP/2.0/UDP host29.example.com;branch=z9hG4bKbaddate
Date: Tue, 01 Dec 2026 16:00:00 EST
Contact: <sip:caller@host29.example.net>
Content-Type: application/sdp
Content-Length: {CL}`,
      SDP,
    ),
  ],
  [
    'regbadct',
    sip(String.raw`REGISTER sip:example.com SIP/2.0
To: sip:ann@example.com
From: sip:ann@example.com;tag=rbc
Max-Forwards: 70
Call-ID: regbadct.13@192.0.2.30
CSeq: 1 REGISTER
Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bKregbadct
Contact: sip:ann@example.com?Route=%3Csip:proxy.example.com%3E
l: 0`),
  ],
  [
    'badaspec',
    sip(String.raw`OPTIONS sip:ann@example.org SIP/2.0
Via: SIP/2.0/UDP host31.example.com:5060;branch=z9hG4bKbadaspec
Max-Forwards: 70
From: "Doe, Jane" <sip:jane@example.com>;tag=ba5
To: "Roe, Ann" < sip:ann@example.org >
Call-ID: badaspec.14@192.0.2.31
Accept: application/sdp
CSeq: 3923239 OPTIONS
l: 0`),
  ],
  [
    'baddn',
    sip(String.raw`OPTIONS sip:ann@example.org SIP/2.0
Via:     SIP/2.0/UDP host32.example.com:5060;branch=z9hG4bKbaddn
Max-Forwards:      70
From:    Doe, Jane <sip:jane@example.com>;tag=bdn
To:      Roe, Ann <sip:ann@example.org>
Call-ID: baddn.15@192.0.2.32
Accept: application/sdp
CSeq:    3923239 OPTIONS
l: 0`),
  ],
  [
    'badvers',
    sip(String.raw`OPTIONS sip:ann@example.org SIP/7.0
Via:     SIP/7.0/UDP host33.example.com;branch=z9hG4bKbadvers
Max-Forwards:     70
From:    J. Doe <sip:jane@example.com>;tag=bv
To:      A. Roe <sip:ann@example.org>
Call-ID: badvers.16@192.0.2.33
CSeq:    1 OPTIONS
l: 0`),
  ],
  [
    'mismatch01',
    sip(String.raw`OPTIONS sip:ann@example.com SIP/2.0
To: sip:ann.b@example.com
From: sip:caller@example.net;tag=m1
Max-Forwards: 6
Call-ID: mismatch01.17@192.0.2.34
CSeq: 8 INVITE
Via: SIP/2.0/UDP host34.example.com;branch=z9hG4bKmismatch01
l: 0`),
  ],
  [
    'mismatch02',
    sip(
      String.raw`NEWMETHOD sip:ann@example.com SIP/2.0
To: sip:ann.b@example.com
From: sip:caller@example.net;tag=m2
Max-Forwards: 6
Call-ID: mismatch02.18@192.0.2.35
CSeq: 8 INVITE
Contact: <sip:caller@host35.example.net>
Via: SIP/2.0/UDP host35.example.net;branch=z9hG4bKmismatch02
Content-Type: application/sdp
l: {CL}`,
      SDP,
    ),
  ],
  [
    'bigcode',
    sip(String.raw`SIP/2.0 4294967301 better not break the receiver
Via: SIP/2.0/UDP 192.0.2.36;branch=z9hG4bKbigcode
Call-ID: bigcode.19@192.0.2.36
CSeq: 353494 INVITE
From: <sip:ann@example.com>;tag=b1g
To: <sip:bob@example.edu>;tag=c0de
Content-Length: 0
Contact: <sip:bob@host36.example.com>`),
  ],
  [
    'badbranch',
    sip(String.raw`OPTIONS sip:ann@example.com SIP/2.0
To: sip:ann@example.com
From: sip:caller@example.org;tag=bbr
Max-Forwards: 3
Via: SIP/2.0/UDP 192.0.2.37;branch=z9hG4bK
Accept: application/sdp
Call-ID: badbranch.20@192.0.2.37
CSeq: 8 OPTIONS
l: 0`),
  ],
  [
    'insuf',
    sip(
      String.raw`INVITE sip:ann@example.com SIP/2.0
CSeq: 193942 INVITE
Via: SIP/2.0/UDP 192.0.2.38;branch=z9hG4bKinsuf
Content-Type: application/sdp
l: {CL}`,
      SDP,
    ),
  ],
  [
    'unkscm',
    sip(String.raw`OPTIONS nobodyKnowsThisScheme:opaque-stuff SIP/2.0
To: sip:ann@example.com
From: sip:caller@example.net;tag=us
Max-Forwards: 3
Call-ID: unkscm.21@192.0.2.39
CSeq: 3923423 OPTIONS
Via: SIP/2.0/TCP host39.example.com;branch=z9hG4bKunkscm
Content-Length: 0`),
  ],
  [
    'novelsc',
    sip(String.raw`OPTIONS soap.beep://192.0.2.40:3002 SIP/2.0
To: sip:ann@example.com
From: sip:caller@example.net;tag=nv
Max-Forwards: 3
Call-ID: novelsc.22@192.0.2.40
CSeq: 3923423 OPTIONS
Via: SIP/2.0/TCP host40.example.com;branch=z9hG4bKnovelsc
Content-Length: 0`),
  ],
  [
    'unksm2',
    sip(String.raw`REGISTER sip:example.com SIP/2.0
To: isbn:9780000000002
From: <http://www.example.com>;tag=u2
Call-ID: unksm2.23@hyphenated-host.example.com
CSeq: 234902 REGISTER
Max-Forwards: 70
Via: SIP/2.0/UDP 192.0.2.41:5060;branch=z9hG4bKunksm2
Contact: <name:Jane_Doe>
l: 0`),
  ],
  [
    'bext01',
    sip(String.raw`OPTIONS sip:ann@example.com SIP/2.0
To: sip:ann_b@example.com
From: sip:caller@example.net;tag=bx
Max-Forwards: 6
Call-ID: bext01.24@192.0.2.42
Require: noOneHasThis, norThisOne
Proxy-Require: noProxyHasThis, norThisOneEither
CSeq: 8 OPTIONS
Via: SIP/2.0/TLS fold-and-staple.example.com;branch=z9hG4bKbext01
Content-Length: 0`),
  ],
  [
    'invut',
    sip(
      String.raw`INVITE sip:ann@example.com SIP/2.0
Contact: <sip:caller@host43.example.net>
To: sip:ann.b@example.com
From: sip:caller@example.net;tag=iu
Max-Forwards: 70
Call-ID: invut.25@192.0.2.43
CSeq: 235448 INVITE
Via: SIP/2.0/UDP somehost.example.com;branch=z9hG4bKinvut
Content-Type: application/unknownformat
Content-Length: {CL}`,
      '<audio>\n <pcmu port="443"/>\n</audio>\n',
    ),
  ],
  [
    'regaut01',
    sip(String.raw`REGISTER sip:example.com SIP/2.0
To: sip:ann.b@example.com
From: sip:ann.b@example.com;tag=ra
Max-Forwards: 8
Call-ID: regaut01.26@192.0.2.44
CSeq: 9338 REGISTER
Via: SIP/2.0/TCP 192.0.2.44;branch=z9hG4bKregaut01
Authorization: NoOneKnowsThisScheme opaque-data=here
Content-Length:0`),
  ],
  [
    'multi01',
    sip(
      String.raw`INVITE sip:ann@example.com SIP/2.0
Contact: <sip:caller@host45.example.net>
Via: SIP/2.0/UDP 192.0.2.45;branch=z9hG4bKmulti01
Max-Forwards: 70
CSeq: 5 INVITE
Call-ID: multi01.27@192.0.2.45
CSeq: 59 INVITE
Call-ID: multi01.28@192.0.2.46
From: sip:caller@example.com;tag=mu1
To: sip:ann@example.com
To: sip:other@example.net
From: sip:caller@example.net;tag=mu2
Content-Type: application/sdp
l: {CL}`,
      SDP,
    ),
  ],
  [
    'mcl01',
    sip(
      String.raw`OPTIONS sip:ann@example.com SIP/2.0
Via: SIP/2.0/UDP host47.example.net;branch=z9hG4bKmcl01
To: sip:ann@example.com
From: sip:other@example.net;tag=mc
Call-ID: mcl01.29@192.0.2.47
CSeq: 15932 OPTIONS
Content-Length: 13
Max-Forwards: 60
Content-Length: 5
Content-Type: text/plain`,
      'No telling how many octets belong here.\n',
    ),
  ],
  [
    'bcast',
    sip(
      String.raw`SIP/2.0 200 OK
Via: SIP/2.0/UDP 192.0.2.48;branch=z9hG4bKbcast1
Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bKbcast2
Call-ID: bcast.30@192.0.2.48
CSeq: 35 INVITE
From: sip:ann@example.com;tag=bc1
To: sip:bob@example.edu;tag=bc2
Content-Length: {CL}
Content-Type: application/sdp
Contact: <sip:bob@host48.example.com>`,
      SDP,
    ),
  ],
  [
    'zeromf',
    sip(String.raw`OPTIONS sip:ann@example.com SIP/2.0
To: sip:ann@example.com
From: sip:caller@example.net;tag=z0
Call-ID: zeromf.31@192.0.2.49
CSeq: 39234321 OPTIONS
Via: SIP/2.0/UDP host49.example.com;branch=z9hG4bKzeromf
Max-Forwards: 0
Content-Length: 0`),
  ],
  [
    'cparam01',
    sip(String.raw`REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKcparam01
Max-Forwards: 70
From: sip:jane@example.com;tag=cp1
To: sip:jane@example.com
Call-ID: cparam01.32@saturn.example.com
CSeq: 2 REGISTER
Contact: sip:+15555550100@gw1.example.net;unknownparam
l: 0`),
  ],
  [
    'cparam02',
    sip(String.raw`REGISTER sip:example.com SIP/2.0
Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKcparam02
Max-Forwards: 70
From: sip:jane@example.com;tag=cp2
To: sip:jane@example.com
Call-ID: cparam02.33@saturn.example.com
CSeq: 3 REGISTER
Contact: <sip:+15555550100@gw1.example.net;unknownparam>
l: 0`),
  ],
  [
    'regescrt',
    sip(String.raw`REGISTER sip:example.com SIP/2.0
To: sip:ann@example.com
From: sip:ann@example.com;tag=rx
Max-Forwards: 70
Call-ID: regescrt.34@192.0.2.50
CSeq: 14398234 REGISTER
Via: SIP/2.0/UDP host50.example.com;branch=z9hG4bKregescrt
M: <sip:ann@example.com?Route=%3Csip:proxy.example.com%3E>
L:0`),
  ],
  [
    'sdp01',
    sip(
      String.raw`INVITE sip:ann@example.com SIP/2.0
To: sip:ann_b@example.com
Contact: <sip:caller@host51.example.net>
From: sip:caller@example.net;tag=sd
Max-Forwards: 5
Call-ID: sdp01.35@192.0.2.51
Accept: text/nobodyKnowsThis
CSeq: 8 INVITE
Via: SIP/2.0/UDP 192.0.2.51;branch=z9hG4bKsdp01
Content-Length: {CL}
Content-Type: application/sdp`,
      SDP,
    ),
  ],
  [
    'inv2543',
    sip(
      String.raw`INVITE sip:UserB@example.com SIP/2.0
Via: SIP/2.0/UDP gw52.example.com
From: <sip:+15555550101@client.example.net;user=phone>
Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>
To: sip:+15555550102@ss1.example.net;user=phone
Call-ID: inv2543.36@client.example.com
CSeq: 56 INVITE
Content-Type: application/sdp`,
      SDP,
    ),
  ],
]);
