import { describe, expect, it } from 'vitest';
import type { RealTime } from '../../../src/shell/program';
import { lab, run, screen, terminal } from './support';

const P = 'alice@laptop:~$';

describe('ping', () => {
  it('pings with -c, with the link latency as round-trip time and iputils’ summary', () => {
    expect(run(['ping -c 2 mx1.beta.example', 'ping -c 1 -q 192.0.2.25'])).toBe(
      screen(
        `${P} ping -c 2 mx1.beta.example`,
        'PING mx1.beta.example (203.0.113.25) 56(84) bytes of data.',
        '64 bytes from mx1.beta.example (203.0.113.25): icmp_seq=1 ttl=64 time=20.0 ms',
        '64 bytes from mx1.beta.example (203.0.113.25): icmp_seq=2 ttl=64 time=20.0 ms',
        '',
        '--- mx1.beta.example ping statistics ---',
        '2 packets transmitted, 2 received, 0% packet loss, time 1000ms',
        'rtt min/avg/max/mdev = 20.000/20.000/20.000/0.000 ms',
        `${P} ping -c 1 -q 192.0.2.25`,
        'PING 192.0.2.25 (192.0.2.25) 56(84) bytes of data.',
        '',
        '--- 192.0.2.25 ping statistics ---',
        '1 packets transmitted, 1 received, 0% packet loss, time 0ms',
        'rtt min/avg/max/mdev = 20.000/20.000/20.000/0.000 ms',
        P,
      ),
    );
  });

  it('uses the scenario’s link latency', () => {
    const out = run(
      'ping -c 1 mx1.beta.example\n',
      lab({ links: [{ a: 'laptop.alpha.example', b: 'mx1.beta.example', latencyMs: 120 }] }),
    );
    expect(out).toContain('icmp_seq=1 ttl=64 time=240 ms\n');
  });

  it('stops after 4 in a script when no -c is given', () => {
    const out = run('ping mail.alpha.example\n');
    expect(out.match(/icmp_seq=/g)).toHaveLength(4);
    expect(out).toContain('4 packets transmitted, 4 received, 0% packet loss, time 3000ms\n');
  });

  it('waits for a down host, then reports the loss and exits 1', () => {
    const down = lab({ faults: [{ type: 'host-down', host: 'mx2.beta.example' }] });
    expect(run(['ping -c 2 mx2.beta.example; echo $?', 'date'], down)).toBe(
      screen(
        `${P} ping -c 2 mx2.beta.example; echo $?`,
        'PING mx2.beta.example (203.0.113.26) 56(84) bytes of data.',
        '',
        '--- mx2.beta.example ping statistics ---',
        '2 packets transmitted, 0 received, 100% packet loss, time 1000ms',
        '1',
        `${P} date`,
        'Mon Jan  5 09:00:11 UTC 2026',
        P,
      ),
    );
  });

  it('resolves through /etc/hosts first, and says what ping says about bad input', () => {
    expect(
      run([
        'ping -c 1 -n localhost',
        'ping -c 1 laptop',
        'ping -c 1 nosuch.example; echo $?',
        'ping',
        'ping -c x mx1',
        'ping -z mx1',
      ]),
    ).toBe(
      screen(
        `${P} ping -c 1 -n localhost`,
        'PING localhost (127.0.0.1) 56(84) bytes of data.',
        '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.040 ms',
        '',
        '--- localhost ping statistics ---',
        '1 packets transmitted, 1 received, 0% packet loss, time 0ms',
        'rtt min/avg/max/mdev = 0.040/0.040/0.040/0.000 ms',
        `${P} ping -c 1 laptop`,
        'PING laptop (192.0.2.10) 56(84) bytes of data.',
        '64 bytes from laptop.alpha.example (192.0.2.10): icmp_seq=1 ttl=64 time=0.040 ms',
        '',
        '--- laptop ping statistics ---',
        '1 packets transmitted, 1 received, 0% packet loss, time 0ms',
        'rtt min/avg/max/mdev = 0.040/0.040/0.040/0.000 ms',
        `${P} ping -c 1 nosuch.example; echo $?`,
        'ping: nosuch.example: Name or service not known',
        '2',
        `${P} ping`,
        'ping: usage error: Destination address required',
        `${P} ping -c x mx1`,
        "ping: invalid argument: 'x'",
        `${P} ping -z mx1`,
        "ping: invalid option -- 'z'",
        P,
      ),
    );
  });

  it('runs until Ctrl-C in a live terminal, paced by its clock', () => {
    const pending: { run: () => void; cancelled: boolean }[] = [];
    const realTime: RealTime = {
      after: (_ms, run) => {
        const timer = { run, cancelled: false };
        pending.push(timer);
        return { cancel: () => void (timer.cancelled = true) };
      },
    };
    const { session, screen: view } = terminal('laptop.alpha.example', { realTime });
    session.type('ping mx1.beta.example');
    for (let i = 0; i < 2; i++) pending.shift()!.run();
    session.input('\x03');
    expect(pending.every((t) => t.cancelled)).toBe(true);
    expect(view.text()).toBe(
      [
        `${P} ping mx1.beta.example`,
        'PING mx1.beta.example (203.0.113.25) 56(84) bytes of data.',
        '64 bytes from mx1.beta.example (203.0.113.25): icmp_seq=1 ttl=64 time=20.0 ms',
        '64 bytes from mx1.beta.example (203.0.113.25): icmp_seq=2 ttl=64 time=20.0 ms',
        '64 bytes from mx1.beta.example (203.0.113.25): icmp_seq=3 ttl=64 time=20.0 ms',
        '^C',
        '--- mx1.beta.example ping statistics ---',
        '3 packets transmitted, 3 received, 0% packet loss, time 2000ms',
        'rtt min/avg/max/mdev = 20.000/20.000/20.000/0.000 ms',
        `${P}`,
      ].join('\n'),
    );
  });
});

describe('ip, hostname, whoami', () => {
  it('shows the host’s addresses in iproute2’s format', () => {
    expect(run(['ip addr', 'ip -4 a', 'ip -br addr', 'ip route', 'ip link', 'ip'])).toBe(
      screen(
        `${P} ip addr`,
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '    inet 127.0.0.1/8 scope host lo',
        '       valid_lft forever preferred_lft forever',
        '    inet6 ::1/128 scope host noprefixroute',
        '       valid_lft forever preferred_lft forever',
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
        '    link/ether 52:54:00:00:02:0a brd ff:ff:ff:ff:ff:ff',
        '    inet 192.0.2.10/24 brd 192.0.2.255 scope global eth0',
        '       valid_lft forever preferred_lft forever',
        '    inet6 fe80::5054:ff:fe00:20a/64 scope link',
        '       valid_lft forever preferred_lft forever',
        `${P} ip -4 a`,
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '    inet 127.0.0.1/8 scope host lo',
        '       valid_lft forever preferred_lft forever',
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
        '    link/ether 52:54:00:00:02:0a brd ff:ff:ff:ff:ff:ff',
        '    inet 192.0.2.10/24 brd 192.0.2.255 scope global eth0',
        '       valid_lft forever preferred_lft forever',
        `${P} ip -br addr`,
        'lo               UNKNOWN        127.0.0.1/8 ::1/128',
        'eth0             UP             192.0.2.10/24 fe80::5054:ff:fe00:20a/64',
        `${P} ip route`,
        'default via 192.0.2.1 dev eth0 onlink',
        '192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.10',
        `${P} ip link`,
        'Object "link" is unknown, try "ip help".',
        `${P} ip`,
        'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }',
        'where  OBJECT := { address | route | ... }',
        '       OPTIONS := { -4 | -6 | -br[ief] }',
        P,
      ),
    );
  });

  it('shows one interface when named, and says when there is no such device', () => {
    expect(run(['ip -br a s dev lo', 'ip addr show eth1; echo $?'])).toBe(
      screen(
        `${P} ip -br a s dev lo`,
        'lo               UNKNOWN        127.0.0.1/8 ::1/128',
        `${P} ip addr show eth1; echo $?`,
        'Device "eth1" does not exist.',
        '1',
        P,
      ),
    );
  });

  it('names the host and the user', () => {
    expect(
      run([
        'hostname; hostname -f; hostname -d; hostname -i; hostname -I',
        'whoami',
        'hostname new',
        'whoami x',
        '#! host mx1.beta.example',
        'whoami; hostname',
      ]),
    ).toBe(
      screen(
        `${P} hostname; hostname -f; hostname -d; hostname -i; hostname -I`,
        'laptop',
        'laptop.alpha.example',
        'alpha.example',
        '192.0.2.10',
        '192.0.2.10',
        `${P} whoami`,
        'alice',
        `${P} hostname new`,
        'hostname: you must be root to change the host name',
        `${P} whoami x`,
        'whoami: extra operand ‘x’',
        "Try 'whoami --help' for more information.",
        P,
        '== mx1.beta.example ==',
        'root@mx1:~# whoami; hostname',
        'root',
        'mx1',
        'root@mx1:~#',
      ),
    );
  });
});

describe('date and sleep', () => {
  it('prints virtual time as GNU date does, and sleep advances it', () => {
    expect(
      run([
        "date; date -R; date -u -Iseconds; date +'%F %T %s'",
        'sleep 90',
        'date',
        'sleep 1m 30 .5; date +%T.%N',
        'sleep 2h; date',
        'sleep',
        'sleep 5x',
        'date -x',
        'date now',
      ]),
    ).toBe(
      screen(
        `${P} date; date -R; date -u -Iseconds; date +'%F %T %s'`,
        'Mon Jan  5 09:00:00 UTC 2026',
        'Mon, 05 Jan 2026 09:00:00 +0000',
        '2026-01-05T09:00:00+00:00',
        '2026-01-05 09:00:00 1767603600',
        `${P} sleep 90`,
        `${P} date`,
        'Mon Jan  5 09:01:30 UTC 2026',
        `${P} sleep 1m 30 .5; date +%T.%N`,
        '09:03:00.500000000',
        `${P} sleep 2h; date`,
        'Mon Jan  5 11:03:00 UTC 2026',
        `${P} sleep`,
        'sleep: missing operand',
        "Try 'sleep --help' for more information.",
        `${P} sleep 5x`,
        'sleep: invalid time interval ‘5x’',
        "Try 'sleep --help' for more information.",
        `${P} date -x`,
        "date: invalid option -- 'x'",
        "Try 'date --help' for more information.",
        `${P} date now`,
        'date: invalid date ‘now’',
        P,
      ),
    );
  });

  it('lets the world run while it sleeps', () => {
    const l = lab();
    run('sleep 10m\n', l);
    expect(l.world.clock.now).toBe(600_000);
  });
});
