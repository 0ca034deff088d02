/**
 * The sequence diagram read at 1280×720, the smallest screen the lab is made for: after the
 * first session typed by hand, both lifelines are in the pane, every text is at least 12
 * px and fits where the layout put it (the monospace advance holds in Chromium), the
 * participants stay in view at the end of the conversation; a bounced message's journey
 * shows its bounce band, named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, terminalText, typeLine } from './browser';
import {
  ALPHA,
  LAPTOP,
  MX1,
  openLab,
  sequenceTexts,
  showView,
  submission,
  typeLines,
  waitForMessages,
  type Opened,
} from './lab';

const SESSION = [
  'telnet mx1.beta.example 25',
  'EHLO laptop.alpha.example',
  'MAIL FROM:<alice@alpha.example>',
  'RCPT TO:<bob@beta.example>',
  'DATA',
  'Subject: seen in sequence',
  '',
  'Hello,',
  'This is a test.',
  '.',
  'QUIT',
];

let browser: Browser;
let lab: Opened;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  lab = await openLab(browser);
  page = lab.page;
  await page.setViewportSize({ width: 1280, height: 720 });
});

afterAll(async () => {
  await browser?.close();
});

/** Where things are on screen, relative to the diagram's scrolling pane. */
async function geometry() {
  return page.$eval('.sequence-scroll', (scroller) => {
    const pane = scroller.getBoundingClientRect();
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { left: r.left - pane.left, right: r.right - pane.left, top: r.top - pane.top };
    };
    const svg = scroller.querySelector('[data-testid=sequence] svg')!;
    return {
      width: scroller.clientWidth,
      height: scroller.clientHeight,
      scrolledToEnd: scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1,
      svg: box(svg),
      lifelines: [...svg.querySelectorAll('line.lifeline')].map(box),
      texts: [...scroller.querySelectorAll('svg text')].map((t) => ({
        text: t.textContent ?? '',
        size: parseFloat(getComputedStyle(t).fontSize),
      })),
      messages: [...svg.querySelectorAll('g.message')].map((g) => {
        const path = g.querySelector('path')!.getBoundingClientRect();
        return {
          span: [path.left - pane.left, path.right - pane.left],
          labels: [...g.querySelectorAll<SVGTextElement>('.messageText')].map((t) => box(t)),
        };
      }),
    };
  });
}

describe('the sequence diagram at 1280×720', () => {
  it('shows both lifelines of the first session inside the pane, every text 12 px or more', async () => {
    await page.click('[data-testid=terminal]');
    for (const line of SESSION) await typeLine(page, line);
    await expect.poll(() => terminalText(page)).toContain('Connection closed by foreign host.');
    await showView(page, 'sequence');
    await expect
      .poll(async () => (await sequenceTexts(page)).messages.at(-1))
      .toBe('221 2.0.0 Bye');
    expect((await sequenceTexts(page)).actors).toEqual([LAPTOP, MX1]);

    const g = await geometry();
    expect(g.width).toBeGreaterThan(550);
    expect(g.width).toBeLessThan(700);
    expect(g.lifelines).toHaveLength(2);
    for (const l of g.lifelines) {
      expect(l.left).toBeGreaterThanOrEqual(0);
      expect(l.right).toBeLessThanOrEqual(g.width);
    }
    expect(g.svg.right - g.svg.left).toBeLessThanOrEqual(g.width);
    expect(g.texts.length).toBeGreaterThan(20);
    for (const t of g.texts) expect(t.size, t.text).toBeGreaterThanOrEqual(12);
    // Every label lies between the two ends of its arrow, as drawn (not only as computed).
    for (const m of g.messages) {
      for (const label of m.labels) {
        expect(label.left).toBeGreaterThanOrEqual(m.span[0]! - 1);
        expect(label.right).toBeLessThanOrEqual(m.span[1]! + 1);
      }
    }
    // The view followed the conversation to its end.
    expect(g.scrolledToEnd).toBe(true);
  });

  it('keeps the participants in view at the end of the conversation', async () => {
    const g = await geometry();
    // The drawing is taller than the pane and scrolled: its own header is out of view …
    expect(g.svg.top).toBeLessThan(-60);
    // … and the sticky copy is at the top of the pane, on top of the steps.
    const header = await page.$eval('.sequence-scroll', (scroller) => {
      const pane = scroller.getBoundingClientRect();
      const copy = scroller.querySelector('[data-testid=sequence-header]')!;
      const names = [...copy.querySelectorAll('text.actor')];
      const r = names[0]!.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return {
        top: copy.getBoundingClientRect().top - pane.top,
        names: names.map((n) => n.textContent),
        onTop: copy.contains(hit),
      };
    });
    expect(Math.abs(header.top)).toBeLessThanOrEqual(1);
    expect(header.names).toEqual([LAPTOP, MX1]);
    expect(header.onTop).toBe(true);
  });

  it("draws a bounced message's journey with its bounce band, named", async () => {
    await typeLines(page, submission('nobody@beta.example', 'to nobody'));
    await waitForMessages(page, ALPHA, 'alice', 1, 30_000);
    await page.check('[data-testid=journey-mode]');
    const band = page.locator('[data-testid=sequence] svg g.band[data-band=bounce]');
    await expect.poll(() => band.count()).toBe(1);
    expect(await band.locator('.bandText').textContent()).toMatch(/^↩ bounce/);
    const { notes, messages, actors } = await sequenceTexts(page);
    expect(actors).toContain('mailbox alice@mail');
    expect(notes.some((n) => /^bounce \(DSN [0-9A-F]{10}\) to alice@alpha\.example/.test(n))).toBe(
      true,
    );
    expect(messages).toContain('bounce delivered to /var/mail/alice');
    // The bounce note and the delivery of the bounce lie inside the band.
    const inside = await band.evaluate((g: SVGGElement) => {
      const r = g.querySelector('rect')!.getBoundingClientRect();
      const within = (e: Element) => {
        const b = e.getBoundingClientRect();
        return b.top >= r.top && b.bottom <= r.bottom;
      };
      const svg = g.ownerSVGElement!;
      return {
        note: [...svg.querySelectorAll('g.note[data-kind=bounce]')].every(within),
        delivery: [...svg.querySelectorAll('g.message[data-kind=delivery]')]
          .filter((m) => m.textContent?.startsWith('bounce'))
          .every(within),
        fill: g.querySelector('rect')!.getAttribute('fill'),
      };
    });
    expect(inside).toEqual({
      note: true,
      delivery: true,
      fill: expect.stringMatching(/^rgba\(248/),
    });
    expect(lab.errors).toEqual([]);
  });
});
