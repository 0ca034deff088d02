/** The default world of DESIGN.md: alice at alpha.example writes to bob at beta.example. */
import type { ScenarioInput } from './schema';

export const defaultScenario: ScenarioInput = {
  name: 'default',
  description: 'alice@alpha.example and bob@beta.example, with a primary and a backup MX.',
  seed: 1,
  hosts: [
    { name: 'laptop.alpha.example', address: '192.0.2.10', role: 'workstation', user: 'alice' },
    {
      name: 'mail.alpha.example',
      address: '192.0.2.25',
      role: 'msa',
      // MX for alpha.example on 25; submission with AUTH PLAIN LOGIN, STARTTLS offered, on
      // 587 (RFC 6409); the same over implicit TLS on 465 (RFC 8314).
      smtp: [
        { port: 25, kind: 'mx' },
        { port: 587, kind: 'submission' },
        { port: 465, kind: 'submissions' },
      ],
      localDomains: ['alpha.example'],
    },
    { name: 'ns.example', address: '198.51.100.53', role: 'dns' },
    {
      name: 'mx1.beta.example',
      address: '203.0.113.25',
      role: 'mx',
      smtp: [{ port: 25 }],
      localDomains: ['beta.example'],
    },
    {
      name: 'mx2.beta.example',
      address: '203.0.113.26',
      role: 'mx',
      smtp: [{ port: 25 }],
      relayDomains: ['beta.example'],
    },
  ],
  domains: [
    { name: 'alpha.example', mx: [{ preference: 10, host: 'mail.alpha.example' }] },
    {
      name: 'beta.example',
      mx: [
        { preference: 10, host: 'mx1.beta.example' },
        { preference: 20, host: 'mx2.beta.example' },
      ],
    },
  ],
  users: [
    { address: 'alice@alpha.example', password: 'wonderland', mailHost: 'mail.alpha.example' },
    { address: 'postmaster@alpha.example', mailHost: 'mail.alpha.example' },
    { address: 'bob@beta.example', mailHost: 'mx1.beta.example' },
    { address: 'carol@beta.example', mailHost: 'mx1.beta.example' },
    { address: 'postmaster@beta.example', mailHost: 'mx1.beta.example' },
  ],
};
