import { describe, expect, it } from 'vitest';
import { text } from '../../../src/engine/bytes';
import { hostFileSystem } from '../../../src/shell/fs';
import { layout, messageSize } from '../../../src/shell/commands/dns';
import { lab, run, screen } from './support';

const P = 'alice@laptop:~$';
const SERVER = ';; SERVER: 198.51.100.53#53(198.51.100.53) (UDP)';
const WHEN = ';; WHEN: Mon Jan 05 09:00:00 UTC 2026';
const BANNER = '; <<>> DiG 9.18.33-1~deb12u2-Debian <<>>';
const OPT = [';; OPT PSEUDOSECTION:', '; EDNS: version: 0, flags:; udp: 1232'];
const withRecords = () =>
  lab({
    records: [
      { type: 'CNAME', name: 'smtp.beta.example', value: 'mx1.beta.example' },
      { type: 'TXT', name: 'beta.example', value: 'v=spf1 mx -all' },
    ],
  });
const nameServerDown = () => lab({ faults: [{ type: 'host-down', host: 'ns.example' }] });
const servfail = () => lab({ faults: [{ type: 'dns-servfail', name: 'beta.example' }] });

describe('dig', () => {
  it('prints an MX answer in dig 9.18’s format', () => {
    expect(run('dig MX beta.example\n')).toBe(
      screen(
        `${P} dig MX beta.example`,
        '',
        `${BANNER} MX beta.example`,
        ';; global options: +cmd',
        ';; Got answer:',
        ';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 43012',
        ';; flags: qr rd ra; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 1',
        '',
        ...OPT,
        ';; QUESTION SECTION:',
        ';beta.example.                  IN      MX',
        '',
        ';; ANSWER SECTION:',
        'beta.example.           300     IN      MX      10 mx1.beta.example.',
        'beta.example.           300     IN      MX      20 mx2.beta.example.',
        '',
        ';; Query time: 20 msec',
        SERVER,
        WHEN,
        ';; MSG SIZE  rcvd: 81',
        '',
        P,
      ),
    );
  });

  it('separates columns with tabs as BIND does (a space past the column)', () => {
    const l = lab();
    run('dig MX beta.example > out; dig -x 203.0.113.25 >> out\n', l);
    const out = hostFileSystem(l.world, 'laptop.alpha.example').read('/home/alice/out', 'alice');
    const lines = out.ok ? text(out.value).split('\n') : [];
    expect(lines).toContain(';beta.example.\t\t\tIN\tMX');
    expect(lines).toContain('beta.example.\t\t300\tIN\tMX\t10 mx1.beta.example.');
    expect(lines).toContain('25.113.0.203.in-addr.arpa. 300\tIN\tPTR\tmx1.beta.example.');
    expect(
      layout([
        ['a', 0],
        ['b', 3],
      ]),
    ).toBe('a  b');
  });

  it('shows NXDOMAIN with the SOA in the authority section', () => {
    const out = run('dig nosuch.example\n');
    expect(out).toContain(';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 43012\n');
    expect(out).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n');
    expect(out).toContain(
      ';; AUTHORITY SECTION:\nexample.                60      IN      SOA     ns.example. hostmaster.ns.example. 2026010501 3600 600 86400 60\n',
    );
    expect(out).not.toContain('ANSWER SECTION');
  });

  it('+short, +noall +answer, -x and @server', () => {
    expect(
      run(
        [
          'dig +short MX beta.example',
          'dig +short smtp.beta.example',
          'dig +noall +answer -x 203.0.113.25',
          'dig @ns.example +short mx2.beta.example',
          'dig beta.example TXT +short',
          'dig +short nosuch.example',
        ],
        withRecords(),
      ),
    ).toBe(
      screen(
        `${P} dig +short MX beta.example`,
        '10 mx1.beta.example.',
        '20 mx2.beta.example.',
        `${P} dig +short smtp.beta.example`,
        'mx1.beta.example.',
        '203.0.113.25',
        `${P} dig +noall +answer -x 203.0.113.25`,
        '25.113.0.203.in-addr.arpa. 300  IN      PTR     mx1.beta.example.',
        `${P} dig @ns.example +short mx2.beta.example`,
        '203.0.113.26',
        `${P} dig beta.example TXT +short`,
        '"v=spf1 mx -all"',
        `${P} dig +short nosuch.example`,
        P,
      ),
    );
  });

  it('says so when the server does not answer: three tries, then no servers', () => {
    expect(run('dig MX beta.example\ndate\n', nameServerDown())).toBe(
      screen(
        `${P} dig MX beta.example`,
        ';; communications error to 198.51.100.53#53: timed out',
        ';; communications error to 198.51.100.53#53: timed out',
        ';; communications error to 198.51.100.53#53: timed out',
        '',
        `${BANNER} MX beta.example`,
        ';; global options: +cmd',
        ';; no servers could be reached',
        `${P} date`,
        'Mon Jan  5 09:00:15 UTC 2026',
        P,
      ),
    );
  });

  it('asks a host that runs no name server, named with @', () => {
    const out = run('dig @203.0.113.25 +tries=1 +time=2 beta.example\n');
    expect(out).toBe(
      screen(
        `${P} dig @203.0.113.25 +tries=1 +time=2 beta.example`,
        ';; communications error to 203.0.113.25#53: timed out',
        '',
        `${BANNER} @203.0.113.25 +tries=1 +time=2 beta.example`,
        '; (1 server found)',
        ';; global options: +cmd',
        ';; no servers could be reached',
        P,
      ),
    );
  });

  it('shows SERVFAIL without the aa flag', () => {
    const out = run('dig MX beta.example\n', servfail());
    expect(out).toContain('status: SERVFAIL');
    expect(out).toContain(';; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1\n');
  });

  it('bypasses the stub resolver cache: every dig is a query in the trace', () => {
    const l = lab();
    run('dig +short mx1.beta.example\ndig +short mx1.beta.example\n', l);
    const queries = l.world.trace.events.filter((e) => e.type === 'dns.query');
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatchObject({
      host: 'laptop.alpha.example',
      server: 'ns.example',
      name: 'mx1.beta.example',
      qtype: 'A',
    });
    expect(l.world.trace.events.filter((e) => e.type === 'dns.answer' && e.cached)).toHaveLength(0);
  });

  it('rejects what it does not understand', () => {
    expect(run('dig +bogus x\n')).toContain(
      'Invalid option: +bogus\nUsage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n',
    );
    expect(run('dig @nosuch.example x\n')).toContain(
      "dig: couldn't get address for 'nosuch.example': not found\n",
    );
  });

  it('estimates the reply size with name compression', () => {
    // Header 12, question 14 + 4, two MX answers of 2 + 10 + 8, OPT 11.
    const mx = (pref: number, host: string) => ({
      name: 'beta.example',
      type: 'MX' as const,
      ttl: 300,
      value: host,
      preference: pref,
    });
    expect(
      messageSize('beta.example', [mx(10, 'mx1.beta.example'), mx(20, 'mx2.beta.example')]),
    ).toBe(81);
  });
});

describe('host', () => {
  it('answers in host(1)’s sentences', () => {
    expect(
      run(
        [
          'host beta.example',
          'host mx1.beta.example',
          'host smtp.beta.example',
          'host -t MX alpha.example',
          'host -t txt beta.example',
          'host -t TXT alpha.example',
          'host 203.0.113.25',
          'host nosuch.example; echo $?',
          'host 192.0.2.99',
        ],
        withRecords(),
      ),
    ).toBe(
      screen(
        `${P} host beta.example`,
        'beta.example mail is handled by 10 mx1.beta.example.',
        'beta.example mail is handled by 20 mx2.beta.example.',
        `${P} host mx1.beta.example`,
        'mx1.beta.example has address 203.0.113.25',
        `${P} host smtp.beta.example`,
        'smtp.beta.example is an alias for mx1.beta.example.',
        'mx1.beta.example has address 203.0.113.25',
        `${P} host -t MX alpha.example`,
        'alpha.example mail is handled by 10 mail.alpha.example.',
        `${P} host -t txt beta.example`,
        'beta.example descriptive text "v=spf1 mx -all"',
        `${P} host -t TXT alpha.example`,
        'alpha.example has no TXT record',
        `${P} host 203.0.113.25`,
        '25.113.0.203.in-addr.arpa domain name pointer mx1.beta.example.',
        `${P} host nosuch.example; echo $?`,
        'Host nosuch.example not found: 3(NXDOMAIN)',
        '1',
        `${P} host 192.0.2.99`,
        'Host 99.2.0.192.in-addr.arpa. not found: 3(NXDOMAIN)',
        P,
      ),
    );
  });

  it('names the server it was told to use, and reports SERVFAIL and silence', () => {
    expect(run('host mx1.beta.example 198.51.100.53\n')).toBe(
      screen(
        `${P} host mx1.beta.example 198.51.100.53`,
        'Using domain server:',
        'Name: 198.51.100.53',
        'Address: 198.51.100.53#53',
        'Aliases:',
        '',
        'mx1.beta.example has address 203.0.113.25',
        P,
      ),
    );
    expect(run('host -t MX beta.example\n', servfail())).toContain(
      'Host beta.example not found: 2(SERVFAIL)\n',
    );
    expect(run('host beta.example\n', nameServerDown())).toBe(
      screen(
        `${P} host beta.example`,
        ';; communications error to 198.51.100.53#53: timed out',
        ';; communications error to 198.51.100.53#53: timed out',
        ';; no servers could be reached',
        P,
      ),
    );
  });
});

describe('nslookup', () => {
  it('prints the server, then the answer in nslookup’s layout', () => {
    expect(
      run(
        [
          'nslookup mx1.beta.example',
          'nslookup -type=mx beta.example',
          'nslookup smtp.beta.example',
          'nslookup -query=TXT beta.example',
          'nslookup 203.0.113.25',
        ],
        withRecords(),
      ),
    ).toBe(
      screen(
        `${P} nslookup mx1.beta.example`,
        'Server:         198.51.100.53',
        'Address:        198.51.100.53#53',
        '',
        'Non-authoritative answer:',
        'Name:   mx1.beta.example',
        'Address: 203.0.113.25',
        '',
        `${P} nslookup -type=mx beta.example`,
        'Server:         198.51.100.53',
        'Address:        198.51.100.53#53',
        '',
        'Non-authoritative answer:',
        'beta.example    mail exchanger = 10 mx1.beta.example.',
        'beta.example    mail exchanger = 20 mx2.beta.example.',
        '',
        `${P} nslookup smtp.beta.example`,
        'Server:         198.51.100.53',
        'Address:        198.51.100.53#53',
        '',
        'Non-authoritative answer:',
        'smtp.beta.example       canonical name = mx1.beta.example.',
        'Name:   mx1.beta.example',
        'Address: 203.0.113.25',
        '',
        `${P} nslookup -query=TXT beta.example`,
        'Server:         198.51.100.53',
        'Address:        198.51.100.53#53',
        '',
        'Non-authoritative answer:',
        'beta.example    text = "v=spf1 mx -all"',
        '',
        `${P} nslookup 203.0.113.25`,
        'Server:         198.51.100.53',
        'Address:        198.51.100.53#53',
        '',
        'Non-authoritative answer:',
        '25.113.0.203.in-addr.arpa       name = mx1.beta.example.',
        '',
        P,
      ),
    );
  });

  it('reports NXDOMAIN, no answer, SERVFAIL and silence as nslookup does', () => {
    expect(run('nslookup nosuch.example; echo $?\nnslookup beta.example\n')).toBe(
      screen(
        `${P} nslookup nosuch.example; echo $?`,
        'Server:         198.51.100.53',
        'Address:        198.51.100.53#53',
        '',
        "** server can't find nosuch.example: NXDOMAIN",
        '',
        '1',
        `${P} nslookup beta.example`,
        'Server:         198.51.100.53',
        'Address:        198.51.100.53#53',
        '',
        "*** Can't find beta.example: No answer",
        '',
        P,
      ),
    );
    expect(run('nslookup -type=MX beta.example\n', servfail())).toContain(
      "** server can't find beta.example: SERVFAIL\n",
    );
    expect(run('nslookup mx1.beta.example\n', nameServerDown())).toBe(
      screen(
        `${P} nslookup mx1.beta.example`,
        ';; communications error to 198.51.100.53#53: timed out',
        ';; communications error to 198.51.100.53#53: timed out',
        ';; no servers could be reached',
        '',
        P,
      ),
    );
  });

  it('is interactive without a name: set type=, lookups, exit', () => {
    expect(run(['nslookup', 'set type=mx', 'alpha.example', 'exit', 'echo back'])).toBe(
      screen(
        `${P} nslookup`,
        '> set type=mx',
        '> alpha.example',
        'Server:         198.51.100.53',
        'Address:        198.51.100.53#53',
        '',
        'Non-authoritative answer:',
        'alpha.example   mail exchanger = 10 mail.alpha.example.',
        '',
        '> exit',
        `${P} echo back`,
        'back',
        P,
      ),
    );
  });
});
