import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1400, height: 900 } });
p.on('pageerror', e => console.log('pageerror:', e.message));
await p.goto(process.argv[2]);
await p.waitForTimeout(500);
await p.click('[data-testid=terminal]');
const lines = ['telnet mx1.beta.example 25','RCPT TO:<bob@beta.example>','FROB','NOOP'];
for (const l of lines) { await p.keyboard.type(l, {delay: 2}); await p.keyboard.press('Enter'); }
await p.waitForTimeout(1000);
console.log(await p.$$eval('[data-testid=terminal] .xterm-rows > div', rows => rows.map(r => r.textContent.replace(/\u00a0/g,' ').trimEnd()).join('\n').trimEnd()));
await b.close();
