/**
 * PBX presets (`--pbx`): what the SIP server listens on and its RTP range, with sources.
 * Values from shared/reference/pbx-defaults.md.
 */
import type { HostProfile } from './types.js';

/** Without a preset: the usual SIP ports and no RTP range of its own (the providers decide). */
export const DEFAULT_HOST: HostProfile = {
  preset: 'default',
  title: 'SIP server on the usual ports',
  sip: { udp: [5060], tcp: [5060], tls: [5061] },
};

export const PBX_PRESETS: Readonly<Record<string, HostProfile>> = {
  asterisk: {
    preset: 'asterisk',
    title: 'Asterisk (PJSIP)',
    sip: { udp: [5060], tcp: [5060], tls: [5061] },
    rtp: [{ from: 10000, to: 20000 }],
    source: 'configs/samples/rtp.conf.sample (rtpstart/rtpend); usual PJSIP transport binds',
  },
  freepbx: {
    preset: 'freepbx',
    title: 'FreePBX (PJSIP)',
    sip: { udp: [5060], tcp: [5060], tls: [5061] },
    rtp: [{ from: 10000, to: 20000 }],
    source: 'FreePBX sipsettings module install defaults',
  },
  freeswitch: {
    preset: 'freeswitch',
    title: 'FreeSWITCH (internal 5060/5061 and external 5080/5081 profiles)',
    // Trunks usually reach the external profile; both profiles are opened, to provider addresses only.
    sip: { udp: [5060, 5080], tcp: [5060, 5080], tls: [5061, 5081] },
    rtp: [{ from: 16384, to: 32768 }],
    source: 'switch.conf.xml rtp-start-port/rtp-end-port; conf/vanilla/vars.xml',
  },
  '3cx': {
    preset: '3cx',
    title: '3CX',
    sip: { udp: [5060], tcp: [5060], tls: [5061] },
    rtp: [{ from: 9000, to: 10999 }],
    notOpened: 'the 3CX tunnel (5090 tcp+udp) serves 3CX clients, not trunk providers: open it yourself if needed',
    source: '3CX knowledge-base summaries (secondary source; override with --rtp-ports if yours differs)',
  },
};
