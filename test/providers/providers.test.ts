import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../src/providers/builtin.js';
import { profileAgeDays, stalenessWarning } from '../../src/providers/parse.js';
import { parseProfileText } from '../../src/providers/profile-file.js';
import { builtinProviders, findBuiltinProvider } from '../../src/providers/registry.js';
import { rawProfileSchema } from '../../src/providers/schema.js';
import { formatPrefix } from '../../src/net/cidr.js';

describe('built-in profiles', () => {
  it.each(BUILTIN_PROFILES.map((p) => [p.id, p] as const))('%s passes the user-profile schema', (_, raw) => {
    expect(rawProfileSchema.safeParse(raw).success).toBe(true);
  });

  it('FlyNumber: SIP 46.19.208.0/21 with the five gateways inside it, RTP 16384-32767 on the PBX side', () => {
    const fly = findBuiltinProvider('flynumber');
    expect(fly.sip!.addresses.map(formatPrefix)).toEqual(['46.19.208.0/21']);
    expect(fly.sip!.gateways.map(formatPrefix)).toEqual(['46.19.209.14/32', '46.19.210.14/32', '46.19.212.14/32', '46.19.213.14/32', '46.19.214.14/32']);
    expect(fly.sip!.transports).toEqual({ udp: 5060, tcp: 5060, tls: 5061 });
    expect(fly.media!.hostPorts).toEqual([{ from: 16384, to: 32767 }]);
  });

  it("VAPI: two SBCs, media from any source on VAPI's ports 40000-60000", () => {
    const vapi = findBuiltinProvider('vapi');
    expect(vapi.sip!.addresses.map(formatPrefix)).toEqual(['44.229.228.186/32', '44.238.177.138/32']);
    expect(vapi.media!.addresses).toBe('any');
    expect(vapi.media!.providerPorts).toEqual([{ from: 40000, to: 60000 }]);
    expect(vapi.media!.hostPorts).toBeUndefined();
  });

  it('every built-in names its source URL and retrieval date', () => {
    for (const p of builtinProviders()) {
      expect(p.source).toMatch(/^https:\/\//);
      expect(p.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('staleness', () => {
  const fly = findBuiltinProvider('flynumber');
  it('warns when a profile is older than the limit, with an injected clock', () => {
    expect(profileAgeDays(fly, new Date('2026-11-24T00:00:00Z'))).toBe(1);
    expect(stalenessWarning(fly, new Date('2027-05-22T00:00:00Z'), 180)).toBeUndefined();
    expect(stalenessWarning(fly, new Date('2027-05-23T00:00:00Z'), 180)).toMatch(/flynumber was retrieved 2026-11-23 \(181 days ago, over 180\): re-check https/);
  });
});

describe('user profiles', () => {
  const good = `id: my-trunk\nname: My Trunk\nsource: https://example.com\nretrieved: 2026-01-02\nroles:\n  sip:\n    addresses: [203.0.113.0/24]\n    transports: { udp: 5060 }\n`;

  it('parses YAML and JSON', async () => {
    expect((await parseProfileText(good, 'a.yaml')).id).toBe('my-trunk');
    const json = JSON.stringify({ id: 'j', name: 'J', source: 's', retrieved: '2026-01-02', roles: { media: { addresses: 'any', providerPorts: '1000-2000' } } });
    expect((await parseProfileText(json, 'a.json')).media!.providerPorts).toEqual([{ from: 1000, to: 2000 }]);
  });

  it('reads JSON with JSON.parse, to the same profile as YAML; JSON-looking YAML flow style still reads', async () => {
    const yaml = await parseProfileText(good, 'a.yaml');
    const data = { id: 'my-trunk', name: 'My Trunk', source: 'https://example.com', retrieved: '2026-01-02', roles: { sip: { addresses: ['203.0.113.0/24'], transports: { udp: 5060 } } } };
    expect(await parseProfileText(JSON.stringify(data, null, 2), 'a.json')).toEqual(yaml);
    // Keys that only look alike, a ":" inside a string, and arrays of objects: none is a repeat.
    const tricky = { ...data, notes: 'a "b": c', roles: { sip: { ...data.roles.sip, gateways: ['203.0.113.1'] }, media: { addresses: 'any', providerPorts: 'any' } } };
    expect((await parseProfileText(JSON.stringify(tricky), 'a.json')).notes).toBe('a "b": c');
    expect(await parseProfileText('{id: my-trunk, name: My Trunk, source: "https://example.com", retrieved: 2026-01-02, roles: {sip: {addresses: [203.0.113.0/24], transports: {udp: 5060}}}}', 'a.yaml')).toEqual(yaml);
  });

  it.each([
    ['malformed YAML', 'id: [unclosed', 'profile a.yaml: is not valid YAML or JSON'],
    ['a missing field', good.replace('name: My Trunk\n', ''), 'profile a.yaml: name: Invalid input'],
    ['an unknown field', `${good}colour: red\n`, 'profile a.yaml: (top level): unknown field colour; see docs/profiles.md for the fields'],
    ['a bad CIDR', good.replace('203.0.113.0/24', '203.0.113.7/24'), 'profile a.yaml: roles.sip.addresses[0]: "203.0.113.7/24" has host bits set'],
    ['port 0', good.replace('udp: 5060', 'udp: 0'), 'profile a.yaml: roles.sip.transports.udp: "0" is not a port'],
    ['port 70000', good.replace('udp: 5060', 'udp: 70000'), 'is not a port'],
    ['a hostile id', good.replace('my-trunk', '"x; rm -rf /"'), 'profile a.yaml: id: lower-case letters'],
    ['a newline in a name', good.replace('My Trunk', '"My\\nTrunk"'), 'profile a.yaml: name: letters, digits'],
    ['$( ) in a name', good.replace('My Trunk', '"$(reboot)"'), 'profile a.yaml: name: letters, digits'],
    ['a backtick in a name', good.replace('My Trunk', '"`id`"'), 'profile a.yaml: name: letters, digits'],
    ['a newline in notes', `${good}notes: "a\\nb"\n`, 'profile a.yaml: notes: control characters'],
    ['a bad date', good.replace('2026-01-02', '2026-13-45'), 'profile a.yaml: retrieved'],
    ['no roles', good.replace(/roles:[\s\S]*/, 'roles: {}\n'), 'profile a.yaml: roles: give a sip role'],
    ['a YAML bomb', 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n', 'is not valid YAML or JSON'],
    ['addresses neither a list nor a file', good.replace('[203.0.113.0/24]', '5'), 'profile a.yaml: roles.sip.addresses: give a list of addresses or prefixes, or { file: NAME } naming an address list file'],
    ['a key repeated in YAML', good.replace('name: My Trunk\n', 'name: My Trunk\nname: Other\n'), 'profile a.yaml: is not valid YAML or JSON (duplicated mapping key (3:1))'],
    ['a key repeated in JSON', '{"id": "j",\n "roles": {"sip": {}, "si\\u0070": {}}}', 'profile a.yaml: is not valid YAML or JSON (the key "sip" is repeated at line 2); keep one of them'],
    ['a JSON syntax error', '{"id": "j",\n "name": [}', 'profile a.yaml: is not valid YAML or JSON (missed comma between flow collection entries (2:11)); fix the syntax'],
  ])('refuses %s with an error naming the field', async (_, text, message) => {
    await expect(parseProfileText(text, 'a.yaml')).rejects.toThrow(message);
  });
});
