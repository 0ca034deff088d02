/**
 * Presenter mode at 1280×720, driven with the keyboard only: a demo opened by its link
 * (?present=bounce), captions advanced with N, the terminal typing each command key by key
 * until the reply codes appear and the topology's tokens travel, pause and play, stepping
 * back, text size, panels, the `?` overlay (a modal dialog that keeps the focus, closed
 * with Esc), keys typed into the terminal staying there while Ctrl+Alt+N still advances,
 * and the text size and panels remembered across visits.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch } from './browser';
import { inLab } from './lab';

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const PRESENTER = '[data-testid=presenter]';

/** The presenter terminal's text, one line per row, trailing blanks trimmed. */
async function screenText(): Promise<string> {
  return page.$$eval('[data-testid=presenter-terminal] .xterm-rows > div', (rows) =>
    rows
      .map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
      .join('\n')
      .trimEnd(),
  );
}

/** The same with the rows joined up: a long line wraps on the narrow screen. */
async function flat(): Promise<string> {
  return (await screenText()).replace(/\n/g, '');
}

const attr = (name: string) => page.getAttribute(PRESENTER, name);
const caption = () => page.textContent('[data-testid=presenter-caption]');
const now = () => inLab(page, (lab) => lab.runtime().now);
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      inDialog: !!el?.closest('dialog'),
      inTerminal: !!el?.closest('[data-testid=presenter-terminal]'),
      testId: el?.getAttribute('data-testid') ?? el?.tagName ?? '',
    };
  });

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  const url = new URL(inject('baseURL'));
  url.searchParams.set('present', 'bounce');
  url.searchParams.set('hooks', '');
  await page.goto(url.toString());
  await page.waitForSelector(`${PRESENTER}[data-demo=bounce]`);
  await page.waitForFunction(() =>
    document
      .querySelector('[data-testid=presenter-terminal] .xterm-rows')
      ?.textContent?.includes('alice@laptop'),
  );
});

afterAll(async () => {
  await browser?.close();
});

describe('presenter mode', () => {
  it('opens the demo of the link over the whole page, in large type', async () => {
    expect(await caption()).toContain('A bounce: the recipient does not exist');
    expect(await caption()).toContain('N: begin');
    // The terminal's text is large (22 px at zoom 1), and the page behind is out of reach.
    const size = await page.$eval('[data-testid=presenter-terminal] .xterm-rows', (el) =>
      parseFloat(getComputedStyle(el).fontSize),
    );
    expect(size).toBeGreaterThanOrEqual(20);
    // Its input is labelled like the workspace's terminal.
    expect(await page.getAttribute('[data-testid=presenter-terminal] textarea', 'aria-label')).toBe(
      'Terminal on laptop.alpha.example',
    );
    expect(await page.getAttribute('#root', 'inert')).toBe('');
    const box = await page.$eval(PRESENTER, (el) => el.getBoundingClientRect().toJSON());
    expect(box).toMatchObject({ x: 0, y: 0, width: 1280, height: 720 });
    // Its topology: big boxes for the scenario's hosts.
    await page.waitForSelector('[data-testid=presenter-topology] g[data-host="mx1.beta.example"]');
    // The focus starts on the controls, where single keys are shortcuts.
    expect((await focused()).testId).toBe('presenter-next');
  });

  it('plays the first caption: the terminal types each command, the replies appear', async () => {
    // The topology's tokens from now on, as "kind from to".
    await page.$eval('[data-testid=presenter-topology]', (topology) => {
      const seen: string[] = [];
      (window as unknown as { __tokens: string[] }).__tokens = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          for (const n of r.addedNodes) {
            if (!(n instanceof HTMLElement) || !n.classList.contains('token')) continue;
            seen.push(`${n.dataset.kind} ${n.dataset.from} ${n.dataset.to}`);
          }
        }
      }).observe(topology, { childList: true, subtree: true });
    });
    await page.keyboard.press('n');
    await expect.poll(caption).toContain('carol has left beta.example');
    expect(await attr('data-caption')).toBe('0');
    // Typed key by key: a command is seen half-typed on the screen before it is whole.
    const seen: string[] = [];
    for (let i = 0; i < 200 && !seen.some((s) => s.includes('220 mx1')); i++) {
      seen.push((await screenText()).split('\n').at(-1) ?? '');
      await page.waitForTimeout(20);
    }
    const command = 'alice@laptop:~$ telnet mx1.beta.example 25';
    expect(
      seen.some((l) => l.startsWith('alice@laptop:~$ t') && command.startsWith(l) && l !== command),
    ).toBe(true);
    await expect
      .poll(flat, { timeout: 30_000 })
      .toMatch(/550 5\.1\.1 <carol@beta\.example>:\s*Recipient\s*address\s*rejected/);
    await expect.poll(() => attr('data-typing'), { timeout: 10_000 }).toBe('false');
    expect(await flat()).toMatch(/221 2\.0\.0 Bye.*alice@laptop:~\$$/);
    // Tokens went along the connection, drawn once seen, and back with the rejection.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __tokens: string[] }).__tokens))
      .toEqual(
        expect.arrayContaining([
          'submission laptop.alpha.example mx1.beta.example',
          'bounce mx1.beta.example laptop.alpha.example',
        ]),
      );
  });

  it('pauses and plays virtual time and the typing with K', async () => {
    await page.keyboard.press('n');
    await expect.poll(caption).toContain("alice's mail client does not talk to mx1");
    await expect.poll(screenText).toMatch(/alice@laptop:~\$ e[^\n]*$/);
    await page.keyboard.press('k');
    expect(await page.getAttribute('[data-testid=presenter-play]', 'aria-pressed')).toBe('false');
    await page.waitForTimeout(150); // the frame in flight
    const frozen = await screenText();
    const t = await now();
    await page.waitForTimeout(600);
    expect(await screenText()).toBe(frozen);
    expect(await now()).toBe(t);
    await page.keyboard.press('k');
    expect(await page.getAttribute('[data-testid=presenter-play]', 'aria-pressed')).toBe('true');
    // Faster (the speed control shows it), to the end of the caption.
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    expect(await page.inputValue('[data-testid=presenter-speed]')).toBe('4');
    await expect.poll(() => attr('data-typing'), { timeout: 20_000 }).toBe('false');
    expect(await flat()).toMatch(/carol@beta\.example\s*alice@laptop:~\$$/);
  });

  it('steps back in time with J, and back to the start of the caption with B', async () => {
    const before = await now();
    await page.keyboard.press('j');
    await expect.poll(now).toBeLessThan(before);
    expect(await page.getAttribute('[data-testid=presenter-play]', 'aria-pressed')).toBe('false');
    await page.keyboard.press('b');
    // The world as it was when the caption began: its command is not typed yet.
    await expect.poll(flat).toMatch(/Connection closed by foreign host\.\s*alice@laptop:~\$$/);
    expect(await attr('data-next')).toBe('1');
    expect(await caption()).toContain("alice's mail client does not talk to mx1");
    // N types it again, and goes on to the next caption on the mail server.
    await page.keyboard.press('n');
    await expect.poll(() => attr('data-typing'), { timeout: 20_000 }).toBe('false');
    expect(await flat()).toMatch(/carol@beta\.example\s*alice@laptop:~\$$/);
    await page.keyboard.press('PageDown');
    await expect.poll(caption).toContain('the null sender MAIL FROM:<>');
    await expect.poll(flat, { timeout: 20_000 }).toMatch(/sender\s*non-delivery\s*notification/);
    expect(await page.textContent('.presenter-pane-title')).toBe('mail.alpha.example');
  });

  it('lists the shortcuts in a modal dialog that keeps the focus and closes with Esc', async () => {
    await page.keyboard.press('?');
    const dialog = page.locator('[data-testid=presenter-help-dialog]');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    expect(await dialog.textContent()).toContain('Ctrl');
    expect(await dialog.textContent()).toContain('next caption');
    for (let i = 0; i < 5; i++) {
      expect((await focused()).inDialog).toBe(true);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).inDialog).toBe(true);
    // Shortcuts do not act behind it.
    const next = await attr('data-next');
    await page.keyboard.press('n');
    expect(await attr('data-next')).toBe(next);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await focused()).testId).toBe('presenter-next');
  });

  it('zooms the text and toggles the panels', async () => {
    const fontSize = () => page.getAttribute('[data-testid=presenter-terminal]', 'data-font-size');
    expect(await fontSize()).toBe('22');
    await page.keyboard.press('+');
    await expect.poll(fontSize).toBe('25');
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await expect.poll(fontSize).toBe('20');
    await page.keyboard.press('0');
    await expect.poll(fontSize).toBe('22');
    await page.keyboard.press('2');
    await expect.poll(() => page.$('[data-testid=presenter-topology]')).toBeNull();
    await page.keyboard.press('2');
    await page.waitForSelector('[data-testid=presenter-topology]');
    await page.keyboard.press('3');
    await expect.poll(() => page.$('[data-testid=presenter-caption]')).toBeNull();
    await page.keyboard.press('3');
    await page.waitForSelector('[data-testid=presenter-caption]');
  });

  it('leaves keys typed in the terminal to it; Ctrl+Alt+N still advances', async () => {
    const next = await attr('data-next');
    await page.keyboard.press('f');
    expect((await focused()).inTerminal).toBe(true);
    await page.keyboard.type('n2k');
    await expect.poll(screenText).toMatch(/root@mail:~# n2k$/);
    expect(await attr('data-next')).toBe(next);
    expect(await page.$('[data-testid=presenter-topology]')).not.toBeNull();
    for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+Alt+n');
    await expect.poll(caption).toContain('alice finds the bounce in her mailbox');
    expect((await focused()).inTerminal).toBe(true);
    await expect.poll(flat, { timeout: 20_000 }).toMatch(/1 message 1 new.*MAILER-DAEMON/);
    // Ctrl+Alt+F takes the focus back out to the controls.
    await page.keyboard.press('Control+Alt+f');
    expect((await focused()).testId).toBe('presenter-next');
    expect(pageErrors).toEqual([]);
  });
});

describe('the Present button', () => {
  it('opens the list of demos; the one chosen goes into the address, Exit gives the lab back', async () => {
    const lab = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    lab.on('pageerror', (e) => pageErrors.push(e.message));
    await lab.goto(inject('baseURL'));
    await lab.waitForSelector('[data-testid=present]');
    await lab.focus('[data-testid=present]');
    await lab.keyboard.press('Enter');
    await lab.waitForSelector('.presenter-list');
    // The focus is on the first demo of the list; Tab goes to the next one.
    expect(await lab.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'presenter-choose-whole-delivery',
    );
    await lab.keyboard.press('Tab');
    await lab.keyboard.press('Enter');
    await lab.waitForSelector(`${PRESENTER}[data-demo=mx-fallback]`);
    const url = new URL(lab.url());
    expect(url.searchParams.get('present')).toBe('mx-fallback');
    expect(url.searchParams.get('scenario')).toBe('mx-fallback');
    expect(await lab.textContent('[data-testid=presenter-caption]')).toContain(
      'The primary MX is down',
    );
    await lab.focus('[data-testid=presenter-exit]');
    await lab.keyboard.press('Enter');
    await expect.poll(() => lab.$(PRESENTER)).toBeNull();
    expect(new URL(lab.url()).searchParams.has('present')).toBe(false);
    expect(await lab.getAttribute('#root', 'inert')).toBeNull();
    // The lab is the demo's world, usable again.
    expect(await lab.textContent('[data-testid=scenario-picker] option:checked')).toBe(
      'Primary MX down',
    );
    await lab.close();
    expect(pageErrors).toEqual([]);
  });
});

describe('the text size and panels', () => {
  const STORED = 'smtp-lab:presenter:v1';

  /** A new page (its own, empty storage) presenting the bounce demo. */
  async function present(init?: () => void) {
    const p = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    if (init) await p.addInitScript(init);
    const url = new URL(inject('baseURL'));
    url.searchParams.set('present', 'bounce');
    await p.goto(url.toString());
    await p.waitForSelector(`${PRESENTER}[data-demo=bounce] [data-testid=presenter-terminal]`);
    const fontSize = () => p.getAttribute('[data-testid=presenter-terminal]', 'data-font-size');
    const topology = () => p.$('[data-testid=presenter-topology]');
    const reload = async () => {
      await p.reload();
      await p.waitForSelector(`${PRESENTER}[data-demo=bounce]`);
    };
    return { p, fontSize, topology, reload };
  }

  it('are as they were left after a reload; a damaged entry gives the defaults', async () => {
    const { p, fontSize, topology, reload } = await present();
    await p.keyboard.press('+');
    await p.keyboard.press('+');
    await p.keyboard.press('2');
    await expect.poll(fontSize).toBe('29');
    await expect.poll(topology).toBeNull();
    await reload();
    await expect.poll(fontSize).toBe('29');
    expect(await topology()).toBeNull();
    expect(await p.getAttribute('button[title^="Show or hide the topology"]', 'aria-pressed')).toBe(
      'false',
    );
    expect(await p.$('[data-testid=presenter-caption]')).not.toBeNull();
    expect(JSON.parse((await p.evaluate((key) => localStorage.getItem(key), STORED))!)).toEqual({
      zoom: 1.3,
      panels: { terminal: true, topology: false, caption: true },
    });
    // Not JSON, and JSON of the wrong shape: the defaults, without an error or a notice.
    for (const damaged of ['{"zoom": 1.3, "panels"', '{"zoom": 7, "panels": {"terminal": 1}}']) {
      await p.evaluate(([key, value]) => localStorage.setItem(key!, value!), [STORED, damaged]);
      await reload();
      await expect.poll(fontSize).toBe('22');
      await p.waitForSelector('[data-testid=presenter-topology]');
      expect(await p.$('[data-testid=presenter-storage-notice]')).toBeNull();
    }
    await p.close();
    expect(pageErrors).toEqual([]);
  });

  it('still change for this visit when storage is full, with a notice saying so', async () => {
    const { p, fontSize, topology } = await present(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('full', 'QuotaExceededError');
      };
    });
    expect(await p.$('[data-testid=presenter-storage-notice]')).toBeNull();
    await p.keyboard.press('+');
    await p.keyboard.press('2');
    await expect.poll(fontSize).toBe('25');
    await expect.poll(topology).toBeNull();
    await expect
      .poll(() => p.textContent('[data-testid=presenter-storage-notice]'))
      .toContain('browser storage is full');
    await p.close();
  });
});
