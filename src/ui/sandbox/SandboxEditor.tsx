/**
 * The scenario sandbox: a form over a scenario (hosts and their SMTP ports, domains and
 * their MX records, users, more DNS records, links, faults), starting from a built-in
 * world or the lab's own, checked by the engine's schema as it is edited (each problem
 * beside its field), and "Start world" to restart the lab in it. A modal dialog: Escape
 * or Close leaves it; every control is a labelled native one.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { FAULT_STEPS } from '../../engine/smtp/server';
import { DOC_FORMAT } from '../../store/doc';
import { trapTab } from '../a11y/trapTab';
import { firstHost, useLab } from '../../store/labStore';
import { scenarioCatalogue } from '../../store/scenarios';
import { download, fileName } from '../export/exports';
import {
  addTo,
  check,
  draftFrom,
  draftOfBuiltIn,
  getIn,
  removeFrom,
  setIn,
  unusedName,
  type Draft,
} from './draft';
import { Choice, EditContext, fieldId, Flag, Names, Num, Text, type Editing } from './fields';
import { ItemList, type Item } from './ItemList';
import './sandbox.css';

const ROLES = [
  ['workstation', 'workstation (a terminal with a mail client)'],
  ['msa', 'msa (submission and outbound relay)'],
  ['mx', 'mx (receives mail for domains)'],
  ['dns', 'dns (the name server)'],
] as const;
const KINDS = [
  ['', 'by port (25 mx, 587 submission, 465 submissions)'],
  ['mx', 'mx'],
  ['submission', 'submission'],
  ['submissions', 'submissions (implicit TLS)'],
] as const;
const STEPS = FAULT_STEPS.map((s) => [s, s] as const);
const RECORD_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME'] as const;
const FAULT_TYPES = [
  ['host-down', 'host down'],
  ['dns-servfail', 'DNS SERVFAIL for a name'],
  ['disk-full', 'disk full (queue has no room)'],
] as const;

function recordOf(type: string, name: string): Item {
  switch (type) {
    case 'MX':
      return { type, name, preference: 10, value: '' };
    case 'A':
      return { type, name, value: '192.0.2.1' };
    case 'AAAA':
      return { type, name, value: '2001:db8::1' };
    default:
      return { type, name, value: '' };
  }
}

function faultOf(type: string, host: string): Item {
  if (type === 'dns-servfail') return { type, name: host };
  if (type === 'disk-full') return { type, host, freeBytes: 0 };
  return { type, host };
}

const list = (value: unknown): Item[] => (Array.isArray(value) ? (value as Item[]) : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export default function SandboxEditor({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  const focusNext = useRef<string | undefined>(undefined);
  const lab = useLab.getState();
  const catalogue = scenarioCatalogue();
  const [base, setBase] = useState(lab.custom ? '' : lab.scenario);
  const [draft, setDraft] = useState<Draft>(() =>
    lab.custom ? draftFrom(lab.custom) : draftOfBuiltIn(lab.scenario),
  );
  const [startError, setStartError] = useState<string>();
  const [tried, setTried] = useState(false);
  const result = useMemo(() => check(draft), [draft]);
  const problems = useMemo(() => (result.ok ? [] : result.problems), [result]);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  useEffect(() => {
    if (focusNext.current) document.getElementById(focusNext.current)?.focus();
    focusNext.current = undefined;
  });

  const editing: Editing = {
    problems,
    set: (path, value) => setDraft((d) => setIn(d, path, value)),
    add: (path, item, first) => {
      const index = list(getIn(draft, path)).length;
      focusNext.current = fieldId([...path, index, first]);
      setDraft((d) => addTo(d, path, item));
    },
    remove: (path, index) => setDraft((d) => removeFrom(d, path, index)),
  };
  const { add, remove } = editing;

  const startFrom = () => {
    setDraft(lab.custom && base === '' ? draftFrom(lab.custom) : draftOfBuiltIn(base || 'default'));
    setTried(false);
    setStartError(undefined);
  };

  const start = () => {
    setTried(true);
    if (!result.ok) {
      summary.current?.focus();
      return;
    }
    const scenario = result.scenario;
    const error = useLab.getState().load(
      {
        format: DOC_FORMAT,
        scenario,
        inputs: [{ t: 0, host: firstHost(scenario), data: '' }],
      },
      'end',
    );
    if (error) setStartError(error);
    else dialog.current?.close();
  };

  const hosts = list(draft.hosts);
  const hostNames = hosts.map((h) => str(h.name));
  const domains = list(draft.domains);
  const users = list(draft.users);
  const records = list(draft.records);
  const links = list(draft.links);
  const faults = list(draft.faults);

  return (
    <dialog
      ref={dialog}
      className="sandbox"
      aria-labelledby="sandbox-title"
      onClose={onClose}
      onKeyDown={trapTab}
      data-testid="sandbox"
    >
      <EditContext.Provider value={editing}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            start();
          }}
        >
          <header className="sb-header">
            <h2 id="sandbox-title">Scenario sandbox</h2>
            <p className="muted">
              Change the world, then <strong>Start world</strong>: the lab restarts in it (what was
              typed is dropped). Problems are shown beside their fields as you edit.
            </p>
            <button type="button" onClick={() => dialog.current?.close()}>
              Close
            </button>
          </header>

          <datalist id="sb-host-names">
            {hostNames.map((n, i) => (
              <option key={i} value={n} />
            ))}
          </datalist>

          <fieldset className="sb-section">
            <legend>World</legend>
            <div className="sb-row">
              <div className="sb-field">
                <label htmlFor="sb-base">Start from</label>
                <select id="sb-base" value={base} onChange={(e) => setBase(e.target.value)}>
                  {lab.custom && <option value="">this lab’s own scenario ({lab.scenario})</option>}
                  {catalogue.map((s) => (
                    <option key={s.name} value={s.name}>
                      {s.title} ({s.name})
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" onClick={startFrom} data-testid="sb-start-from">
                Load it (drops the edits)
              </button>
            </div>
            <div className="sb-row">
              <Text path={['name']} label="Name" value={draft.name} />
              <Text path={['description']} label="Description" value={draft.description} />
              <Num path={['seed']} label="Seed" value={draft.seed} optional />
            </div>
          </fieldset>

          <fieldset className="sb-section">
            <legend>Hosts</legend>
            {hosts.map((host, i) => {
              const at = ['hosts', i];
              const services = list(host.smtp);
              return (
                <fieldset key={i} className="sb-item">
                  <legend>{str(host.name) || `host ${i + 1}`}</legend>
                  <div className="sb-row">
                    <Text path={[...at, 'name']} label="Name" value={host.name} />
                    <Text path={[...at, 'address']} label="IPv4 address" value={host.address} />
                    <Choice path={[...at, 'role']} label="Role" value={host.role} options={ROLES} />
                    <Flag path={[...at, 'up']} label="Up (untick: down)" value={host.up} />
                    <Text path={[...at, 'user']} label="Terminal user" value={host.user} optional />
                  </div>
                  <div className="sb-row">
                    <Names
                      path={[...at, 'localDomains']}
                      label="Delivers mail for (domains)"
                      value={host.localDomains}
                    />
                    <Names
                      path={[...at, 'relayDomains']}
                      label="Relays mail for (domains, backup MX)"
                      value={host.relayDomains}
                    />
                  </div>
                  {services.map((service, j) => {
                    const sat = [...at, 'smtp', j];
                    return (
                      <fieldset key={j} className="sb-item sb-service">
                        <legend>SMTP port {String(service.port ?? '?')}</legend>
                        <div className="sb-row">
                          <Num path={[...sat, 'port']} label="Port" value={service.port} />
                          <Choice
                            path={[...sat, 'kind']}
                            label="Kind"
                            value={service.kind}
                            options={KINDS}
                          />
                          <button
                            type="button"
                            onClick={() => remove([...at, 'smtp'], j)}
                            aria-label={`Close this port (${String(service.port)}) on ${str(host.name)}`}
                          >
                            Close this port
                          </button>
                        </div>
                        <ItemList
                          path={[...sat, 'faults']}
                          items={list(service.faults)}
                          sub
                          fields={(fault, fat) => (
                            <>
                              <Choice
                                path={[...fat, 'step']}
                                label="Reply fault at step"
                                value={fault.step}
                                options={STEPS}
                              />
                              <Text
                                path={[...fat, 'reply']}
                                label="Reply"
                                value={fault.reply}
                                placeholder="451 4.3.0 Try again later"
                              />
                              <Num
                                path={[...fat, 'times']}
                                label="Times (empty: always)"
                                value={fault.times}
                                optional
                              />
                            </>
                          )}
                          removeLabel={(_, k) =>
                            `Remove reply fault ${k + 1} on port ${String(service.port)} of ${str(host.name)}`
                          }
                          add={{
                            text: `Add a reply fault on port ${String(service.port ?? '?')}`,
                            item: { step: 'RCPT', reply: '451 4.3.0 Try again later', times: 1 },
                            first: 'step',
                          }}
                        />
                      </fieldset>
                    );
                  })}
                  <div className="sb-actions">
                    <button
                      type="button"
                      onClick={() => add([...at, 'smtp'], { port: 25 }, 'port')}
                      aria-label={`Open an SMTP port on ${str(host.name)}`}
                    >
                      Open an SMTP port
                    </button>
                    <button
                      type="button"
                      onClick={() => remove(['hosts'], i)}
                      aria-label={`Remove host ${str(host.name)}`}
                    >
                      Remove host
                    </button>
                  </div>
                </fieldset>
              );
            })}
            <button
              type="button"
              data-testid="sb-add-host"
              onClick={() =>
                add(
                  ['hosts'],
                  {
                    name: unusedName(hostNames, (n) => `host${n}.example`),
                    address: `192.0.2.${100 + hosts.length}`,
                    role: 'mx',
                    smtp: [{ port: 25 }],
                  },
                  'name',
                )
              }
            >
              Add a host
            </button>
          </fieldset>

          <fieldset className="sb-section">
            <legend>Domains and their MX records</legend>
            {domains.map((domain, i) => {
              const at = ['domains', i];
              const mx = list(domain.mx);
              return (
                <fieldset key={i} className="sb-item">
                  <legend>{str(domain.name) || `domain ${i + 1}`}</legend>
                  <div className="sb-row">
                    <Text path={[...at, 'name']} label="Domain" value={domain.name} />
                    <button
                      type="button"
                      onClick={() => remove(['domains'], i)}
                      aria-label={`Remove domain ${str(domain.name)}`}
                    >
                      Remove domain
                    </button>
                  </div>
                  <ItemList
                    path={[...at, 'mx']}
                    items={mx}
                    sub
                    fields={(record, rat) => (
                      <>
                        <Num
                          path={[...rat, 'preference']}
                          label="MX preference"
                          value={record.preference}
                        />
                        <Text
                          path={[...rat, 'host']}
                          label="MX host"
                          value={record.host}
                          list="sb-host-names"
                        />
                      </>
                    )}
                    removeLabel={(record) => `Remove MX ${str(record.host)} of ${str(domain.name)}`}
                    add={{
                      text: 'Add an MX record',
                      item: { preference: 10 * (mx.length + 1), host: '' },
                      first: 'preference',
                      label: `Add an MX record to ${str(domain.name)}`,
                    }}
                  />
                </fieldset>
              );
            })}
            <button
              type="button"
              data-testid="sb-add-domain"
              onClick={() =>
                add(
                  ['domains'],
                  {
                    name: unusedName(
                      domains.map((d) => str(d.name)),
                      (n) => `domain${n}.example`,
                    ),
                    mx: [],
                  },
                  'name',
                )
              }
            >
              Add a domain
            </button>
          </fieldset>

          <fieldset className="sb-section">
            <legend>Users (mailboxes)</legend>
            <ItemList
              path={['users']}
              items={users}
              fields={(user, at) => (
                <>
                  <Text path={[...at, 'address']} label="Address" value={user.address} />
                  <Text
                    path={[...at, 'mailHost']}
                    label="Mailbox on host"
                    value={user.mailHost}
                    list="sb-host-names"
                  />
                  <Text
                    path={[...at, 'password']}
                    label="Password (SMTP AUTH)"
                    value={user.password}
                    optional
                  />
                  <Num
                    path={[...at, 'quotaBytes']}
                    label="Quota (octets)"
                    value={user.quotaBytes}
                    optional
                  />
                </>
              )}
              removeLabel={(user) => `Remove user ${str(user.address)}`}
              add={{
                text: 'Add a user',
                item: { address: '', mailHost: hostNames.find((n) => n) ?? '' },
                first: 'address',
                testId: 'sb-add-user',
              }}
            />
          </fieldset>

          <fieldset className="sb-section">
            <legend>More DNS records</legend>
            <p className="muted">
              Every host gets an A (and PTR) record and every domain its MX records; add others here
              (an MX of "." is a null MX, RFC 7505).
            </p>
            <ItemList
              path={['records']}
              items={records}
              fields={(record, at) => (
                <>
                  <Choice
                    path={[...at, 'type']}
                    label="Type"
                    value={record.type}
                    options={RECORD_TYPES.map((t) => [t, t] as const)}
                    onChoose={(type) =>
                      setDraft((d) => setIn(d, at, recordOf(type, str(record.name))))
                    }
                  />
                  <Text path={[...at, 'name']} label="Name" value={record.name} />
                  {record.type === 'MX' && (
                    <Num
                      path={[...at, 'preference']}
                      label="Preference"
                      value={record.preference}
                    />
                  )}
                  <Text path={[...at, 'value']} label="Value" value={record.value} />
                  <Num path={[...at, 'ttl']} label="TTL (s)" value={record.ttl} optional />
                </>
              )}
              removeLabel={(_, i) => `Remove DNS record ${i + 1}`}
              add={{
                text: 'Add a DNS record',
                item: recordOf('MX', ''),
                first: 'type',
                testId: 'sb-add-record',
              }}
            />
          </fieldset>

          <fieldset className="sb-section">
            <legend>Network links (latency and loss)</legend>
            <ItemList
              path={['links']}
              items={links}
              fields={(link, at) => (
                <>
                  <Text path={[...at, 'a']} label="Between" value={link.a} list="sb-host-names" />
                  <Text path={[...at, 'b']} label="and" value={link.b} list="sb-host-names" />
                  <Num
                    path={[...at, 'latencyMs']}
                    label="Latency (ms, one way)"
                    value={link.latencyMs}
                  />
                  <Num
                    path={[...at, 'lossPercent']}
                    label="Loss (%)"
                    value={link.lossPercent}
                    optional
                  />
                </>
              )}
              removeLabel={(_, i) => `Remove link ${i + 1}`}
              add={{
                text: 'Add a link',
                item: {
                  a: hostNames[0] ?? '',
                  b: hostNames[1] ?? '',
                  latencyMs: 100,
                  lossPercent: 0,
                },
                first: 'a',
              }}
            />
          </fieldset>

          <fieldset className="sb-section">
            <legend>Faults</legend>
            <ItemList
              path={['faults']}
              items={faults}
              fields={(fault, at) => (
                <>
                  <Choice
                    path={[...at, 'type']}
                    label="Fault"
                    value={fault.type}
                    options={FAULT_TYPES}
                    onChoose={(type) =>
                      setDraft((d) => setIn(d, at, faultOf(type, str(fault.host ?? fault.name))))
                    }
                  />
                  {fault.type === 'dns-servfail' ? (
                    <Text path={[...at, 'name']} label="Name" value={fault.name} />
                  ) : (
                    <Text
                      path={[...at, 'host']}
                      label="Host"
                      value={fault.host}
                      list="sb-host-names"
                    />
                  )}
                  {fault.type === 'host-down' && (
                    <Num
                      path={[...at, 'forMinutes']}
                      label="For minutes (empty: for good)"
                      value={fault.forMinutes}
                      optional
                    />
                  )}
                  {fault.type === 'disk-full' && (
                    <Num path={[...at, 'freeBytes']} label="Free octets" value={fault.freeBytes} />
                  )}
                </>
              )}
              removeLabel={(_, i) => `Remove fault ${i + 1}`}
              add={{
                text: 'Add a fault',
                item: faultOf('host-down', hostNames[0] ?? ''),
                first: 'type',
                testId: 'sb-add-fault',
              }}
            />
          </fieldset>

          <footer className="sb-footer">
            <div
              ref={summary}
              tabIndex={-1}
              className="sb-summary"
              role="status"
              data-testid="sb-summary"
            >
              {problems.length === 0 ? (
                <p>The scenario is valid.</p>
              ) : (
                <>
                  <p className={tried ? 'error-text' : ''}>
                    {problems.length} problem{problems.length > 1 ? 's' : ''} to fix before the
                    world can start:
                  </p>
                  <ul>
                    {problems.map((p, i) => (
                      <li key={i}>
                        <button
                          type="button"
                          className="link"
                          onClick={() => document.getElementById(`sb-${p.path}`)?.focus()}
                        >
                          {p.path || 'scenario'}: {p.message}
                        </button>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {startError && <p className="error-text">{startError}</p>}
            </div>
            <div className="sb-actions">
              <button
                type="button"
                disabled={!result.ok}
                onClick={() =>
                  result.ok &&
                  download(
                    fileName(result.scenario.name) + '.json',
                    JSON.stringify(result.scenario, null, 2) + '\n',
                    'application/json',
                  )
                }
                title="The scenario as a file, for lab run --scenario FILE.json"
              >
                Download scenario (.json)
              </button>
              <button type="submit" className="primary" data-testid="sb-start">
                Start world
              </button>
            </div>
          </footer>
        </form>
      </EditContext.Provider>
    </dialog>
  );
}
